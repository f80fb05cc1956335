// Rules for location and timezone.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <string>
#include <utility>

#include "service/preferences/rules.h"

namespace loci::service::preferences {
namespace {

// Verbs of living somewhere, with the preposition that introduces the place.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kDwellings = {{
    {"live", "in"},
    {"lived", "in"},
    {"living", "in"},
    {"based", "in"},
    {"based", "out"},
    {"moved", "to"},
    {"relocated", "to"},
    {"reside", "in"},
    {"residing", "in"},
    {"settled", "in"},
    {"home", "is"},
    {"home", "for"},
}};

const std::initializer_list<std::string_view> kPlaceStops = {
    "now",     "these",  "last",      "this",    "since",       "for",         "with",  "and",
    "because", "so",     "currently", "anymore", "again",       "recently",    "today", "next",
    "please",  "but",    "too",       "though",  "when",        "then",        "i",     "already",
    "yet",     "lately", "nowadays",  "any",     "temporarily", "permanently", "in",    "on",
    "atm",     "after",  "where",     "which",   "who",         "during"};

// True when a first-person subject comes before word `at` in the clause ("I live",
// "We just relocated", "My home is").
bool FirstPersonBefore(const Clause& clause, std::size_t at) {
  if (at == 0 && clause.Is(0, "home")) return true;  // "Home is Auckland these days"
  for (std::size_t i = 0; i < at; ++i) {
    if (clause.IsAny(i, {"i", "we"})) return true;
    if (clause.Is(i, "my") && clause.Is(i + 1, "home")) return true;
  }
  return false;
}

