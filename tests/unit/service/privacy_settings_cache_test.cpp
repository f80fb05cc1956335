#include "service/privacy_settings_cache.h"

#include <gtest/gtest.h>

namespace loci::service {
namespace {

model::PrivacySettings Off() {
  model::PrivacySettings settings;
  settings.store_messages = false;
  return settings;
}

TEST(PrivacySettingsCacheTest, HoldsWhatWasPutByUser) {
  PrivacySettingsCache cache(10);
  const model::UserRef user{"t1", "u1"};
  EXPECT_EQ(cache.Find(user), std::nullopt);
  cache.Put(user, Off(), cache.Generation());
  EXPECT_EQ(cache.Find(user), Off());
  EXPECT_EQ(cache.Find({"t2", "u1"}), std::nullopt);  // another tenant's user of that id
  EXPECT_EQ(cache.Find({"t1", "u2"}), std::nullopt);
}

TEST(PrivacySettingsCacheTest, InvalidateDropsOnlyThatUser) {
  PrivacySettingsCache cache(10);
  cache.Put({"t1", "u1"}, Off(), cache.Generation());
  cache.Put({"t1", "u2"}, Off(), cache.Generation());
  cache.Invalidate({"t1", "u1"});
  EXPECT_EQ(cache.Find({"t1", "u1"}), std::nullopt);
  EXPECT_EQ(cache.Find({"t1", "u2"}), Off());
  EXPECT_EQ(cache.size(), 1u);
}

TEST(PrivacySettingsCacheTest, AReadThatRacedAChangeIsNotKept) {
  PrivacySettingsCache cache(10);
  const model::UserRef user{"t1", "u1"};
  const std::uint64_t before_read = cache.Generation();
  cache.Invalidate(user);  // the settings changed while they were being read
  cache.Put(user, model::PrivacySettings{}, before_read);
  EXPECT_EQ(cache.Find(user), std::nullopt);
  // Read again after the change: kept.
  cache.Put(user, Off(), cache.Generation());
  EXPECT_EQ(cache.Find(user), Off());
}

TEST(PrivacySettingsCacheTest, EvictsTheLeastRecentlyUsedBeyondMaxUsers) {
  PrivacySettingsCache cache(2);
  cache.Put({"t1", "a"}, Off(), cache.Generation());
  cache.Put({"t1", "b"}, Off(), cache.Generation());
  ASSERT_TRUE(cache.Find({"t1", "a"}));  // "b" is now the least recently used
  cache.Put({"t1", "c"}, Off(), cache.Generation());
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find({"t1", "b"}), std::nullopt);
  EXPECT_TRUE(cache.Find({"t1", "a"}));
  EXPECT_TRUE(cache.Find({"t1", "c"}));
}

}  // namespace
}  // namespace loci::service
