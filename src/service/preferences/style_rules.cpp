// Rules for response_length, formality and tone.
#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "service/preferences/rules.h"

namespace loci::service::preferences {
namespace {

const std::initializer_list<std::string_view> kAnswers = {
    "answer",       "answers", "response", "responses", "reply",    "replies",  "explanation",
    "explanations", "it",      "them",     "things",    "messages", "summaries"};
const WordSet kShort({"short", "shorter", "brief", "briefer", "concise", "succinct", "terse",
                      "quick", "quicker"});
const WordSet kLong({"long", "longer", "detailed", "thorough", "comprehensive", "lengthy",
                     "elaborate", "deeper", "extensive", "fuller"});
// Phrases that ask for short or for full answers whatever words stand around them.
const std::initializer_list<std::initializer_list<std::string_view>> kConcisePhrases = {
    {"walls", "of", "text"}, {"wall", "of", "text"}, {"less", "waffle"},     {"no", "waffle"},
    {"to", "the", "point"},  {"tl", "dr"},           {"in", "a", "nutshell"}};
const std::initializer_list<std::initializer_list<std::string_view>> kDetailedPhrases = {
    {"in", "depth"}, {"more", "depth"}, {"go", "deeper"}, {"not", "skimp"}};

// True when the clause asks about one thing at hand ("explain this in more detail", "a short
// answer: is Pluto a planet?") rather than about answers in general.
bool AboutOneThing(const Clause& clause, std::size_t at) {
  if (clause.Has({"always"}) || clause.Has({"every"}) || clause.Has({"from", "now"})) return false;
  for (std::string_view thing : {"this", "that", "it", "these"}) {
    std::size_t i = clause.Find({thing});
    if (i != Clause::npos && !clause.Is(i - (i > 0 ? 1 : 0), "keep")) return true;
  }
  // "a short answer", not "short answers".
  return at > 0 && clause.IsAny(at - 1, {"a", "an"}) &&
         clause.IsAny(at + 1, {"answer", "reply", "response", "explanation"});
}

bool HasAny(const Clause& clause,
            std::initializer_list<std::initializer_list<std::string_view>> phrases) {
  for (std::initializer_list<std::string_view> phrase : phrases) {
    if (clause.Has(phrase)) return true;
  }
  return false;
}

// True when the length word at `at` describes answers rather than a thing to produce ("a short
// poem"): answers follow it, or nothing that names another thing does.
bool DescribesAnswers(const Clause& clause, std::size_t at) {
  std::size_t next = at + 1;
  if (next >= clause.size() || clause.words[at].comma_after) return true;
  if (In(clause.at(next), kAnswers)) return true;
  if (In(clause.at(next), kShort) || In(clause.at(next), kLong))
    return DescribesAnswers(clause, next);
  return In(clause.at(next), {"and", "please", "now", "from", "with", "when", "i", "are", "is",
                              "for", "as", "so", "to", "too", "again"});
}

void ReadLength(const Clause& clause, Findings& found) {
  if (HasAny(clause, kConcisePhrases) && !AboutOneThing(clause, 0)) {
    found.Set("response_length", "concise");
    return;
  }
  if (HasAny(clause, kDetailedPhrases) && !AboutOneThing(clause, 0)) {
    found.Set("response_length", "detailed");
    return;
  }
  // "Keep responses under 100 words", "in less than three sentences".
  for (std::string_view limit : {"under", "than", "max", "maximum"}) {
    std::size_t at = clause.Find({limit});
    if (at != Clause::npos && clause.IsAny(at + 2, {"words", "sentences", "lines"}) &&
        !AboutOneThing(clause, at)) {
      found.Set("response_length", "concise");
      return;
    }
  }
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
      if (clause.Is(i, "detail") && clause.IsAny(i - (i > 0 ? 1 : 0), {"into", "in", "more"}) &&
          !AboutOneThing(clause, i)) {
        found.Set("response_length", "detailed");
        return;
      }
      continue;
    }
    if (!about_answers || !DescribesAnswers(clause, i) || AboutOneThing(clause, i)) continue;
    // "no need for long explanations", "your answers are too short": the opposite.
    bool opposite = clause.Has({"no", "need"}) || clause.Has({"not", "need"}) ||
                    clause.Has({"do", "not", "want"}) || NegatedBefore(clause, i, 2) ||
                    clause.Is(i - (i > 0 ? 1 : 0), "too");
    if (clause.Has({"not", "mind"})) opposite = false;  // "I don't mind long answers"
    bool concise = is_short != opposite;
    found.Set("response_length", concise ? "concise" : "detailed");
    return;
  }
}

const WordSet kFormal({"formal", "formally", "professional", "professionally", "stiff"});
const WordSet kCasual({"casual", "casually", "informal", "relaxed"});

