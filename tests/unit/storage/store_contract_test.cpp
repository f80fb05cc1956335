// Contract: appending, reading back, sessions, paging, atomicity and idempotency.
#include "unit/storage/store_contract.h"

#include <gtest/gtest.h>

namespace loci::storage::testing {
namespace {

using model::Role;
using model::UserRef;

const UserRef kAlice{"t1", "alice"};
const UserRef kBob{"t1", "bob"};

std::vector<std::string> Contents(const std::vector<model::Message>& messages) {
  std::vector<std::string> contents;
  for (const auto& message : messages) contents.push_back(message.content);
  return contents;
}

TEST_P(StoreContractTest, AppendReadsBackEveryField) {
  NewMessage first = Message("hello there", 1000, Role::kUser);
  first.name = "Al";
  first.metadata_json = R"({"topic":"greeting","n":1})";
  first.token_count = 7;
  NewMessage second = Message("general kenobi", 1001, Role::kAssistant);
  std::vector<NewMessage> messages;
  messages.push_back(first);
  messages.push_back(second);
  AppendOutcome outcome = Put(kAlice, "s1", std::move(messages));
  EXPECT_EQ(outcome.stored, 2);
  EXPECT_EQ(outcome.duplicates, 0);
  ASSERT_EQ(outcome.message_ids.size(), 2u);
  EXPECT_TRUE(outcome.message_ids[0].starts_with("m_"));
  EXPECT_NE(outcome.message_ids[0], outcome.message_ids[1]);

  auto read = Recent(kAlice, "s1");
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].id, outcome.message_ids[0]);
  EXPECT_EQ(read[0].user_id, "alice");
  EXPECT_EQ(read[0].session_id, "s1");
  EXPECT_EQ(read[0].role, Role::kUser);
  EXPECT_EQ(read[0].name, std::optional<std::string>("Al"));
  EXPECT_EQ(read[0].content, "hello there");
  EXPECT_EQ(read[0].created_at, 1000);
  EXPECT_EQ(read[0].metadata_json, R"({"topic":"greeting","n":1})");
  EXPECT_EQ(read[0].token_count, 7);
  EXPECT_GT(read[0].seq, 0);
  EXPECT_EQ(read[1].id, outcome.message_ids[1]);
  EXPECT_EQ(read[1].role, Role::kAssistant);
  EXPECT_EQ(read[1].name, std::nullopt);
  EXPECT_EQ(read[1].metadata_json, "{}");
  EXPECT_GT(read[1].seq, read[0].seq);
}

TEST_P(StoreContractTest, EveryRoleAndUnicodeContentRoundTrip) {
  std::string content = "caf\xc3\xa9 \xf0\x9f\x98\x80 with\ttab and \"quotes\" and '; DROP";
  for (Role role : {Role::kUser, Role::kAssistant, Role::kSystem, Role::kTool}) {
    PutOne(kAlice, "s1", content, 5, role);
  }
  auto read = Recent(kAlice, "s1");
  ASSERT_EQ(read.size(), 4u);
  EXPECT_EQ(read[0].role, Role::kUser);
  EXPECT_EQ(read[1].role, Role::kAssistant);
  EXPECT_EQ(read[2].role, Role::kSystem);
  EXPECT_EQ(read[3].role, Role::kTool);
  for (const auto& message : read) EXPECT_EQ(message.content, content);
}

TEST_P(StoreContractTest, EmptyRequestStoresNothing) {
  AppendOutcome outcome = Put(kAlice, "s1", {});
  EXPECT_EQ(outcome.stored, 0);
  EXPECT_TRUE(outcome.message_ids.empty());
  auto sessions = store().Sessions(kAlice);
  ASSERT_TRUE(sessions.ok());
  EXPECT_TRUE(sessions->empty());
}

TEST_P(StoreContractTest, RecentWindowIsOldestFirstAndLimited) {
  for (int i = 0; i < 5; ++i) PutOne(kAlice, "s1", Numbered("m", i), 100 + i);
  std::vector<NewMessage> batch;
  for (int i = 5; i < 8; ++i) batch.push_back(Message(Numbered("m", i), 100 + i));
  Put(kAlice, "s1", std::move(batch));
  PutOne(kAlice, "other", "elsewhere", 200);

  EXPECT_EQ(Contents(Recent(kAlice, "s1", 3)), (std::vector<std::string>{"m5", "m6", "m7"}));
  EXPECT_EQ(Recent(kAlice, "s1", 100).size(), 8u);
  EXPECT_EQ(Contents(Recent(kAlice, "s1", 1)), (std::vector<std::string>{"m7"}));
  EXPECT_TRUE(Recent(kAlice, "s1", 0).empty());
  EXPECT_TRUE(Recent(kAlice, "missing").empty());
  EXPECT_TRUE(Recent(kBob, "s1").empty());
}

