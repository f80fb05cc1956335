// Holds the preference extractor to its targets on the project's labelled set
// (eval/preferences.tsv): precision >= 0.95 and recall >= 0.85 overall.
#include "service/preferences/evaluation.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace loci::service {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

TEST(PreferenceEvaluationTest, ExtractorMeetsTargetsOnTheLabelledSet) {
  auto turns = ParseLabelledTurns(ReadFile(LOCI_EVAL_DIR "/preferences.tsv"));
  ASSERT_TRUE(turns.ok()) << turns.status().ToString();
  ASSERT_GE(turns->size(), 200u);
  EvaluationReport report = EvaluateExtractor(*turns);
  std::string mistakes;
  for (const std::string& mistake : report.mistakes) mistakes += mistake + "\n";
  EXPECT_GE(report.overall.Precision(), 0.95) << mistakes;
  EXPECT_GE(report.overall.Recall(), 0.85) << mistakes;
  EXPECT_GE(report.silent_turns, 80);
  EXPECT_EQ(report.keys.size(), 16u);  // every key of API.md is in the set
}

// The held-out sets (eval/README.md) are not targets the rules were written for, but a drop on
// them shows rules that no longer generalise.
TEST(PreferenceEvaluationTest, ExtractorHoldsUpOnTheHeldOutSets) {
  for (const char* name : {"/preferences_holdout.tsv", "/preferences_blind.tsv"}) {
    auto turns = ParseLabelledTurns(ReadFile(std::string(LOCI_EVAL_DIR) + name));
    ASSERT_TRUE(turns.ok()) << name << ": " << turns.status().ToString();
    EvaluationReport report = EvaluateExtractor(*turns);
    EXPECT_GE(report.overall.Precision(), 0.9) << name;
    EXPECT_GE(report.overall.Recall(), 0.8) << name;
  }
}

TEST(PreferenceEvaluationTest, ScoresAgainstTheLabels) {
  auto turns = ParseLabelledTurns(
      "# comment\nI'm vegan.\tdiet=vegan\texplicit\nMy sister is vegan.\tdiet=vegan\tother\n"
      "I'm no longer vegan.\t!diet\tretract\nI love jazz.\t-\tnone\n");
  ASSERT_TRUE(turns.ok());
  ASSERT_EQ(turns->size(), 4u);
  EvaluationReport report = EvaluateExtractor(*turns);
  EXPECT_EQ(report.overall.true_positives, 2);
  EXPECT_EQ(report.overall.false_negatives, 1);  // the sister's diet, wrongly labelled
  EXPECT_EQ(report.overall.false_positives, 1);  // jazz, wrongly labelled as nothing
}

TEST(PreferenceEvaluationTest, MalformedLinesNameTheirLine) {
  auto turns = ParseLabelledTurns("ok\t-\tnone\nno tabs here\n");
  ASSERT_FALSE(turns.ok());
  EXPECT_NE(turns.status().ToString().find("line 2"), std::string::npos);
  EXPECT_FALSE(ParseLabelledTurns("text\tnot an observation\tcase\n").ok());
}

}  // namespace
}  // namespace loci::service
