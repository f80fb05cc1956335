// Contract: a change of embedding model. The users whose vectors are not exactly one of the
// current model per message are marked for work in one call, and a user's vectors of other
// models are deleted while the current model's stay.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using model::UserRef;
using ::testing::UnorderedElementsAre;

const UserRef kAlice{"t1", "alice"};
const UserRef kBob{"t1", "bob"};
const UserRef kCarol{"t2", "carol"};
const UserRef kDan{"t2", "dan"};
constexpr char kOld[] = "test:model/1";
constexpr char kNew[] = "test:model/2";
constexpr UnixMillis kNow = 1'700'000'000'000;

NewMessage WithVector(NewMessage message, std::string model) {
  message.embedding = MessageEmbedding{.model = std::move(model), .vector = "v"};
  return message;
}

// The users of the work items due now, as "tenant/user".
std::vector<std::string> Marked(Store& store) {
  auto items = store.ClaimWork(kNow, kNow + 60'000, 100);
  EXPECT_TRUE(items.ok()) << items.status().ToString();
  std::vector<std::string> users;
  if (!items.ok()) return users;
  for (const WorkItem& item : *items) {
    EXPECT_EQ(item.kind, "embed");
    EXPECT_EQ(item.key, "sweep");
    users.push_back(item.user.tenant + "/" + item.user.user_id);
  }
  return users;
}

TEST_P(StoreContractTest, UsersWithStaleVectorsAreMarkedInOneCall) {
  Put(kAlice, "s1", {WithVector(Message("a", 1), kNew), WithVector(Message("b", 2), kNew)});
  Put(kBob, "s1", {WithVector(Message("c", 3), kNew), Message("d", 4)});  // one missing
  Put(kCarol, "s1", {WithVector(Message("e", 5), kOld)});                 // the old model's
  // Complete, but an old vector is left beside the new one.
  AppendOutcome dan = Put(kDan, "s1", {WithVector(Message("f", 6), kNew)});
  ASSERT_TRUE(store().PutEmbeddings(kDan, {{dan.message_ids[0], {kOld, "old"}}}).ok());

  const WorkMark mark{.kind = "embed", .key = "sweep", .due_at = kNow};
  auto marked = store().MarkStaleEmbeddingWork(kNew, mark);
  ASSERT_TRUE(marked.ok()) << marked.status().ToString();
  EXPECT_EQ(*marked, 3);
  EXPECT_THAT(Marked(store()), UnorderedElementsAre("t1/bob", "t2/carol", "t2/dan"));

  // An erased message no longer counts: bob's vectors are complete without it.
  auto bob_missing = store().MessagesWithoutEmbedding(kBob, kNew, 0, 10);
  ASSERT_TRUE(bob_missing.ok());
  ASSERT_EQ(bob_missing->size(), 1u);
  ASSERT_TRUE(store().EraseMessage(kBob, (*bob_missing)[0].id).ok());
  auto again = store().MarkStaleEmbeddingWork(kNew, mark);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 2);  // carol and dan
  // With nothing stale (no users at all here), nothing is marked.
  for (const UserRef& user : {kAlice, kBob, kCarol, kDan})
    ASSERT_TRUE(store().EraseUser(user).ok());
  auto none = store().MarkStaleEmbeddingWork(kNew, mark);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
}

TEST_P(StoreContractTest, VectorsOfOtherModelsAreDeletedAndTheCurrentOnesStay) {
  AppendOutcome alice =
      Put(kAlice, "s1",
          {WithVector(Message("a", 1), kOld), WithVector(Message("b", 2), kOld), Message("c", 3)});
  Put(kBob, "s1", {WithVector(Message("d", 4), kOld)});
  ASSERT_TRUE(store()
                  .PutEmbeddings(kAlice, {{alice.message_ids[0], {kNew, "new-a"}},
                                          {alice.message_ids[2], {"test:model/0", "older-c"}}})
                  .ok());

  auto deleted = store().DeleteOtherEmbeddings(kAlice, kNew);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, 3);
  EXPECT_EQ(*store().EmbeddingCount(kAlice, kOld), 0);
  EXPECT_EQ(*store().EmbeddingCount(kAlice, "test:model/0"), 0);
  auto kept = store().Embeddings(kAlice, kNew, {}, 0);
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].vector, "new-a");
  EXPECT_EQ(*store().EmbeddingCount(kBob, kOld), 1);  // another user's are not touched

  auto again = store().DeleteOtherEmbeddings(kAlice, kNew);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  auto unknown = store().DeleteOtherEmbeddings({"t9", "nobody"}, kNew);
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(*unknown, 0);
}

}  // namespace
}  // namespace loci::storage::testing
