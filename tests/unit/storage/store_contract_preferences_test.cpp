// Contract: preferences (written by key, read with evidence, removed, forgotten through the
// user's newest message), the preference engine's state, and erasure: a message leaves the
// evidence and takes a learned preference left without any; the user takes everything.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using model::Preference;
using model::PreferenceSource;
using model::UserRef;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const UserRef kAlice{"t1", "alice"};
const UserRef kOtherAlice{"t2", "alice"};
constexpr UnixMillis kNow = 1'700'000'000'000;

Preference Pref(std::string key, std::string value, std::vector<std::string> evidence,
                PreferenceSource source = PreferenceSource::kExplicit, double confidence = 0.9) {
  return Preference{.key = std::move(key),
                    .value = std::move(value),
                    .category = "personal",
                    .confidence = confidence,
                    .source = source,
                    .evidence = std::move(evidence),
                    .updated_at = kNow};
}

PreferenceWrite Write(const UserRef& user) {
  PreferenceWrite write;
  write.user = user;
  write.now = kNow;
  return write;
}

void WriteOk(Store& store, const PreferenceWrite& write) {
  auto removed = store.WritePreferences(write);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
}

std::vector<Preference> Read(Store& store, const UserRef& user) {
  auto snapshot = store.Preferences(user);
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  return snapshot.ok() ? snapshot->preferences : std::vector<Preference>{};
}

std::vector<std::string> Keys(Store& store, const UserRef& user) {
  std::vector<std::string> keys;
  for (const Preference& preference : Read(store, user)) keys.push_back(preference.key);
  return keys;
}

TEST_P(StoreContractTest, PreferenceUnknownUserHasNoneAndReadingCreatesNothing) {
  auto snapshot = store().Preferences(kAlice);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_THAT(snapshot->preferences, IsEmpty());
  EXPECT_EQ(snapshot->state, PreferenceState{});
  EXPECT_EQ(*store().ForgottenThrough(kAlice, "diet"), std::nullopt);
  EXPECT_FALSE(store().EraseUser(kAlice)->existed);
}

TEST_P(StoreContractTest, PreferenceWritesByKeyAndReadsBackWithEvidence) {
  std::string m1 = PutOne(kAlice, "s1", "I am vegetarian", kNow);
  std::string m2 = PutOne(kAlice, "s1", "still vegetarian", kNow + 1);
  PreferenceWrite write = Write(kAlice);
  write.put = {Pref("diet", "vegetarian", {m1, m2, "m_unknown"}),
               Pref("likes:jazz", "jazz \u266b", {m2})};
  write.state = PreferenceState{.learned_seq = 7, .style = "opaque\0state", .model_seq = 5};
  WriteOk(store(), write);
  auto snapshot = store().Preferences(kAlice);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  ASSERT_EQ(snapshot->preferences.size(), 2u);
  const Preference& diet = snapshot->preferences[0];
  EXPECT_EQ(diet.key, "diet");
  EXPECT_EQ(diet.value, "vegetarian");
  EXPECT_EQ(diet.category, "personal");
  EXPECT_DOUBLE_EQ(diet.confidence, 0.9);
  EXPECT_EQ(diet.source, PreferenceSource::kExplicit);
  EXPECT_THAT(diet.evidence, ElementsAre(m1, m2));  // the unknown id is dropped
  EXPECT_EQ(diet.updated_at, kNow);
  EXPECT_EQ(snapshot->preferences[1].value, "jazz \u266b");
  EXPECT_EQ(snapshot->state, write.state);
  // Another tenant's user of the same id sees nothing.
  EXPECT_THAT(Keys(store(), kOtherAlice), IsEmpty());

  // Writing the key again replaces the row; evidence follows the new list.
  PreferenceWrite again = Write(kAlice);
  again.put = {Pref("diet", "vegan", {m2}, PreferenceSource::kExplicit, 0.95)};
  WriteOk(store(), again);
  std::vector<Preference> now = Read(store(), kAlice);
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].value, "vegan");
  EXPECT_THAT(now[0].evidence, ElementsAre(m2));
  Reopen();
  EXPECT_THAT(Keys(store(), kAlice), ElementsAre("diet", "likes:jazz"));
}

