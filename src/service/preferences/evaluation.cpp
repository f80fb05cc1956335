#include "service/preferences/evaluation.h"

#include <algorithm>
#include <map>

#include "service/preferences/extractor.h"

namespace loci::service {
namespace {

std::string_view Trim(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::vector<std::string_view> Split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> parts;
  for (std::size_t at = text.find(separator); at != std::string_view::npos;
       at = text.find(separator)) {
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + separator.size());
  }
  parts.push_back(text);
  return parts;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return lower(x) == lower(y);
  });
}

std::string Family(const std::string& key) {
  if (key.starts_with("likes:")) return "likes";
  if (key.starts_with("dislikes:")) return "dislikes";
  return key;
}

bool Matches(const PreferenceObservation& found, const ExpectedObservation& expected) {
  if (found.key != expected.key || found.retract != expected.retract) return false;
  return expected.retract || EqualsIgnoringCase(found.value, expected.value);
}

std::string Describe(std::string_view key, std::string_view value, bool retract) {
  return retract ? "!" + std::string(key) : std::string(key) + "=" + std::string(value);
}

}  // namespace

double KeyScore::Precision() const {
  int found = true_positives + false_positives;
  return found == 0 ? 1.0 : static_cast<double>(true_positives) / found;
}

double KeyScore::Recall() const {
  int expected = true_positives + false_negatives;
  return expected == 0 ? 1.0 : static_cast<double>(true_positives) / expected;
}

Result<std::vector<LabelledTurn>> ParseLabelledTurns(std::string_view tsv) {
  std::vector<LabelledTurn> turns;
  int line_number = 0;
  for (std::string_view line : Split(tsv, "\n")) {
    ++line_number;
    if (Trim(line).empty() || line.starts_with("#")) continue;
    std::vector<std::string_view> fields = Split(line, "\t");
    if (fields.size() != 3 || Trim(fields[0]).empty()) {
      return InvalidArgument("line " + std::to_string(line_number) +
                             ": expected text, observations and case, tab-separated");
    }
    LabelledTurn turn{.line = line_number,
                      .text = std::string(fields[0]),
                      .case_name = std::string(Trim(fields[2]))};
    if (Trim(fields[1]) != "-") {
      for (std::string_view item : Split(fields[1], ";")) {
        item = Trim(item);
        ExpectedObservation expected;
        if (item.starts_with("!")) {
          expected.key = std::string(item.substr(1));
          expected.retract = true;
        } else if (std::size_t eq = item.find('='); eq != std::string_view::npos && eq > 0) {
          expected.key = std::string(item.substr(0, eq));
          expected.value = std::string(item.substr(eq + 1));
        } else {
          return InvalidArgument("line " + std::to_string(line_number) +
                                 ": an observation is key=value or !key");
        }
        turn.expected.push_back(std::move(expected));
      }
    }
    turns.push_back(std::move(turn));
  }
  return turns;
}

EvaluationReport EvaluateExtractor(const std::vector<LabelledTurn>& turns) {
  EvaluationReport report;
  std::map<std::string, KeyScore> scores;
  auto score = [&](const std::string& key) -> KeyScore& {
    KeyScore& entry = scores[Family(key)];
    entry.key = Family(key);
    return entry;
  };
  for (const LabelledTurn& turn : turns) {
    ++report.turns;
    if (turn.expected.empty()) ++report.silent_turns;
    std::vector<PreferenceObservation> found = ExtractPreferences(turn.text, "m_eval");
    std::vector<bool> matched(turn.expected.size(), false);
    std::string where = "line " + std::to_string(turn.line) + ": ";
    for (const PreferenceObservation& observation : found) {
      bool right = false;
      for (std::size_t i = 0; i < turn.expected.size() && !right; ++i) {
        if (!matched[i] && Matches(observation, turn.expected[i])) matched[i] = right = true;
      }
      if (right) {
        ++score(observation.key).true_positives;
      } else {
        ++score(observation.key).false_positives;
        report.mistakes.push_back(
            where + "wrong " + Describe(observation.key, observation.value, observation.retract));
      }
    }
    for (std::size_t i = 0; i < turn.expected.size(); ++i) {
      if (matched[i]) continue;
      const ExpectedObservation& expected = turn.expected[i];
      ++score(expected.key).false_negatives;
      report.mistakes.push_back(where + "missed " +
                                Describe(expected.key, expected.value, expected.retract));
    }
  }
  report.overall.key = "overall";
  for (auto& [key, entry] : scores) {
    report.overall.true_positives += entry.true_positives;
    report.overall.false_positives += entry.false_positives;
    report.overall.false_negatives += entry.false_negatives;
    report.keys.push_back(entry);
  }
  return report;
}

}  // namespace loci::service