void ReadFormality(const Clause& clause, Findings& found) {
  bool directed = clause.Has({"be"}) || clause.Has({"being"}) || clause.Has({"keep"}) ||
                  clause.Has({"prefer"}) || clause.Has({"with", "me"}) || clause.Has({"tone"}) ||
                  clause.Has({"fine"}) || clause.Has({"okay"}) || clause.Has({"ok"}) ||
                  clause.Has({"me", "formally"}) || clause.Has({"you", "are"});
  for (std::size_t i = 0; i < clause.size(); ++i) {
    if (clause.IsAny(i, {"formalities"}) && clause.Has({"no", "need"})) {
      found.Set("formality", "casual");
      return;
    }
    bool formal = clause.IsAny(i, kFormal);
    bool casual = clause.IsAny(i, kCasual);
    if (!formal && !casual) continue;
    // "a formal complaint letter" names a thing to write, not how to talk.
    bool describes_thing = i + 1 < clause.size() &&
                           !clause.IsAny(i + 1, {"tone", "with", "please", "and", "is"}) &&
                           !clause.words[i].comma_after;
    if (!directed || describes_thing) continue;
    // "You don't have to be so formal", "drop the formal tone": the other way.
    bool turned = false;
    for (std::size_t k = i > 6 ? i - 6 : 0; k < i; ++k) {
      turned = turned || clause.IsAny(k, {"not", "no", "stop", "less", "drop", "too", "without"});
    }
    found.Set("formality", formal != turned ? "formal" : "casual");
    return;
  }
  // "Talk to me like a friend", "like a normal person, not a textbook", "chat normally".
  bool talk = clause.Has({"talk"}) || clause.Has({"speak"}) || clause.Has({"chat"});
  bool like_a_friend = clause.Has({"like", "a"}) &&
                       (clause.Has({"friend"}) || clause.Has({"normal"}) || clause.Has({"mate"}) ||
                        clause.Has({"buddy"}) || clause.Has({"human"}) || clause.Has({"regular"}));
  if (talk && (like_a_friend || clause.Has({"normally"}))) found.Set("formality", "casual");
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kTones = {{
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
    {"straight", "direct"},
}};

void ReadTone(const Clause& clause, Findings& found) {
  if (clause.Has({"sugarcoat"}) || clause.Has({"sugar", "coat"}) ||
      clause.Has({"to", "me", "straight"}) || clause.Has({"like", "it", "is"})) {
    found.Set("tone", "direct");
    return;
  }
  std::size_t humour = Clause::npos;
  for (std::string_view word : {"humor", "humour", "jokes", "crack"}) {
    humour = std::min(humour, clause.Find({word}));
  }
  if (humour != Clause::npos && !NegatedBefore(clause, humour, 2) &&
      (clause.Has({"appreciate"}) || clause.Has({"like"}) || clause.Has({"love"}) ||
       clause.Has({"enjoy"}) || clause.Has({"want"}) || clause.Has({"with", "me"}) ||
       clause.Has({"welcome"}) || clause.Has({"now", "and", "then"}) || clause.Has({"sometimes"}) ||
       clause.Has({"occasionally"}) || clause.Has({"more"}))) {
    found.Set("tone", "humorous");
    return;
  }
  for (std::size_t i = 0; i + 1 < clause.size(); ++i) {
    bool be = clause.Is(i, "be") || (clause.Is(i, "you") && clause.Is(i + 1, "are"));
    if (!be) continue;
    // "don't be so serious", "no need to be so cheerful", "you don't have to be so formal"
    bool after_to = i > 0 && clause.Is(i - 1, "to");
    if (NegatedBefore(clause, i, after_to ? 4 : 1)) continue;
    // "to be honest", "to be fair" closing a clause: a manner of speaking, not a wish.
    bool wished = i >= 2 && clause.IsAny(i - 2, {"you", "like", "want", "need", "prefer"});
    bool idiom = after_to && !wished && (i + 2 >= clause.size() || clause.words[i + 1].comma_after);
    if (idiom) continue;
    std::size_t k = i + (clause.Is(i, "be") ? 1 : 2);
    // "be a bit more encouraging", "be brutally honest"
    while (clause.IsAny(k, {"more", "very", "really", "a", "bit", "little", "just"}) ||
           (k < clause.size() && clause.at(k).ends_with("ly") && clause.at(k).size() > 4)) {
      ++k;
    }
    // "be more upbeat and encouraging": the first known tone of the coordinated words.
    for (; k < clause.size(); k += 2) {
      for (const auto& [word, tone] : kTones) {
        if (clause.at(k) == word) {
          found.Set("tone", std::string(tone));
          return;
        }
      }
      if (!clause.Is(k + 1, "and") && !clause.words[k].comma_after) break;
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
