// Helpers shared by the preference rules (rules.h): collecting observations and cutting values
// out of a clause. Thread-safety: a Findings is used by one thread; the rest are pure.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "service/preferences/clause.h"

namespace loci::service::preferences {

inline constexpr double kStated = 0.9;   // said in so many words: "I'm vegetarian"
inline constexpr double kImplied = 0.7;  // follows from what was said: "I don't eat meat"

// What the rules found in one clause: key, value, confidence, set or retract.
struct Finding {
  std::string key;
  std::string value;
  double confidence = kStated;
  bool retract = false;
};

class Findings {
 public:
  void Set(std::string key, std::string value, double confidence = kStated);
  void Retract(std::string key, std::string value = {});
  bool Any(std::string_view key_prefix) const;
  bool empty() const { return items_.empty(); }
  const std::vector<Finding>& items() const { return items_; }

 private:
  std::vector<Finding> items_;
};

// Where a value that begins at word `first` ends (inclusive): before the first word of
// `stops`, after a word followed by a comma (unless keep_comma_names and the next word is
// capitalized, as in "Austin, Texas"), and after at most `max_words`. npos when the value
// would be empty.
std::size_t ValueEnd(const Clause& clause, std::size_t first,
                     std::initializer_list<std::string_view> stops, std::size_t max_words,
                     bool keep_comma_names = false);

// Words that end a stated value: "I live in Berlin now", "allergic to soy so …".
extern const std::initializer_list<std::string_view> kValueStops;

// `text` lower-cased (ASCII) with each run of other than letters and digits as one "_":
// "Studio Ghibli" → "studio_ghibli". Empty when nothing is left.
std::string SnakeCase(std::string_view text);
std::string LowerAscii(std::string_view text);
// LowerAscii into `out`, whose buffer a caller lower-casing word after word keeps.
void LowerAsciiInto(std::string_view text, std::string& out);

// True when `word` is `target` or, for a target of at least seven letters, `target` with one
// letter missing, added, changed or two swapped: "vegitarian", "alergic".
bool NearlyIs(std::string_view word, std::string_view target);

// True when one of the words before `at` (back to the clause's start or at most `window`
// words) is a negation ("not", "never", "no").
bool NegatedBefore(const Clause& clause, std::size_t at, std::size_t window);
// True when the clause says the state is over: "no longer", "anymore", "used to", "stopped",
// "not … again"-style changes, and corrections ("not allergic after all").
bool SaysNoLonger(const Clause& clause);

}  // namespace loci::service::preferences
