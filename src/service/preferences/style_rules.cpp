// Rules for response_length, formality and tone.
#include <array>
#include <string>
#include <utility>

#include "service/preferences/rules.h"

namespace loci::service::preferences {
namespace {

const std::initializer_list<std::string_view> kAnswers = {
    "answer",       "answers", "response", "responses", "reply",    "replies",  "explanation",
    "explanations", "it",      "them",     "things",    "messages", "summaries"};
const std::initializer_list<std::string_view> kShort = {"short",   "shorter",  "brief", "briefer",
                                                        "concise", "succinct", "terse"};
const std::initializer_list<std::string_view> kLong = {
    "long", "longer", "detailed", "thorough", "comprehensive", "lengthy", "elaborate"};

// True when the length word at `at` describes answers rather than a thing to produce ("a short
// poem"): answers follow it, or nothing that names another thing does.
bool DescribesAnswers(const Clause& clause, std::size_t at) {
  std::size_t next = at + 1;
  if (next >= clause.size() || clause.words[at].comma_after) return true;
  if (In(clause.at(next), kAnswers)) return true;
  if (In(clause.at(next), kShort) || In(clause.at(next), kLong))
    return DescribesAnswers(clause, next);
  return In(clause.at(next), {"and", "please", "now", "from", "with", "when", "i", "are", "is",
                              "for", "as", "so", "to"});
}

void ReadLength(const Clause& clause, Findings& found) {
  bool about_answers = false;
  for (std::string_view noun : kAnswers) {
    if (noun != "it" && noun != "them" && noun != "things" && clause.Has({noun}))
      about_answers = true;
  }
  about_answers = about_answers || clause.Has({"keep", "it"}) || clause.Has({"keep", "them"}) ||
                  clause.Has({"keep", "things"}) || clause.Has({"be"});
  for (std::size_t i = 0; i < clause.size(); ++i) {
    bool is_short = In(clause.at(i), kShort);
    bool is_long = In(clause.at(i), kLong);
    if (!is_short && !is_long) {
      // "go into detail", "explain in detail", "more detail"
      if (clause.Is(i, "detail") && clause.IsAny(i - (i > 0 ? 1 : 0), {"into", "in", "more"})) {
        found.Set("response_length", "detailed");
        return;
      }
      continue;
    }
    if (!about_answers || !DescribesAnswers(clause, i)) continue;
    // "no need for long explanations": the opposite.
    bool opposite = clause.Has({"no", "need"}) || clause.Has({"not", "need"}) ||
                    clause.Has({"do", "not", "want"}) || NegatedBefore(clause, i, 2);
    bool concise = is_short != opposite;
    found.Set("response_length", concise ? "concise" : "detailed");
    return;
  }
}

void ReadFormality(const Clause& clause, Findings& found) {
  bool directed = clause.Has({"be"}) || clause.Has({"keep"}) || clause.Has({"prefer"}) ||
                  clause.Has({"with", "me"}) || clause.Has({"tone"});
  for (std::size_t i = 0; i < clause.size(); ++i) {
    if (clause.IsAny(i, {"formalities"}) && clause.Has({"no", "need"})) {
      found.Set("formality", "casual");
      return;
    }
    bool formal = clause.IsAny(i, {"formal", "formally"});
    bool casual = clause.IsAny(i, {"casual", "casually", "informal", "relaxed"});
    if (!formal && !casual) continue;
    // "a formal complaint letter" names a thing to write, not how to talk.
    bool describes_thing = i + 1 < clause.size() &&
                           !clause.IsAny(i + 1, {"tone", "with", "please", "and"}) &&
                           !clause.words[i].comma_after;
    if (!directed || describes_thing) continue;
    found.Set("formality", formal ? "formal" : "casual");
    return;
  }
  if (clause.Has({"like", "a", "friend"}) && clause.Has({"talk", "to", "me"})) {
    found.Set("formality", "casual");
  }
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kTones = {{
    {"direct", "direct"},
    {"straightforward", "direct"},
    {"blunt", "blunt"},
    {"gentle", "gentle"},
    {"warm", "warm"},
    {"kind", "warm"},
    {"encouraging", "encouraging"},
    {"supportive", "supportive"},
    {"honest", "honest"},
    {"funny", "humorous"},
    {"humorous", "humorous"},
    {"playful", "playful"},
    {"serious", "serious"},
    {"patient", "patient"},
    {"friendly", "friendly"},
    {"empathetic", "empathetic"},
    {"frank", "direct"},
    {"witty", "humorous"},
}};

void ReadTone(const Clause& clause, Findings& found) {
  if (clause.Has({"sugarcoat"}) || clause.Has({"sugar", "coat"})) {
    found.Set("tone", "direct");
    return;
  }
  if ((clause.Has({"humor"}) || clause.Has({"humour"}) || clause.Has({"jokes"})) &&
      (clause.Has({"appreciate"}) || clause.Has({"like"}) || clause.Has({"love"}) ||
       clause.Has({"enjoy"}) || clause.Has({"want"}))) {
    found.Set("tone", "humorous");
    return;
  }
  for (std::size_t i = 0; i + 1 < clause.size(); ++i) {
    bool be = clause.Is(i, "be") || (clause.Is(i, "you") && clause.Is(i + 1, "are"));
    if (!be) continue;
    std::size_t k = i + (clause.Is(i, "be") ? 1 : 2);
    while (clause.IsAny(k, {"more", "very", "really", "a", "bit", "little", "just"})) ++k;
    if (k >= clause.size()) continue;
    for (const auto& [word, tone] : kTones) {
      if (clause.at(k) == word) {
        found.Set("tone", std::string(tone));
        return;
      }
    }
  }
}

}  // namespace

void ReadStyle(const Clause& clause, Findings& found) {
  if (clause.subject == Subject::kOther) return;
  ReadLength(clause, found);
  ReadFormality(clause, found);
  ReadTone(clause, found);
}

}  // namespace loci::service::preferences
