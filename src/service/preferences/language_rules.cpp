// Rules for the language the user wants answers in, as a BCP 47 tag.
#include <array>
#include <string>
#include <utility>

#include "service/preferences/rules.h"

namespace loci::service::preferences {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kTwoWordLanguages = {{
    {"brazilian portuguese", "pt-BR"},
    {"european portuguese", "pt-PT"},
    {"simplified chinese", "zh-Hans"},
    {"traditional chinese", "zh-Hant"},
    {"mexican spanish", "es-MX"},
    {"british english", "en-GB"},
    {"american english", "en-US"},
    {"canadian french", "fr-CA"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 34> kLanguages = {{
    {"english", "en"},   {"spanish", "es"},    {"french", "fr"},     {"german", "de"},
    {"italian", "it"},   {"portuguese", "pt"}, {"dutch", "nl"},      {"japanese", "ja"},
    {"chinese", "zh"},   {"mandarin", "zh"},   {"cantonese", "yue"}, {"korean", "ko"},
    {"russian", "ru"},   {"arabic", "ar"},     {"hindi", "hi"},      {"polish", "pl"},
    {"swedish", "sv"},   {"turkish", "tr"},    {"greek", "el"},      {"hebrew", "he"},
    {"ukrainian", "uk"}, {"czech", "cs"},      {"danish", "da"},     {"finnish", "fi"},
    {"norwegian", "no"}, {"vietnamese", "vi"}, {"thai", "th"},       {"indonesian", "id"},
    {"catalan", "ca"},   {"romanian", "ro"},   {"hungarian", "hu"},  {"bengali", "bn"},
    {"persian", "fa"},   {"swahili", "sw"},
}};

// The tag of the language named at word `at` (one or two words), or empty.
std::string_view LanguageAt(const Clause& clause, std::size_t at) {
  if (at + 1 < clause.size()) {
    std::string two = clause.at(at) + " " + clause.at(at + 1);
    for (const auto& [name, tag] : kTwoWordLanguages) {
      if (two == name) return tag;
    }
  }
  if (at >= clause.size()) return {};
  for (const auto& [name, tag] : kLanguages) {
    if (clause.at(at) == name) return tag;
  }
  return {};
}

// Words that ask for answers in a language: "answer in", "reply in", "talk to me in".
const WordSet kSpeaking({"answer",     "answers",   "reply",    "replies",       "respond",
                         "responses",  "talk",      "speak",    "write",         "communicate",
                         "chat",       "switch",    "wrote",    "conversation",  "back",
                         "talking",    "speaking",  "writing",  "conversations", "messages",
                         "everything", "answering", "replying", "responding"});
// True when the words from `verb` to `in` ask for all answers in a language, not one text:
// "answer that in French", "answer the question in French" and "write a story in French" are
// tasks, "write to me in French" and "if you wrote back in German" are not.
bool AsksForAnswers(const Clause& clause, std::size_t verb, std::size_t in) {
  bool writes = clause.IsAny(verb, {"write", "wrote", "writing"});
  bool to_user = false;
  for (std::size_t i = verb + 1; i < in; ++i) {
    if (clause.IsAny(i, {"this", "that", "it", "these", "those", "the"})) return false;
    to_user = to_user || clause.IsAny(i, {"me", "back"});
  }
  return !writes || to_user;
}

// "Use English please", "I prefer English": a language asked for by name.
void ReadNamedLanguage(const Clause& clause, Findings& found) {
  for (std::size_t v = 0; v + 1 < clause.size(); ++v) {
    if (!clause.IsAny(v, {"use", "prefer", "stick"})) continue;
    std::size_t at = v + 1;
    if (clause.Is(v, "stick") && clause.IsAny(at, {"to", "with"})) ++at;  // "stick to English"
    if (clause.Is(at, "only")) ++at;
    std::string_view tag = LanguageAt(clause, at);
    std::size_t after = at + (tag.find('-') != std::string_view::npos ? 2 : 1);
    bool alone = after >= clause.size() || clause.words[after - 1].comma_after ||
                 clause.IsAny(after, {"please", "from", "with", "only", "when", "again"});
    if (!tag.empty() && alone) {
      found.Set("language", std::string(tag));
      return;
    }
  }
}

}  // namespace

void ReadLanguage(const Clause& clause, Findings& found) {
  if (clause.subject == Subject::kOther || clause.Has({"translate"}) || clause.Has({"say"})) {
    return;
  }
  for (std::size_t v = 0; v < clause.size(); ++v) {
    if (!In(clause.at(v), kSpeaking)) continue;
    for (std::size_t i = v + 1; i < clause.size() && i <= v + 4; ++i) {
      bool introduces =
          clause.Is(i, "in") || (clause.IsAny(v, {"switch", "back"}) && clause.Is(i, "to"));
      if (!introduces) continue;
      std::string_view tag = LanguageAt(clause, i + 1);
      if (tag.empty()) break;
      if (!AsksForAnswers(clause, v, i)) break;
      found.Set("language", std::string(tag));
      return;
    }
  }
  ReadNamedLanguage(clause, found);
}

}  // namespace loci::service::preferences
