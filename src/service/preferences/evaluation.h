// Measures the preference extractor against a labelled set (eval/preferences.tsv): precision
// and recall per key and overall. Used by the unit test that holds the extractor to its
// targets and by bench/preference_eval, which prints the table.
//
// The set's format, one user turn a line: text <TAB> expected <TAB> case. `expected` is "-"
// for none, else observations joined by " ; ", each key=value (set) or !key (retract). Lines
// that are empty or start with '#' are comments.
// An observation counts as right when its key and kind match an expected one and, for a
// setting, its value matches too (ignoring ASCII case).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace loci::service {

struct ExpectedObservation {
  std::string key;
  std::string value;  // empty for a retraction
  bool retract = false;
};

struct LabelledTurn {
  int line = 0;  // in the set, for messages
  std::string text;
  std::vector<ExpectedObservation> expected;
  std::string case_name;  // explicit, change, retract, other_person, question, …
};

struct KeyScore {
  std::string key;  // "likes" and "dislikes" stand for every likes:<thing> / dislikes:<thing>
  int true_positives = 0;
  int false_positives = 0;
  int false_negatives = 0;
  double Precision() const;  // 1 when nothing was found
  double Recall() const;     // 1 when nothing was expected
};

struct EvaluationReport {
  int turns = 0;
  int silent_turns = 0;               // turns that must yield nothing
  std::vector<KeyScore> keys;         // sorted by key
  KeyScore overall;                   // key "overall"
  std::vector<std::string> mistakes;  // "line N: missed …" / "line N: wrong …"
};

// The turns of a labelled set. InvalidArgument naming the line for a malformed line.
Result<std::vector<LabelledTurn>> ParseLabelledTurns(std::string_view tsv);

// Runs ExtractPreferences over every turn and scores it.
EvaluationReport EvaluateExtractor(const std::vector<LabelledTurn>& turns);

}  // namespace loci::service
