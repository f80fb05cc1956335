#include "service/byte_lru.h"

#include <gtest/gtest.h>

#include <string>

namespace loci::service {
namespace {

TEST(ByteLruTest, EvictsTheLeastRecentlyUsedBeyondTheBudget) {
  ByteLru<int> lru(10);
  lru.Put("a", 1, 4);
  lru.Put("b", 2, 4);
  ASSERT_NE(lru.Find("a"), nullptr);  // "b" is now the least recently used
  lru.Put("c", 3, 4);
  EXPECT_EQ(lru.Find("b"), nullptr);
  EXPECT_EQ(*lru.Find("a"), 1);
  EXPECT_EQ(*lru.Find("c"), 3);
  EXPECT_EQ(lru.bytes(), 8u);
}

TEST(ByteLruTest, PeekLeavesRecencyAlone) {
  ByteLru<int> lru(8);
  lru.Put("a", 1, 4);
  lru.Put("b", 2, 4);
  ASSERT_NE(lru.Peek("a"), nullptr);
  lru.Put("c", 3, 4);  // "a" was still the least recently used
  EXPECT_EQ(lru.Peek("a"), nullptr);
  EXPECT_NE(lru.Peek("b"), nullptr);
}

TEST(ByteLruTest, PutReplacesAndTheNewestStaysEvenOverTheBudget) {
  ByteLru<std::string> lru(10);
  lru.Put("a", "one", 4);
  lru.Put("a", "two", 5);
  EXPECT_EQ(*lru.Find("a"), "two");
  EXPECT_EQ(lru.bytes(), 5u);
  lru.Put("big", "x", 50);
  EXPECT_EQ(lru.Find("a"), nullptr);
  EXPECT_NE(lru.Find("big"), nullptr);
  EXPECT_EQ(lru.bytes(), 50u);
}

TEST(ByteLruTest, ResizeEvictsOthersAndEraseForgets) {
  ByteLru<int> lru(10);
  lru.Put("a", 1, 3);
  lru.Put("b", 2, 3);
  lru.Resize("a", 9);  // grown: "b" goes, "a" stays
  EXPECT_EQ(lru.Peek("b"), nullptr);
  EXPECT_EQ(lru.bytes(), 9u);
  lru.Resize("missing", 100);
  EXPECT_EQ(lru.bytes(), 9u);
  lru.Erase("a");
  EXPECT_EQ(lru.Peek("a"), nullptr);
  EXPECT_EQ(lru.bytes(), 0u);
}

}  // namespace
}  // namespace loci::service
