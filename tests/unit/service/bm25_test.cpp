#include "service/bm25.h"

#include <gtest/gtest.h>

namespace loci::service {
namespace {

storage::TermPostings Term(std::string term, std::vector<storage::Posting> postings) {
  return {std::move(term), std::move(postings)};
}

TEST(Bm25Test, RareTermsOutweighCommonOnes) {
  // 10 documents of length 10; "lisbon" in one, "moved" in five.
  storage::CorpusStats stats{10, 100};
  auto ranked =
      RankBm25({Term("lisbon", {{1, 1, 10}}),
                Term("moved", {{2, 1, 10}, {3, 1, 10}, {4, 1, 10}, {5, 1, 10}, {6, 1, 10}})},
               stats);
  ASSERT_EQ(ranked.size(), 6u);
  EXPECT_EQ(ranked[0].seq, 1);
  EXPECT_GT(ranked[0].score, ranked[1].score);
}

TEST(Bm25Test, MatchingMoreTermsRanksHigher) {
  storage::CorpusStats stats{4, 40};
  auto ranked = RankBm25(
      {Term("caroline", {{1, 1, 10}, {2, 1, 10}}), Term("lisbon", {{2, 1, 10}, {3, 1, 10}})},
      stats);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].seq, 2);
}

TEST(Bm25Test, ShorterDocumentsWinAtEqualFrequency) {
  storage::CorpusStats stats{3, 60};
  auto ranked = RankBm25({Term("jazz", {{1, 1, 40}, {2, 1, 5}})}, stats);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].seq, 2);
}

TEST(Bm25Test, TermFrequencySaturates) {
  storage::CorpusStats stats{3, 30};
  auto ranked = RankBm25({Term("jazz", {{1, 1, 10}, {2, 2, 10}, {3, 50, 10}})}, stats);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].seq, 3);
  // k1 bounds the gain: 50 occurrences are worth less than (k1 + 1) times one occurrence.
  EXPECT_LT(ranked[0].score, 2.2 * ranked[2].score);
}

TEST(Bm25Test, EmptyInputsGiveNothing) {
  EXPECT_TRUE(RankBm25({}, {0, 0}).empty());
  EXPECT_TRUE(RankBm25({Term("absent", {})}, {5, 50}).empty());
}

TEST(Bm25Test, TiesPreferNewerMessages) {
  storage::CorpusStats stats{2, 20};
  auto ranked = RankBm25({Term("same", {{7, 1, 10}, {9, 1, 10}})}, stats);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].seq, 9);
}

}  // namespace
}  // namespace loci::service
