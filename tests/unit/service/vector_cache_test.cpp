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

TEST(VectorCacheTest, KeepsAMatrixWithItsGenerationPerUserAndModel) {
  VectorCache cache(1 << 20);
  auto matrix = MatrixOf(3);
  cache.Insert(kAlice, "m1", 5, matrix);
  auto found = cache.Find(kAlice, "m1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->matrix, matrix);
  EXPECT_EQ(found->generation, 5u);
  EXPECT_FALSE(cache.Find(kBob, "m1").has_value());
  cache.Insert(kAlice, "m1", 6, MatrixOf(4));  // replaces
  EXPECT_EQ(cache.Find(kAlice, "m1")->generation, 6u);
  EXPECT_EQ(cache.Find(kAlice, "m1")->matrix->rows(), 4u);
  EXPECT_FALSE(cache.Find(kAlice, "m2").has_value());  // another model: dropped
  EXPECT_FALSE(cache.Find(kAlice, "m1").has_value());
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(VectorCacheTest, DropForgetsAtOnceAndTheBudgetEvictsLeastRecentlyUsed) {
  auto matrix = MatrixOf(1000);
  VectorCache cache(matrix->bytes() * 2 + matrix->bytes() / 2);
  cache.Insert(kAlice, "m", 1, matrix);
  cache.Insert(kBob, "m", 1, matrix);
  EXPECT_EQ(cache.bytes(), 2 * matrix->bytes());
  cache.Drop(kAlice);
  EXPECT_FALSE(cache.Find(kAlice, "m").has_value());
  EXPECT_EQ(cache.bytes(), matrix->bytes());

  const model::UserRef carol{"t1", "carol"};
  cache.Insert(kAlice, "m", 1, matrix);
  ASSERT_TRUE(cache.Find(kBob, "m").has_value());  // bob is now the most recently used
  cache.Insert(carol, "m", 1, matrix);
  EXPECT_FALSE(cache.Find(kAlice, "m").has_value());
  EXPECT_TRUE(cache.Find(kBob, "m").has_value());
  EXPECT_TRUE(cache.Find(carol, "m").has_value());

  VectorCache tiny(16);
  tiny.Insert(kAlice, "m", 1, matrix);
  EXPECT_FALSE(tiny.Find(kAlice, "m").has_value());
  EXPECT_EQ(tiny.bytes(), 0u);
}

}  // namespace
}  // namespace loci::service