TEST_P(StoreContractTest, LatestSessionFollowsTheNewestMessage) {
  auto none = store().LatestSession(kAlice);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, std::nullopt);
  PutOne(kAlice, "s1", "a", 100);
  PutOne(kAlice, "s2", "b", 200);
  EXPECT_EQ(*store().LatestSession(kAlice), std::optional<std::string>("s2"));
  PutOne(kAlice, "s1", "c", 300);
  EXPECT_EQ(*store().LatestSession(kAlice), std::optional<std::string>("s1"));
  EXPECT_EQ(*store().LatestSession(kBob), std::nullopt);
}

TEST_P(StoreContractTest, SessionsAreOrderedByActivityWithCounts) {
  PutOne(kAlice, "old", "a", 100);
  PutOne(kAlice, "old", "b", 150);
  PutOne(kAlice, "new", "c", 300);
  PutOne(kAlice, "mid", "d", 200);
  PutOne(kAlice, "mid", "e", 250);
  PutOne(kAlice, "mid", "f", 120);  // an older timestamp does not move last_at back
  auto sessions = store().Sessions(kAlice);
  ASSERT_TRUE(sessions.ok()) << sessions.status().ToString();
  ASSERT_EQ(sessions->size(), 3u);
  EXPECT_EQ((*sessions)[0].session_id, "new");
  EXPECT_EQ((*sessions)[0].message_count, 1);
  EXPECT_EQ((*sessions)[1].session_id, "mid");
  EXPECT_EQ((*sessions)[1].message_count, 3);
  EXPECT_EQ((*sessions)[1].first_at, 120);
  EXPECT_EQ((*sessions)[1].last_at, 250);
  EXPECT_EQ((*sessions)[2].session_id, "old");
  EXPECT_EQ((*sessions)[2].first_at, 100);
  EXPECT_EQ((*sessions)[2].last_at, 150);
  EXPECT_TRUE(store().Sessions(kBob)->empty());
}

TEST_P(StoreContractTest, SessionMessagesPagesBackwards) {
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(PutOne(kAlice, "s1", Numbered("m", i), i));
  PutOne(kAlice, "s2", "other", 50);

  auto page = store().SessionMessages(kAlice, "s1", 4, std::nullopt);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Contents(*page), (std::vector<std::string>{"m6", "m7", "m8", "m9"}));
  page = store().SessionMessages(kAlice, "s1", 4, ids[6]);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Contents(*page), (std::vector<std::string>{"m2", "m3", "m4", "m5"}));
  page = store().SessionMessages(kAlice, "s1", 4, ids[2]);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Contents(*page), (std::vector<std::string>{"m0", "m1"}));
  page = store().SessionMessages(kAlice, "s1", 4, ids[0]);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->empty());

  EXPECT_EQ(store().SessionMessages(kAlice, "s1", 4, "m_NOPE").status().code(),
            StatusCode::kNotFound);
  std::string other = Recent(kAlice, "s2")[0].id;
  EXPECT_EQ(store().SessionMessages(kAlice, "s1", 4, other).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().SessionMessages(kBob, "s1", 4, ids[6]).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().SessionMessages(kAlice, "missing", 4, std::nullopt).status().code(),
            StatusCode::kNotFound);
}

TEST_P(StoreContractTest, SessionsReadInTheOrderTurnsWereSaid) {
  // Imported history may arrive out of order: the window and pages follow created_at.
  PutOne(kAlice, "s1", "said at 14:00", 1400);
  PutOne(kAlice, "s1", "said at 13:00", 1300);
  PutOne(kAlice, "s1", "said at 15:00", 1500);
  EXPECT_EQ(Contents(Recent(kAlice, "s1")),
            (std::vector<std::string>{"said at 13:00", "said at 14:00", "said at 15:00"}));
  auto newest = store().RecentMessages(kAlice, "s1", 1);
  ASSERT_TRUE(newest.ok());
  EXPECT_EQ(Contents(*newest), (std::vector<std::string>{"said at 15:00"}));
  auto page = store().SessionMessages(kAlice, "s1", 1, (*newest)[0].id);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Contents(*page), (std::vector<std::string>{"said at 14:00"}));
}