TEST_P(StoreContractTest, PreferenceRemovesAndForgetsThroughTheNewestMessage) {
  std::string m1 = PutOne(kAlice, "s1", "one", kNow);
  PreferenceWrite write = Write(kAlice);
  write.put = {Pref("diet", "vegan", {m1}), Pref("name", "Sam", {}, PreferenceSource::kManual)};
  WriteOk(store(), write);
  std::int64_t newest = Recent(kAlice, "s1").back().seq;

  PreferenceWrite forget = Write(kAlice);
  forget.forget = "diet";
  forget.remove = {"name", "absent"};
  auto removed = store().WritePreferences(forget);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 2);
  EXPECT_THAT(Keys(store(), kAlice), IsEmpty());
  EXPECT_EQ(*store().ForgottenThrough(kAlice, "diet"), newest);
  EXPECT_EQ(*store().ForgottenThrough(kAlice, "name"), std::nullopt);

  // Forgetting again after more messages moves the mark forward.
  PutOne(kAlice, "s1", "two", kNow + 1);
  WriteOk(store(), forget);
  EXPECT_EQ(*store().ForgottenThrough(kAlice, "diet"), Recent(kAlice, "s1").back().seq);
}

TEST_P(StoreContractTest, PreferenceErasedEvidenceTakesLearnedPreferencesButNotManualOnes) {
  std::string m1 = PutOne(kAlice, "s1", "one", kNow);
  std::string m2 = PutOne(kAlice, "s2", "two", kNow + 1);
  PreferenceWrite write = Write(kAlice);
  write.put = {Pref("diet", "vegan", {m1, m2}), Pref("location", "Berlin", {m1}),
               Pref("name", "Sam", {m1}, PreferenceSource::kManual)};
  WriteOk(store(), write);

  ASSERT_TRUE(store().EraseMessage(kAlice, m1).ok());
  std::vector<Preference> left = Read(store(), kAlice);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].key, "diet");
  EXPECT_THAT(left[0].evidence, ElementsAre(m2));
  EXPECT_EQ(left[1].key, "name");  // manual: kept without evidence
  EXPECT_THAT(left[1].evidence, IsEmpty());

  ASSERT_TRUE(store().EraseSession(kAlice, "s2").ok());
  EXPECT_THAT(Keys(store(), kAlice), ElementsAre("name"));
}

TEST_P(StoreContractTest, PreferenceErasingTheUserTakesEverythingAndCountsPreferences) {
  std::string m1 = PutOne(kAlice, "s1", "one", kNow);
  PreferenceWrite write = Write(kAlice);
  write.put = {Pref("diet", "vegan", {m1}), Pref("name", "Sam", {}, PreferenceSource::kManual)};
  write.forget = "location";
  write.state = PreferenceState{.learned_seq = 3, .style = "s"};
  WriteOk(store(), write);
  auto erased = store().EraseUser(kAlice);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_EQ(erased->preferences, 2);
  auto snapshot = store().Preferences(kAlice);
  ASSERT_TRUE(snapshot.ok());
  EXPECT_THAT(snapshot->preferences, IsEmpty());
  EXPECT_EQ(snapshot->state, PreferenceState{});
  EXPECT_EQ(*store().ForgottenThrough(kAlice, "location"), std::nullopt);
}

TEST_P(StoreContractTest, PreferenceAUserWithoutMessagesCanHoldPreferences) {
  PreferenceWrite write = Write(kAlice);
  write.put = {Pref("name", "Sam", {}, PreferenceSource::kManual, 1.0)};
  WriteOk(store(), write);
  EXPECT_THAT(Keys(store(), kAlice), ElementsAre("name"));
  // The user's first store afterwards works (a sealed store keeps the key it made).
  PutOne(kAlice, "s1", "hello", kNow);
  EXPECT_THAT(Keys(store(), kAlice), ElementsAre("name"));
}

TEST_P(StoreContractTest, PreferenceRejectsBadWrites) {
  PreferenceWrite no_user = Write(UserRef{"t1", ""});
  EXPECT_EQ(store().WritePreferences(no_user).status().code(), StatusCode::kInvalidArgument);
  PreferenceWrite bad = Write(kAlice);
  bad.put = {Pref("diet", "vegan", {}, PreferenceSource::kExplicit, 1.5)};
  EXPECT_EQ(store().WritePreferences(bad).status().code(), StatusCode::kInvalidArgument);
  bad.put = {Pref("", "vegan", {})};
  EXPECT_EQ(store().WritePreferences(bad).status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(Keys(store(), kAlice), IsEmpty());
}

}  // namespace
}  // namespace loci::storage::testing
