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
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kDwellings = {{
    {"live", "in"},
    {"living", "in"},
    {"based", "in"},
    {"moved", "to"},
    {"relocated", "to"},
    {"reside", "in"},
    {"residing", "in"},
    {"home", "is"},
}};

const std::initializer_list<std::string_view> kPlaceStops = {
    "now",     "these",  "last",      "this",    "since",       "for",        "with",  "and",
    "because", "so",     "currently", "anymore", "again",       "recently",   "today", "next",
    "please",  "but",    "too",       "though",  "when",        "then",       "i",     "already",
    "yet",     "lately", "nowadays",  "any",     "temporarily", "permanently"};

// True when a first-person subject comes before word `at` in the clause ("I live",
// "We just relocated", "My home is").
bool FirstPersonBefore(const Clause& clause, std::size_t at) {
  for (std::size_t i = 0; i < at; ++i) {
    if (clause.IsAny(i, {"i", "we"})) return true;
    if (clause.Is(i, "my") && clause.Is(i + 1, "home")) return true;
  }
  return false;
}

void ReadLocation(const Clause& clause, Findings& found) {
  for (std::size_t v = 0; v + 1 < clause.size(); ++v) {
    for (const auto& [verb, preposition] : kDwellings) {
      if (clause.at(v) != verb || clause.at(v + 1) != preposition) continue;
      if (!FirstPersonBefore(clause, v)) continue;
      std::size_t first = v + 2;
      if (preposition == "is" && clause.Is(first, "in")) ++first;
      if (NegatedBefore(clause, v, 3)) {
        found.Retract("location");
        continue;
      }
      std::size_t last = ValueEnd(clause, first, kPlaceStops, 8, /*keep_comma_names=*/true);
      if (last != Clause::npos) found.Set("location", std::string(clause.Span(first, last)));
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

void ReadTimezone(const Clause& clause, Findings& found) {
  bool about_me = clause.Has({"my", "timezone"}) || clause.Has({"my", "time", "zone"}) ||
                  clause.Has({"i", "am", "in"}) || clause.Has({"i", "am", "on"}) ||
                  clause.Has({"i", "am", "at"}) || clause.Has({"i", "live", "in"});
  if (!about_me) return;
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
  if (!found.Any("timezone")) ReadLocation(clause, found);
}

}  // namespace loci::service::preferences
