// Contract: privacy settings (read without creating, partial updates, erased with the user)
// and the retention purge (expired messages go, with their index entries, statistics and
// session counters; emptied sessions go; the stricter retention applies; bounded batches).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using model::PrivacyChange;
using model::PrivacySettings;
using model::UserRef;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const UserRef kAlice{"t1", "alice"};
const UserRef kBob{"t1", "bob"};
const UserRef kOtherAlice{"t2", "alice"};

constexpr UnixMillis kDay = 24LL * 60 * 60 * 1000;
constexpr UnixMillis kNow = 1'700'000'000'000;

PrivacyChange RetentionChange(std::optional<int> days) {
  PrivacyChange change;
  change.retention_days = days;
  return change;
}

PurgeRequest Purge(std::optional<int> global_days, int max_messages = 500) {
  PurgeRequest request;
  request.now = kNow;
  request.retention_days = global_days;
  request.max_messages = max_messages;
  return request;
}

// Runs batches until none is left; returns the messages erased per user_id.
std::map<std::string, std::int64_t> PurgeAll(Store& store, const PurgeRequest& request) {
  std::map<std::string, std::int64_t> erased;
  for (int batch = 0; batch < 100; ++batch) {
    auto outcome = store.PurgeExpired(request);
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    if (!outcome.ok()) break;
    for (const PurgedUser& user : outcome->users) erased[user.user.user_id] += user.messages;
    if (!outcome->more) break;
  }
  return erased;
}

TEST_P(StoreContractTest, PrivacyOfUnknownUserIsUnsetAndCreatesNothing) {
  auto settings = store().Privacy(kAlice);
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  EXPECT_EQ(*settings, std::nullopt);
  EXPECT_FALSE(store().EraseUser(kAlice)->existed);
}

TEST_P(StoreContractTest, PrivacyUpdatesArePartialAndDurable) {
  PrivacyChange off;
  off.store_messages = false;
  auto first = store().UpdatePrivacy(kAlice, off, kNow);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  PrivacySettings expected;
  expected.store_messages = false;
  EXPECT_EQ(*first, expected);

  PrivacyChange more;
  more.retention_days = std::optional<int>(30);
  more.redact_pii = true;
  auto second = store().UpdatePrivacy(kAlice, more, kNow);
  ASSERT_TRUE(second.ok());
  expected.retention_days = 30;
  expected.redact_pii = true;
  EXPECT_EQ(*second, expected);

  Reopen();
  EXPECT_EQ(*store().Privacy(kAlice), expected);
  // Same id, other tenant: its own (unset) settings.
  EXPECT_EQ(*store().Privacy(kOtherAlice), std::nullopt);

  auto cleared = store().UpdatePrivacy(kAlice, RetentionChange(std::nullopt), kNow);
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(cleared->retention_days, std::nullopt);
  EXPECT_FALSE(cleared->store_messages);
}

TEST_P(StoreContractTest, PrivacyRefusesRetentionOutOfRange) {
  EXPECT_EQ(store().UpdatePrivacy(kAlice, RetentionChange(0), kNow).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().UpdatePrivacy(kAlice, RetentionChange(36'501), kNow).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(*store().Privacy(kAlice), std::nullopt);
}

TEST_P(StoreContractTest, SettingsBeforeTheFirstStoreAndErasureWithTheUser) {
  ASSERT_TRUE(store().UpdatePrivacy(kAlice, RetentionChange(7), kNow).ok());
  PutOne(kAlice, "s1", "alpha beta", kNow);
  ASSERT_EQ(Recent(kAlice, "s1").size(), 1u);
  EXPECT_EQ(Recent(kAlice, "s1")[0].content, "alpha beta");
  EXPECT_EQ(PostingSeqs(kAlice, "alpha").size(), 1u);

  auto erased = store().EraseUser(kAlice);
  ASSERT_TRUE(erased.ok());
  EXPECT_TRUE(erased->existed);
  EXPECT_EQ(*store().Privacy(kAlice), std::nullopt);
}

TEST_P(StoreContractTest, EraseUserWithOnlySettings) {
  ASSERT_TRUE(store().UpdatePrivacy(kAlice, RetentionChange(7), kNow).ok());
  auto erased = store().EraseUser(kAlice);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_TRUE(erased->existed);
  EXPECT_FALSE(erased->key_destroyed);
  EXPECT_EQ(*store().Privacy(kAlice), std::nullopt);
}

TEST_P(StoreContractTest, PurgeErasesExpiredMessagesConsistently) {
  // s1: two expired, one kept; s2: only expired (goes); Bob: one expired, one kept.
  PutOne(kAlice, "s1", "alpha old", kNow - 40 * kDay);
  PutOne(kAlice, "s1", "alpha older", kNow - 50 * kDay);
  std::string kept = PutOne(kAlice, "s1", "alpha new", kNow - 10 * kDay);
  PutOne(kAlice, "s2", "beta old", kNow - 31 * kDay);
  PutOne(kBob, "s1", "alpha old", kNow - 45 * kDay);
  PutOne(kBob, "s1", "alpha fresh", kNow);

  auto outcome = store().PurgeExpired(Purge(30));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->messages, 4);
  EXPECT_FALSE(outcome->more);
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> by_user;
  for (const PurgedUser& user : outcome->users) {
    EXPECT_EQ(user.user.tenant, "t1");
    by_user[user.user.user_id] = {user.messages, user.sessions};
  }
  EXPECT_EQ(by_user["alice"], std::make_pair(std::int64_t{3}, std::int64_t{1}));
  EXPECT_EQ(by_user["bob"], std::make_pair(std::int64_t{1}, std::int64_t{0}));

  std::vector<model::Message> left = Recent(kAlice, "s1");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, kept);
  EXPECT_THAT(Recent(kAlice, "s2"), IsEmpty());
  auto sessions = store().Sessions(kAlice);
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ((*sessions)[0].session_id, "s1");
  EXPECT_EQ((*sessions)[0].message_count, 1);
  EXPECT_EQ((*sessions)[0].first_at, kNow - 10 * kDay);
  EXPECT_EQ(store().Stats(kAlice)->documents, 1);
  EXPECT_EQ(store().Stats(kAlice)->total_length, 2);
  EXPECT_THAT(PostingSeqs(kAlice, "alpha"), ElementsAre(left[0].seq));
  EXPECT_THAT(PostingSeqs(kAlice, "old"), IsEmpty());
  EXPECT_THAT(PostingSeqs(kAlice, "beta"), IsEmpty());
  EXPECT_EQ(PostingSeqs(kBob, "alpha").size(), 1u);
  EXPECT_EQ(store().Stats(kBob)->documents, 1);

  // Nothing more to do; and later stores still work and are indexed.
  auto again = store().PurgeExpired(Purge(30));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->messages, 0);
  EXPECT_THAT(again->users, IsEmpty());
  PutOne(kAlice, "s2", "beta again", kNow);
  EXPECT_EQ(PostingSeqs(kAlice, "beta").size(), 1u);
  EXPECT_EQ(store().Stats(kAlice)->documents, 2);
}

