// Contract: erasing users, sessions and messages keeps the index, the statistics and the
// session counters consistent with what remains.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using model::UserRef;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const UserRef kAlice{"t1", "alice"};
const UserRef kBob{"t1", "bob"};

TEST_P(StoreContractTest, EraseUserRemovesEverythingAndIsIdempotent) {
  PutOne(kAlice, "s1", "alpha beta", 1);
  std::vector<NewMessage> keyed;
  keyed.push_back(Message("alpha gamma", 2));
  keyed[0].idempotency_key = "k1";
  keyed[0].attributes = {model::MetadataAttribute("a", "1")};
  AppendRequest request = Request(kAlice, "s2", keyed);
  request.request_key = "req";
  ASSERT_TRUE(store().AppendAndWait(request).ok());
  PutOne(kBob, "s1", "alpha", 3);

  auto erased = store().EraseUser(kAlice);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_TRUE(erased->existed);
  EXPECT_EQ(erased->messages, 2);
  EXPECT_EQ(erased->sessions, 2);

  EXPECT_THAT(Recent(kAlice, "s1"), IsEmpty());
  EXPECT_THAT(*store().Sessions(kAlice), IsEmpty());
  EXPECT_EQ(*store().LatestSession(kAlice), std::nullopt);
  EXPECT_EQ(store().Stats(kAlice)->documents, 0);
  EXPECT_EQ(store().Stats(kAlice)->total_length, 0);
  EXPECT_THAT(PostingSeqs(kAlice, "alpha"), IsEmpty());
  EXPECT_THAT(PostingSeqs(kAlice, "alpha", Filter().Attributes(keyed[0].attributes)), IsEmpty());
  // Other users are untouched.
  EXPECT_EQ(PostingSeqs(kBob, "alpha").size(), 1u);
  EXPECT_EQ(store().Stats(kBob)->documents, 1);

  // The keys went with the user: the same request stores anew.
  auto again = store().AppendAndWait(request);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->stored, 1);

  ASSERT_TRUE(store().EraseUser(kAlice).ok());
  auto twice = store().EraseUser(kAlice);
  ASSERT_TRUE(twice.ok());
  EXPECT_FALSE(twice->existed);
  EXPECT_FALSE(twice->key_destroyed);
  EXPECT_EQ(twice->messages, 0);
  EXPECT_EQ(twice->sessions, 0);
  auto unknown = store().EraseUser({"t9", "nobody"});
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->existed);
}

TEST_P(StoreContractTest, EraseSessionKeepsTheRestConsistent) {
  PutOne(kAlice, "s1", "alpha beta", 1);
  PutOne(kAlice, "s1", "alpha", 2);
  PutOne(kAlice, "s2", "alpha gamma delta", 3);
  auto erased = store().EraseSession(kAlice, "s1");
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_EQ(*erased, 2);

  EXPECT_THAT(Recent(kAlice, "s1"), IsEmpty());
  auto sessions = store().Sessions(kAlice);
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ((*sessions)[0].session_id, "s2");
  EXPECT_EQ(store().Stats(kAlice)->documents, 1);
  EXPECT_EQ(store().Stats(kAlice)->total_length, 3);
  EXPECT_EQ(PostingSeqs(kAlice, "alpha").size(), 1u);
  EXPECT_THAT(PostingSeqs(kAlice, "beta"), IsEmpty());
  EXPECT_EQ(*store().LatestSession(kAlice), std::optional<std::string>("s2"));

  EXPECT_EQ(store().EraseSession(kAlice, "s1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().EraseSession(kBob, "s2").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Recent(kAlice, "s2").size(), 1u);
  // The session id can be used again afterwards.
  PutOne(kAlice, "s1", "fresh", 4);
  EXPECT_EQ(store().Sessions(kAlice)->size(), 2u);
}

TEST_P(StoreContractTest, EraseMessageKeepsIndexStatsAndSessionConsistent) {
  std::string first = PutOne(kAlice, "s1", "alpha beta", 10);
  std::string middle = PutOne(kAlice, "s1", "alpha gamma gamma", 20);
  std::string last = PutOne(kAlice, "s1", "beta", 30);
  PutOne(kAlice, "s2", "other", 5);

  ASSERT_TRUE(store().EraseMessage(kAlice, middle).ok());
  EXPECT_EQ(store().Stats(kAlice)->documents, 3);
  EXPECT_EQ(store().Stats(kAlice)->total_length, 4);
  EXPECT_THAT(PostingSeqs(kAlice, "gamma"), IsEmpty());
  EXPECT_EQ(PostingSeqs(kAlice, "alpha").size(), 1u);
  auto read = Recent(kAlice, "s1");
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].id, first);
  EXPECT_EQ(read[1].id, last);

  // Erasing the first and the last message moves the session's bounds.
  ASSERT_TRUE(store().EraseMessage(kAlice, first).ok());
  auto sessions = store().Sessions(kAlice);
  ASSERT_EQ(sessions->size(), 2u);
  EXPECT_EQ((*sessions)[0].session_id, "s1");
  EXPECT_EQ((*sessions)[0].message_count, 1);
  EXPECT_EQ((*sessions)[0].first_at, 30);
  EXPECT_EQ((*sessions)[0].last_at, 30);

  // A session whose last message goes is dropped.
  ASSERT_TRUE(store().EraseMessage(kAlice, last).ok());
  sessions = store().Sessions(kAlice);
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ((*sessions)[0].session_id, "s2");
  EXPECT_EQ(*store().LatestSession(kAlice), std::optional<std::string>("s2"));
  EXPECT_EQ(store().Stats(kAlice)->documents, 1);
  EXPECT_EQ(store().Stats(kAlice)->total_length, 1);
  EXPECT_THAT(PostingSeqs(kAlice, "beta"), IsEmpty());

  EXPECT_EQ(store().EraseMessage(kAlice, last).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().EraseMessage(kAlice, "m_UNKNOWN").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().EraseMessage(kBob, first).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreContractTest, ErasedMessageKeyStillDeduplicates) {
  std::vector<NewMessage> keyed;
  keyed.push_back(Message("erase me", 1));
  keyed[0].idempotency_key = "k1";
  keyed[0].attributes = {model::MetadataAttribute("a", "1")};
  AppendOutcome first = Put(kAlice, "s1", keyed);
  ASSERT_EQ(first.message_ids.size(), 1u);
  ASSERT_TRUE(store().EraseMessage(kAlice, first.message_ids[0]).ok());
  EXPECT_THAT(PostingSeqs(kAlice, "erase", Filter().Attributes(keyed[0].attributes)), IsEmpty());
  // A retry must not bring erased content back.
  AppendOutcome retry = Put(kAlice, "s1", keyed);
  EXPECT_EQ(retry.stored, 0);
  EXPECT_EQ(retry.duplicates, 1);
  EXPECT_EQ(retry.message_ids, first.message_ids);
  EXPECT_THAT(Recent(kAlice, "s1"), IsEmpty());
}

}  // namespace
}  // namespace loci::storage::testing
