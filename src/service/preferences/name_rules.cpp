// Rules for name and pronouns.
#include <string>

#include "service/preferences/rules.h"

namespace loci::service::preferences {
namespace {

const std::initializer_list<std::string_view> kTitles = {"dr",   "mr",   "ms",        "mrs",
                                                         "miss", "prof", "professor", "sir"};
const std::initializer_list<std::string_view> kPronouns = {
    "he",  "him", "his", "she", "her", "hers", "they", "them", "their", "theirs", "xe",
    "xem", "xyr", "ze",  "zir", "hir", "it",   "its",  "any",  "ey",    "em"};

// The name that starts at word `at`: an optional title and up to two capitalized words, or,
// when `lower_ok`, one word as written ("my name's jordan"). Empty when none is there.
std::string NameAt(const Clause& clause, std::size_t at, bool lower_ok) {
  std::size_t i = at;
  if (clause.IsAny(i, kTitles) && clause.words[i].capitalized) ++i;
  std::size_t last = Clause::npos;
  for (std::size_t k = i; k < clause.size() && k < i + 2; ++k) {
    const Word& word = clause.words[k];
    bool name_like = word.capitalized && word.lower != "i";
    bool alone = lower_ok && k == at && !In(word.lower, kValueStops);
    if (!name_like && !alone) break;
    last = k;
    if (word.comma_after || !word.capitalized) break;
  }
  if (last == Clause::npos) return {};
  return std::string(clause.Span(at, last));
}

// True when the clause holds nothing but a pronoun set and politeness: "she/her please".
bool OnlyPronouns(const Clause& clause) {
  for (const Word& word : clause.words) {
    if (!In(word.lower, kPronouns) && !In(word.lower, {"please", "thanks", "thank", "you"})) {
      return false;
    }
  }
  return true;
}

void ReadPronouns(const Clause& clause, Findings& found) {
  bool about_pronouns = clause.Has({"pronouns"}) || clause.Has({"for", "me"}) ||
                        clause.Has({"i", "go", "by"}) || clause.Has({"use"}) ||
                        OnlyPronouns(clause);
  if (!about_pronouns) return;
  for (std::size_t i = 0; i + 1 < clause.size(); ++i) {
    const Word& a = clause.words[i];
    const Word& b = clause.words[i + 1];
    if (!In(a.lower, kPronouns) || !In(b.lower, kPronouns)) continue;
    if (clause.sentence.substr(a.end, b.begin - a.end) != "/") continue;
    std::size_t last = i + 1;
    while (last + 1 < clause.size() && In(clause.at(last + 1), kPronouns) &&
           clause.sentence.substr(clause.words[last].end,
                                  clause.words[last + 1].begin - clause.words[last].end) == "/") {
      ++last;
    }
    found.Set("pronouns", LowerAscii(clause.Span(i, last)));
    return;
  }
}

// Words that end an introduction after the name: "I'm Tomasz, nice to meet you", "I'm Lucía
// from Seville", "hey im marcus btw", "it's Daniel here".
const std::initializer_list<std::string_view> kAfterName = {"and", "from", "here",
                                                            "btw", "by",   "writing"};
// True when a capitalized word after "I'm" says where the user is from or what faith they
// hold rather than their name: "I'm Canadian", "I'm Japanese", "I'm Irish".
bool IsDemonym(std::string_view word) {
  bool name_like = word.ends_with("iese") || word == "christian" || word == "sebastian";
  for (std::string_view suffix : {"ese", "ish", "ican", "dian", "lian", "sian", "gian", "tian"}) {
    if (word.ends_with(suffix) && !name_like) return true;  // not "Anneliese"
  }
  return In(word,
            {"german",  "korean",   "thai",     "french",    "dutch",     "greek",   "swiss",
             "muslim",  "catholic", "hindu",    "buddhist",  "atheist",   "italian", "brazilian",
             "russian", "egyptian", "nigerian", "colombian", "norwegian", "kenyan",  "european",
             "asian",   "latino",   "latina",   "welsh",     "scottish",  "british", "american"});
}

// Words that follow "I'm" but are no name, however they are written: "I'm Back", "im fine btw".
const std::initializer_list<std::string_view> kNotNames = {
    "i",      "here",  "back", "fine",  "good", "ok",  "okay", "done", "sorry", "new",
    "home",   "ready", "sure", "tired", "lost", "not", "so",   "just", "also",  "still",
    "really", "a",     "an",   "the",   "in",   "on",  "at",   "from", "going", "busy"};

// "I'm Tomasz, nice to meet you", "This is Anneliese, I have a question", "hey, it's Daniel
// here", "Hi, Sam here": one word that ends what the opening says. "I'm …" introduces the user
// only in a clause not about someone else; a name written in lower case counts after a
// greeting ("hey im marcus btw"), not in "im vegetarian btw".
void ReadSelfIntroduction(const Clause& clause, Findings& found) {
  std::size_t name = Clause::npos;
  bool about_self = clause.subject != Subject::kOther;
  if (std::size_t at = clause.Find({"i", "am"}); at != Clause::npos && about_self) {
    name = at + 2;
  } else if (clause.before.empty() && clause.Is(0, "this") && clause.Is(1, "is")) {
    name = 2;
  } else if (std::size_t it = clause.Find({"it", "is"});
             it != Clause::npos && clause.Is(it + 3, "here")) {
    name = it + 2;
  }
  // "Hi, Sam here.", "Hiya, Greta here, long time lurker."
  std::size_t opening = clause.IsAny(0, {"hi", "hey", "hello", "hiya", "yo"}) ? 1 : 0;
  if (name == Clause::npos && clause.Is(opening + 1, "here") && clause.words[opening].capitalized) {
    name = opening;
  }
  if (name >= clause.size() || clause.IsAny(name, kNotNames) || IsDemonym(clause.at(name))) {
    return;
  }
  const Word& word = clause.words[name];
  bool ends = name + 1 == clause.size() || word.comma_after || clause.IsAny(name + 1, kAfterName);
  bool greeted = opening == 1;
  bool lower_ok = greeted && clause.IsAny(name + 1, {"btw", "here"});
  if ((word.capitalized || lower_ok) && ends) {
    found.Set("name", std::string(clause.Span(name, name)));
  }
}

}  // namespace

void ReadName(const Clause& clause, Findings& found) {
  // What people call the user is the user's name, whoever says it: "Everyone calls me Rob",
  // "My friends know me as Tex"; not "don't call me Robert".
  for (std::initializer_list<std::string_view> words :
       {std::initializer_list<std::string_view>{"call", "me"},
        {"calls", "me"},
        {"know", "me", "as"},
        {"knows", "me", "as"}}) {
    for (std::size_t at = clause.Find(words); at != Clause::npos; at = clause.Find(words, at + 1)) {
      if (NegatedBefore(clause, at, 2)) continue;
      std::string name = NameAt(clause, at + words.size(), false);
      if (!name.empty()) {
        found.Set("name", std::move(name));
        return;
      }
    }
  }
  // "they/them pronouns for me" opens with the pronouns, not with someone else.
  bool pronouns_first = clause.IsAny(0, kPronouns) && clause.IsAny(1, kPronouns);
  if (clause.subject != Subject::kOther || pronouns_first) ReadPronouns(clause, found);
  ReadSelfIntroduction(clause, found);
  if (clause.subject == Subject::kOther) return;
  struct Pattern {
    std::initializer_list<std::string_view> words;
    bool lower_ok;
  };
  for (const Pattern& pattern :
       {Pattern{{"my", "name", "is"}, true}, Pattern{{"i", "go", "by"}, false},
        Pattern{{"address", "me", "as"}, false}, Pattern{{"refer", "to", "me", "as"}, false},
        Pattern{{"i", "am", "called"}, false}, Pattern{{"i", "am", "known", "as"}, false}}) {
    std::size_t at = clause.Find(pattern.words);
    if (at == Clause::npos) continue;
    std::string name = NameAt(clause, at + pattern.words.size(), pattern.lower_ok);
    if (!name.empty()) {
      found.Set("name", std::move(name));
      return;
    }
  }
  // "Name's Theo": the clause opens with it.
  if (clause.Is(0, "name") && clause.Is(1, "is")) {
    std::string name = NameAt(clause, 2, true);
    if (!name.empty()) found.Set("name", std::move(name));
  }
}
}  // namespace loci::service::preferences