TEST_P(StoreContractTest, PurgeWithoutAnyRetentionErasesNothing) {
  PutOne(kAlice, "s1", "alpha", 1);
  auto outcome = store().PurgeExpired(Purge(std::nullopt));
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->messages, 0);
  EXPECT_EQ(Recent(kAlice, "s1").size(), 1u);
}

TEST_P(StoreContractTest, PurgeAppliesTheStricterRetention) {
  // Alice keeps 10 days (stricter than the operator's 30); Bob asks 60 (the operator's 30
  // wins); Carol has only her own 5 when the operator sets none.
  const UserRef carol{"t1", "carol"};
  ASSERT_TRUE(store().UpdatePrivacy(kAlice, RetentionChange(10), kNow).ok());
  ASSERT_TRUE(store().UpdatePrivacy(kBob, RetentionChange(60), kNow).ok());
  ASSERT_TRUE(store().UpdatePrivacy(carol, RetentionChange(5), kNow).ok());
  for (const UserRef& user : {kAlice, kBob, carol}) {
    PutOne(user, "s1", "day20", kNow - 20 * kDay);
    PutOne(user, "s1", "day7", kNow - 7 * kDay);
    PutOne(user, "s1", "day1", kNow - 1 * kDay);
    PutOne(user, "s1", "day40", kNow - 40 * kDay);
  }
  auto erased = PurgeAll(store(), Purge(std::nullopt));
  EXPECT_EQ(erased, (std::map<std::string, std::int64_t>{{"alice", 2}, {"carol", 3}}))
      << "only own limits";
  erased.clear();
  erased = PurgeAll(store(), Purge(30));
  EXPECT_EQ(erased["bob"], 1);  // day40, by the operator's 30
  EXPECT_EQ(erased["alice"], 0);
  EXPECT_EQ(Recent(kAlice, "s1").size(), 2u);
  EXPECT_EQ(Recent(kBob, "s1").size(), 3u);
  EXPECT_EQ(Recent(carol, "s1").size(), 1u);
}

TEST_P(StoreContractTest, PurgeRunsInBoundedBatches) {
  for (int i = 0; i < 7; ++i) PutOne(kAlice, Numbered("s", i % 3), "old", kNow - 40 * kDay - i);
  PutOne(kAlice, "s0", "new", kNow);
  auto first = store().PurgeExpired(Purge(30, 3));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->messages, 3);
  EXPECT_TRUE(first->more);
  auto rest = PurgeAll(store(), Purge(30, 3));
  EXPECT_EQ(rest["alice"], 4);
  EXPECT_THAT(PostingSeqs(kAlice, "old"), IsEmpty());
  EXPECT_EQ(store().Stats(kAlice)->documents, 1);
  auto sessions = store().Sessions(kAlice);
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ((*sessions)[0].message_count, 1);
  EXPECT_EQ(store().PurgeExpired(Purge(30, 0)).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace loci::storage::testing
