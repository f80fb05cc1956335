// Salience: what makes a sentence of a conversation worth keeping in a summary, judged from
// the sentence alone (no model, no corpus statistics) so that a summary can be re-judged from
// its own text when it is folded again.
//
// The facts a summary must keep are the names, numbers and dates a sentence holds:
// - a name is a word written with a capital first letter that does not start the sentence
//   (and is not "I", a month or a weekday): "went to Lisbon with Ana";
// - a number is a token holding a digit ("3", "3pm", "1,000") or a number word ("twelve");
// - a date is a month or weekday name, a relative day ("yesterday", "tonight") or a year
//   (a four-digit number from 1900 to 2099).
// Decisions and commitments ("decided", "will", "going to", "booked") raise a sentence too;
// greetings, acknowledgements and questions lower it.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace loci::service {

enum class FactKind { kName, kNumber, kDate };

struct Fact {
  FactKind kind = FactKind::kName;
  std::string text;  // as written in the sentence
};

// The facts of `sentence`, in the order they appear (repeats included).
std::vector<Fact> FindFacts(std::string_view sentence);

// How much `sentence` deserves a place in a summary: 0 when it holds nothing but stop words
// and fillers ("Thanks, that's great!"), about 1 for
// an ordinary statement, more for each fact and for a decision.
double Salience(std::string_view sentence);

}  // namespace loci::service