TEST_P(StoreContractTest, KeyRepeatedInsideRequestStoresNothing) {
  std::vector<NewMessage> messages;
  messages.push_back(Message("first", 1));
  messages.push_back(Message("second", 2));
  messages.push_back(Message("third", 3));
  messages[0].idempotency_key = "k1";
  messages[2].idempotency_key = "k1";
  AppendRequest request = Request(kAlice, "s1", std::move(messages));
  auto outcome = store().AppendAndWait(std::move(request));
  EXPECT_EQ(outcome.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Recent(kAlice, "s1").empty());
  EXPECT_TRUE(store().Sessions(kAlice)->empty());
  EXPECT_EQ(store().Stats(kAlice)->documents, 0);
  // The key was not taken by the failed request.
  std::vector<NewMessage> retry;
  retry.push_back(Message("first", 1));
  retry[0].idempotency_key = "k1";
  EXPECT_EQ(Put(kAlice, "s1", std::move(retry)).stored, 1);
}

TEST_P(StoreContractTest, MessageKeysDeduplicate) {
  std::vector<NewMessage> messages;
  messages.push_back(Message("once", 1));
  messages[0].idempotency_key = "k1";
  AppendOutcome first = Put(kAlice, "s1", messages);
  ASSERT_EQ(first.message_ids.size(), 1u);

  messages.push_back(Message("new", 2));
  messages[1].idempotency_key = "k2";
  AppendOutcome second = Put(kAlice, "s1", messages);
  ASSERT_EQ(second.message_ids.size(), 2u);
  EXPECT_EQ(second.message_ids[0], first.message_ids[0]);
  EXPECT_EQ(second.stored, 1);
  EXPECT_EQ(second.duplicates, 1);
  EXPECT_EQ(Contents(Recent(kAlice, "s1")), (std::vector<std::string>{"once", "new"}));
  EXPECT_EQ(store().Sessions(kAlice)->at(0).message_count, 2);
  EXPECT_EQ(store().Stats(kAlice)->documents, 2);

  // A duplicate sent to another session does not create that session.
  std::vector<NewMessage> elsewhere;
  elsewhere.push_back(Message("once", 1));
  elsewhere[0].idempotency_key = "k1";
  AppendOutcome third = Put(kAlice, "s2", std::move(elsewhere));
  EXPECT_EQ(third.duplicates, 1);
  EXPECT_EQ(third.message_ids[0], first.message_ids[0]);
  EXPECT_EQ(store().Sessions(kAlice)->size(), 1u);
}

TEST_P(StoreContractTest, RequestKeyReturnsTheFirstOutcome) {
  auto request = [&] {
    std::vector<NewMessage> messages;
    messages.push_back(Message("a", 1));
    messages.push_back(Message("b", 2));
    AppendRequest built = Request(kAlice, "s1", std::move(messages));
    built.request_key = "req-1";
    return built;
  };
  auto first = store().AppendAndWait(request());
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->stored, 2);
  auto again = store().AppendAndWait(request());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->message_ids, first->message_ids);
  EXPECT_EQ(again->stored, 0);
  EXPECT_EQ(again->duplicates, 2);
  EXPECT_EQ(Recent(kAlice, "s1").size(), 2u);
}

TEST_P(StoreContractTest, IdempotencyKeysArePerUser) {
  const UserRef alice_elsewhere{"t2", "alice"};
  for (const UserRef& user : {kAlice, kBob, alice_elsewhere}) {
    std::vector<NewMessage> messages;
    messages.push_back(Message("same", 1));
    messages[0].idempotency_key = "k1";
    AppendRequest request = Request(user, "s1", std::move(messages));
    request.request_key = "req-1";
    auto outcome = store().AppendAndWait(std::move(request));
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome->stored, 1) << user.tenant << "/" << user.user_id;
    EXPECT_EQ(Recent(user, "s1").size(), 1u);
  }
}

TEST_P(StoreContractTest, ReopenKeepsEverything) {
  std::string id = PutOne(kAlice, "s1", "durable words", 10);
  std::vector<NewMessage> keyed;
  keyed.push_back(Message("keyed", 11));
  keyed[0].idempotency_key = "k";
  Put(kAlice, "s1", keyed);
  Reopen();
  Reopen();
  auto read = Recent(kAlice, "s1");
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].id, id);
  EXPECT_EQ(read[0].content, "durable words");
  EXPECT_EQ(PostingSeqs(kAlice, "durable").size(), 1u);
  EXPECT_EQ(store().Stats(kAlice)->documents, 2);
  EXPECT_EQ(Put(kAlice, "s1", keyed).duplicates, 1);
}

}  // namespace
}  // namespace loci::storage::testing