void ReadLocation(const Clause& clause, Findings& found) {
  for (std::size_t v = 0; v + 1 < clause.size(); ++v) {
    for (const auto& [verb, preposition] : kDwellings) {
      if (!SameWord(clause.at(v), verb)) continue;
      if (verb == "lived" && !clause.Is(v - (v > 0 ? 1 : 0), "have")) continue;  // in the past
      // "We moved from Leeds to Bristol": the place after "to".
      std::size_t prep = v + 1;
      if (clause.Is(prep, "from") && preposition == "to") prep = clause.Find({"to"}, prep);
      if (prep == Clause::npos || prep > v + 6 || clause.at(prep) != preposition) continue;
      if (!FirstPersonBefore(clause, v)) continue;
      std::size_t first = prep + 1;
      if (preposition == "is" && clause.Is(first, "in")) ++first;
      if (preposition == "out" && clause.Is(first, "of")) ++first;  // "based out of Singapore"
      if (preposition == "for" && clause.Is(first, "me") && clause.Is(first + 1, "is")) {
        first += 2;  // "Home for me is Glasgow"
      }
      bool moved = preposition == "to";  // a move states the new place whatever came before
      if (NegatedBefore(clause, v, 3) || (!moved && SaysNoLonger(clause))) {
        found.Retract("location");
        continue;
      }
      std::size_t last = ValueEnd(clause, first, kPlaceStops, 8, /*keep_comma_names=*/true);
      if (last == Clause::npos) continue;
      std::string place(clause.Span(first, last));
      // "I live in the Eastern time zone" names a time zone, read as such.
      std::string lower = LowerAscii(place);
      if (lower.find("time") != std::string::npos || lower.starts_with("utc") ||
          lower.starts_with("gmt") || clause.Is(first, "me")) {
        continue;
      }
      found.Set("location", std::move(place));
    }
  }
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kZoneNames = {{
    {"pacific", "America/Los_Angeles"},
    {"pst", "America/Los_Angeles"},
    {"pdt", "America/Los_Angeles"},
    {"mountain", "America/Denver"},
    {"mst", "America/Denver"},
    {"central", "America/Chicago"},
    {"cst", "America/Chicago"},
    {"eastern", "America/New_York"},
    {"est", "America/New_York"},
    {"edt", "America/New_York"},
    {"cet", "Europe/Paris"},
    {"cest", "Europe/Paris"},
    {"bst", "Europe/London"},
    {"ist", "Asia/Kolkata"},
    {"jst", "Asia/Tokyo"},
    {"aest", "Australia/Sydney"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kTwoWordZones = {{
    {"central european", "Europe/Paris"},
    {"eastern european", "Europe/Helsinki"},
    {"western european", "Europe/Lisbon"},
    {"greenwich mean", "Europe/London"},
    {"british summer", "Europe/London"},
}};

const std::initializer_list<std::string_view> kRegions = {"africa", "america",  "antarctica",
                                                          "asia",   "atlantic", "australia",
                                                          "europe", "indian",   "pacific"};

// "UTC+5:30" → "UTC+05:30", read from the text right after "UTC" or "GMT"; empty when no offset
// follows.
std::string Offset(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  if (i >= text.size() || (text[i] != '+' && text[i] != '-' && text[i] != '\xe2')) return {};
  char sign = text[i] == '+' ? '+' : '-';
  i += text[i] == '\xe2' ? 3 : 1;  // U+2212 minus sign
  int hours = 0;
  int digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 2; ++i, ++digits) {
    hours = hours * 10 + (text[i] - '0');
  }
  if (digits == 0 || hours > 14) return {};
  int minutes = 0;
  if (i + 2 < text.size() && text[i] == ':' && text[i + 1] >= '0' && text[i + 1] <= '5' &&
      text[i + 2] >= '0' && text[i + 2] <= '9') {
    minutes = (text[i + 1] - '0') * 10 + (text[i + 2] - '0');
  }
  char out[16];
  std::snprintf(out, sizeof(out), "UTC%c%02d:%02d", sign, hours, minutes);
  return out;
}

// True when the clause names a time of day ("3pm", "10 am", "14:30"): a time zone beside it
// places that time ("the call is at 10am Eastern"), not the user.
bool NamesClockTime(const Clause& clause) {
  for (std::size_t i = 0; i < clause.size(); ++i) {
    const std::string& word = clause.at(i);
    if (word.empty() || word[0] < '0' || word[0] > '9') continue;
    std::uint32_t begin = clause.words[i].begin;
    if (begin > 0 && In(clause.sentence.substr(begin - 1, 1), {"+", "-"})) continue;  // UTC+5:30
    if (word.ends_with("am") || word.ends_with("pm") || clause.IsAny(i + 1, {"am", "pm"}) ||
        clause.sentence.substr(clause.words[i].end, 1) == ":") {
      return true;
    }
  }
  return false;
}

void ReadTimezone(const Clause& clause, Findings& found) {
  // "I'm based in New York, so Eastern time": a clause with no subject of its own goes on
  // from the one before.
  bool goes_on = clause.subject == Subject::kUnknown &&
                 std::any_of(clause.before.begin(), clause.before.end(),
                             [](const Word& word) { return word.lower == "i"; });
  bool about_me = clause.Has({"my", "timezone"}) || clause.Has({"my", "time", "zone"}) ||
                  clause.Has({"my", "tz"}) || clause.Has({"i"}) || clause.Has({"me"}) || goes_on;
  if (!about_me || NamesClockTime(clause)) return;
  for (std::size_t i = 0; i < clause.size(); ++i) {
    const Word& word = clause.words[i];
    std::string_view after = clause.sentence.substr(word.end);
    if (In(word.lower, kRegions) && after.starts_with("/")) {  // IANA: "America/New_York"
      std::size_t end = word.end;
      while (end < clause.sentence.size() &&
             (std::isalnum(static_cast<unsigned char>(clause.sentence[end])) ||
              In(clause.sentence.substr(end, 1), {"/", "_", "-", "+"}))) {
        ++end;
      }
      found.Set("timezone", std::string(clause.sentence.substr(word.begin, end - word.begin)));
      return;
    }
    if (In(word.lower, {"utc", "gmt"})) {
      std::string offset = Offset(after);
      found.Set("timezone", offset.empty() ? "UTC" : offset);
      return;
    }
    // "Central European Time", "Greenwich Mean Time": two words and "time".
    if (clause.Is(i + 2, "time")) {
      for (const auto& [name, zone] : kTwoWordZones) {
        if (word.lower + " " + clause.at(i + 1) == name) {
          found.Set("timezone", std::string(zone));
          return;
        }
      }
    }
    std::string_view written = clause.sentence.substr(word.begin, word.end - word.begin);
    bool upper = written.size() >= 3 && std::all_of(written.begin(), written.end(),
                                                    [](char c) { return c >= 'A' && c <= 'Z'; });
    bool zone_word = upper || clause.IsAny(i + 1, {"time", "timezone", "standard"});
    for (const auto& [name, zone] : kZoneNames) {
      if (word.lower == name && zone_word) {
        found.Set("timezone", std::string(zone));
        return;
      }
    }
  }
}

}  // namespace

void ReadPlace(const Clause& clause, Findings& found) {
  if (clause.subject == Subject::kOther) return;
  ReadTimezone(clause, found);
  ReadLocation(clause, found);
}

}  // namespace loci::service::preferences
