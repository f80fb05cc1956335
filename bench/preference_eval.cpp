// Prints the preference extractor's precision and recall per key and overall on a labelled
// set (service/preferences/evaluation.h), and with --mistakes every missed or wrong observation.
//
//   build/preference_eval [eval/preferences.tsv] [--mistakes]
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "service/preferences/evaluation.h"

namespace {

void PrintRow(const loci::service::KeyScore& score) {
  std::printf("%-16s %5d %5d %5d %9.3f %7.3f\n", score.key.c_str(), score.true_positives,
              score.false_positives, score.false_negatives, score.Precision(), score.Recall());
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = "eval/preferences.tsv";
  bool mistakes = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--mistakes") {
      mistakes = true;
    } else {
      path = arg;
    }
  }
  std::ifstream file(path);
  if (!file) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 2;
  }
  std::stringstream content;
  content << file.rdbuf();
  auto turns = loci::service::ParseLabelledTurns(content.str());
  if (!turns.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), turns.status().ToString().c_str());
    return 2;
  }
  loci::service::EvaluationReport report = loci::service::EvaluateExtractor(*turns);
  std::printf("%d turns, %d of which must yield nothing\n\n", report.turns, report.silent_turns);
  std::printf("%-16s %5s %5s %5s %9s %7s\n", "key", "tp", "fp", "fn", "precision", "recall");
  for (const auto& score : report.keys) PrintRow(score);
  PrintRow(report.overall);
  if (mistakes) {
    std::printf("\n");
    for (const std::string& mistake : report.mistakes) std::printf("%s\n", mistake.c_str());
  }
  return 0;
}
