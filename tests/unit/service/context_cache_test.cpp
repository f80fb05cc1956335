#include "service/context_cache.h"

#include <gtest/gtest.h>

#include <set>

namespace loci::service {
namespace {

std::shared_ptr<const ContextPack> PackOf(std::string prompt) {
  auto pack = std::make_shared<ContextPack>();
  pack->prompt = std::move(prompt);
  return pack;
}

const model::UserRef kAlice{"t1", "alice"};
const model::UserRef kBob{"t1", "bob"};

TEST(ContextCacheTest, ServesAPackUntilTheUserChanges) {
  ContextCache cache(1 << 20);
  const std::string key = ContextCache::KeyOf(kAlice, {.user_id = "alice"});
  std::uint64_t generation = cache.Generation(kAlice);
  EXPECT_EQ(cache.Find(key, generation), nullptr);
  cache.Insert(key, generation, PackOf("first"));
  ASSERT_NE(cache.Find(key, generation), nullptr);
  EXPECT_EQ(cache.Find(key, generation)->prompt, "first");

  cache.Invalidate(kAlice);
  generation = cache.Generation(kAlice);
  EXPECT_EQ(cache.Find(key, generation), nullptr);
}

TEST(ContextCacheTest, APackBuiltBeforeAChangeIsNeverServed) {
  ContextCache cache(1 << 20);
  const std::string key = ContextCache::KeyOf(kAlice, {.user_id = "alice"});
  const std::uint64_t before = cache.Generation(kAlice);
  cache.Invalidate(kAlice);  // a write lands while the pack is being built
  cache.Insert(key, before, PackOf("stale"));
  EXPECT_EQ(cache.Find(key, cache.Generation(kAlice)), nullptr);
}

TEST(ContextCacheTest, KeysSeparateUsersTenantsAndParameters) {
  std::set<std::string> keys = {
      ContextCache::KeyOf(kAlice, {.user_id = "alice"}),
      ContextCache::KeyOf(kBob, {.user_id = "bob"}),
      ContextCache::KeyOf({"t2", "alice"}, {.user_id = "alice"}),
      ContextCache::KeyOf(kAlice, {.user_id = "alice", .session_id = "s1"}),
      ContextCache::KeyOf(kAlice, {.user_id = "alice", .max_messages = 5}),
      ContextCache::KeyOf(kAlice, {.user_id = "alice", .max_tokens = 5}),
      ContextCache::KeyOf(kAlice, {.user_id = "alice", .session_id = "latest"}),
  };
  EXPECT_EQ(keys.size(), 7u);
}

TEST(ContextCacheTest, EvictsTheLeastRecentlyUsedBeyondTheBudget) {
  ContextCache cache(40 * 1024);
  const std::uint64_t generation = cache.Generation(kAlice);
  const std::string big(5 * 1024, 'x');
  for (int i = 0; i < 20; ++i) {
    cache.Insert("k" + std::to_string(i), generation, PackOf(big));
    ASSERT_NE(cache.Find("k0", generation), nullptr) << i;  // kept fresh by use
  }
  EXPECT_EQ(cache.Find("k1", generation), nullptr);
  EXPECT_NE(cache.Find("k19", generation), nullptr);
  // A pack over a quarter of the budget is not kept at all.
  cache.Insert("huge", generation, PackOf(std::string(20 * 1024, 'y')));
  EXPECT_EQ(cache.Find("huge", generation), nullptr);
}

}  // namespace
}  // namespace loci::service
