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

void ReadPronouns(const Clause& clause, Findings& found) {
  bool about_pronouns =
      clause.Has({"pronouns"}) || clause.Has({"for", "me"}) || clause.Has({"i", "go", "by"});
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

}  // namespace

void ReadName(const Clause& clause, Findings& found) {
  if (clause.subject == Subject::kOther) return;
  ReadPronouns(clause, found);
  struct Pattern {
    std::initializer_list<std::string_view> words;
    bool lower_ok;
  };
  for (const Pattern& pattern :
       {Pattern{{"my", "name", "is"}, true}, Pattern{{"call", "me"}, false},
        Pattern{{"i", "go", "by"}, false}, Pattern{{"address", "me", "as"}, false},
        Pattern{{"refer", "to", "me", "as"}, false}}) {
    std::size_t at = clause.Find(pattern.words);
    if (at == Clause::npos) continue;
    std::string name = NameAt(clause, at + pattern.words.size(), pattern.lower_ok);
    if (!name.empty()) {
      found.Set("name", std::move(name));
      return;
    }
  }
  // "I'm Tomasz, nice to meet you", "I'm Nadia and I'm a pharmacist": a capitalized word
  // that ends what "I am" says.
  std::size_t at = clause.Find({"i", "am"});
  if (at == Clause::npos || at + 2 >= clause.size()) return;
  std::size_t name = at + 2;
  const Word& word = clause.words[name];
  bool ends = name + 1 == clause.size() || word.comma_after || clause.Is(name + 1, "and");
  if (word.capitalized && ends && !clause.IsAny(name, {"i"})) {
    found.Set("name", std::string(clause.Span(name, name)));
  }
}

}  // namespace loci::service::preferences
