#include "service/vector_cache.h"

#include <gtest/gtest.h>

#include "service/vector_codec.h"

namespace loci::service {
namespace {

const model::UserRef kAlice{"t1", "alice"};
const model::UserRef kBob{"t1", "bob"};

std::shared_ptr<const VectorMatrix> MatrixOf(int rows) {
  std::vector<storage::StoredEmbedding> stored;
  for (int i = 0; i < rows; ++i) {
    stored.push_back(
        {.seq = i + 1, .session_id = "s", .vector = EncodeVector(std::vector<float>{1.0F, 0.0F})});
  }
  return std::make_shared<const VectorMatrix>(*VectorMatrix::Build(stored));
}

TEST(VectorCacheTest, ServesAMatrixOnlyAtItsGenerationAndModel) {
  VectorCache cache(1 << 20);
  auto matrix = MatrixOf(3);
  cache.Insert(kAlice, "m1", 5, matrix);
  EXPECT_EQ(cache.Find(kAlice, "m1", 5), matrix);
  EXPECT_EQ(cache.Find(kBob, "m1", 5), nullptr);
  EXPECT_EQ(cache.Find(kAlice, "m2", 5), nullptr);  // another model: stale, and dropped
  EXPECT_EQ(cache.Find(kAlice, "m1", 5), nullptr);
  cache.Insert(kAlice, "m1", 5, matrix);
  EXPECT_EQ(cache.Find(kAlice, "m1", 6), nullptr);  // the user's data changed
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(VectorCacheTest, DropForgetsAtOnceAndTheBudgetEvictsLeastRecentlyUsed) {
  auto matrix = MatrixOf(1000);
  VectorCache cache(matrix->bytes() * 2 + matrix->bytes() / 2);
  cache.Insert(kAlice, "m", 1, matrix);
  cache.Insert(kBob, "m", 1, matrix);
  EXPECT_EQ(cache.bytes(), 2 * matrix->bytes());
  cache.Drop(kAlice);
  EXPECT_EQ(cache.Find(kAlice, "m", 1), nullptr);
  EXPECT_EQ(cache.bytes(), matrix->bytes());

  const model::UserRef carol{"t1", "carol"};
  cache.Insert(kAlice, "m", 1, matrix);
  ASSERT_NE(cache.Find(kBob, "m", 1), nullptr);  // bob is now the most recently used
  cache.Insert(carol, "m", 1, matrix);
  EXPECT_EQ(cache.Find(kAlice, "m", 1), nullptr);
  EXPECT_NE(cache.Find(kBob, "m", 1), nullptr);
  EXPECT_NE(cache.Find(carol, "m", 1), nullptr);

  VectorCache tiny(16);
  tiny.Insert(kAlice, "m", 1, matrix);
  EXPECT_EQ(tiny.Find(kAlice, "m", 1), nullptr);
  EXPECT_EQ(tiny.bytes(), 0u);
}

}  // namespace
}  // namespace loci::service
