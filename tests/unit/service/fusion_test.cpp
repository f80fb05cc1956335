#include "service/fusion.h"

#include <gtest/gtest.h>

namespace loci::service {
namespace {

std::vector<std::int64_t> Seqs(const std::vector<ScoredSeq>& ranked) {
  std::vector<std::int64_t> seqs;
  for (const ScoredSeq& scored : ranked) seqs.push_back(scored.seq);
  return seqs;
}

using V = std::vector<std::int64_t>;

TEST(FusionTest, ScoreFusionAddsMinMaxNormalizedScores) {
  // Full text: 1 best, 3 worst; semantic: 3 best, 2 worst. Scales differ wildly.
  const std::vector<ScoredSeq> fulltext = {{1, 12.0}, {2, 7.0}, {3, 2.0}};
  const std::vector<ScoredSeq> semantic = {{3, 0.9}, {1, 0.7}, {2, 0.1}};
  const auto fused =
      Fuse(fulltext, semantic, {.method = FusionMethod::kScore, .semantic_weight = 0.5});
  // 1: 0.5 * 1 + 0.5 * 0.75; 2: 0.5 * 0.5 + 0; 3: 0 + 0.5 * 1.
  ASSERT_EQ(Seqs(fused), (V{1, 3, 2}));
  EXPECT_DOUBLE_EQ(fused[0].score, 0.875);
  EXPECT_DOUBLE_EQ(fused[1].score, 0.5);
  EXPECT_DOUBLE_EQ(fused[2].score, 0.25);
}

TEST(FusionTest, WeightsMoveTheBalance) {
  const std::vector<ScoredSeq> fulltext = {{1, 5.0}, {2, 1.0}};
  const std::vector<ScoredSeq> semantic = {{2, 0.9}, {1, 0.2}};
  EXPECT_EQ(Seqs(Fuse(fulltext, semantic, {.semantic_weight = 0.2})), (V{1, 2}));
  EXPECT_EQ(Seqs(Fuse(fulltext, semantic, {.semantic_weight = 0.8})), (V{2, 1}));
  // Weight 0 or 1: one ranking decides; the other's messages still come, last.
  EXPECT_EQ(Seqs(Fuse(fulltext, {{3, 1.0}}, {.semantic_weight = 0.0})), (V{1, 3, 2}));
}

TEST(FusionTest, ReciprocalRankFusionIgnoresScores) {
  const std::vector<ScoredSeq> fulltext = {{1, 100.0}, {2, 99.0}, {3, 98.0}, {4, 1.0}};
  const std::vector<ScoredSeq> semantic = {{4, 0.99}, {2, 0.98}, {3, 0.5}};
  const FusionParams rrf{
      .method = FusionMethod::kReciprocalRank, .semantic_weight = 0.5, .rrf_k = 60};
  const auto fused = Fuse(fulltext, semantic, rrf);
  // 2 is second in both (2/62) and beats 4, first and last (1/61 + 1/64), whose full-text
  // score is tiny; 1, first in one ranking only, comes last.
  EXPECT_EQ(Seqs(fused), (V{2, 4, 3, 1}));
  EXPECT_DOUBLE_EQ(fused[0].score, 0.5 / 62 + 0.5 / 62);
}

TEST(FusionTest, AMessageInOneRankingOnlyStillCounts) {
  const auto fused =
      Fuse({{1, 3.0}, {2, 1.0}}, {{9, 0.5}},
           {.method = FusionMethod::kReciprocalRank, .semantic_weight = 0.5, .rrf_k = 1});
  EXPECT_EQ(Seqs(fused), (V{9, 1, 2}));  // 9 and 1 tie at 1/2 each: newer first
}

TEST(FusionTest, EqualScoresCountInFullAndEmptyInputsAreFine) {
  EXPECT_TRUE(Fuse({}, {}, {}).empty());
  EXPECT_EQ(Seqs(Fuse({{4, 2.0}, {5, 2.0}}, {}, {})), (V{5, 4}));
  EXPECT_DOUBLE_EQ(Fuse({{4, 2.0}}, {{4, -0.3}}, {})[0].score, 1.0);
}

}  // namespace
}  // namespace loci::service
