// Contract: the durable work queue. Work is marked with an append (or on its own), merges into
// what is pending, is leased to one claimer at a time, survives a restart, is finished or
// retried, and goes with its user.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using model::UserRef;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const UserRef kAlice{"t1", "alice"};
const UserRef kBob{"t1", "bob"};

constexpr UnixMillis kNow = 1'700'000'000'000;
constexpr UnixMillis kLease = 60'000;

WorkMark Mark(std::string kind, std::string key, UnixMillis due_at = kNow) {
  return {.kind = std::move(kind), .key = std::move(key), .due_at = due_at};
}

class WorkContract {
 public:
  explicit WorkContract(Store& store) : store_(store) {}

  std::vector<WorkItem> Claim(UnixMillis now = kNow, int limit = 10) {
    auto items = store_.ClaimWork(now, now + kLease, limit);
    EXPECT_TRUE(items.ok()) << items.status().ToString();
    return items.ok() ? *items : std::vector<WorkItem>();
  }

 private:
  Store& store_;
};

AppendRequest WithWork(const UserRef& user, std::string session, std::vector<WorkMark> work,
                       std::vector<NewMessage> messages) {
  AppendRequest request = Request(user, std::move(session), std::move(messages));
  request.work = std::move(work);
  return request;
}

TEST_P(StoreContractTest, AppendMarksWorkThatOneClaimReceives) {
  ASSERT_TRUE(store()
                  .AppendAndWait(WithWork(kAlice, "s1", {Mark("fold", "s1"), Mark("learn", "")},
                                          {Message("alpha", 1)}))
                  .ok());
  WorkContract work(store());
  std::vector<WorkItem> items = work.Claim();
  ASSERT_THAT(items, SizeIs(2));
  for (const WorkItem& item : items) {
    EXPECT_EQ(item.user, kAlice);
    EXPECT_EQ(item.attempts, 0);
  }
  EXPECT_TRUE((items[0].kind == "fold" && items[0].key == "s1") || items[1].kind == "fold");
  // Leased: nobody else receives them until the lease runs out.
  EXPECT_THAT(work.Claim(kNow + 1), IsEmpty());
  EXPECT_THAT(work.Claim(kNow + kLease + 1), SizeIs(2));
}

TEST_P(StoreContractTest, WorkIsNotClaimedBeforeItIsDue) {
  ASSERT_TRUE(store()
                  .AppendAndWait(WithWork(kAlice, "s1", {Mark("fold", "s1", kNow + 500)},
                                          {Message("alpha", 1)}))
                  .ok());
  WorkContract work(store());
  EXPECT_THAT(work.Claim(kNow), IsEmpty());
  EXPECT_THAT(work.Claim(kNow + 500), SizeIs(1));
}

TEST_P(StoreContractTest, MarksOfTheSameWorkMergeAndKeepTheEarlierDueTime) {
  ASSERT_TRUE(store()
                  .AppendAndWait(WithWork(kAlice, "s1", {Mark("fold", "s1", kNow + 100)},
                                          {Message("alpha", 1)}))
                  .ok());
  ASSERT_TRUE(store().MarkWork(kAlice, {Mark("fold", "s1", kNow + 900)}).ok());
  WorkContract work(store());
  EXPECT_THAT(work.Claim(kNow + 99), IsEmpty());
  EXPECT_THAT(work.Claim(kNow + 100), SizeIs(1));
}

TEST_P(StoreContractTest, MarksInOneCallMergeAsIfMarkedOneByOne) {
  PutOne(kAlice, "s1", "alpha", 1);
  // One of them twice, the second due earlier: it merges into the first (its earlier due
  // time, one more generation) as if marked in a call of its own.
  ASSERT_TRUE(store()
                  .MarkWork(kAlice, {Mark("fold", "s1", kNow + 50), Mark("fold", "s2"),
                                     Mark("fold", "s3"), Mark("fold", "s4"), Mark("learn", ""),
                                     Mark("fold", "s1", kNow + 10), Mark("embed", "")})
                  .ok());
  WorkContract work(store());
  EXPECT_THAT(work.Claim(kNow + 9, 20), SizeIs(5));
  std::vector<WorkItem> folded = work.Claim(kNow + 10, 20);
  ASSERT_THAT(folded, SizeIs(1));
  EXPECT_EQ(folded[0].key, "s1");
  std::vector<WorkItem> once = work.Claim(kNow + kLease + 10, 20);
  ASSERT_THAT(once, SizeIs(6));
  for (const WorkItem& item : once) {
    if (item.key != "s1") {
      EXPECT_EQ(item.generation + 1, folded[0].generation);
    }
  }
}

TEST_P(StoreContractTest, AppendThatStoresNothingMarksNothing) {
  std::vector<NewMessage> keyed = {Message("alpha", 1)};
  keyed[0].idempotency_key = "k1";
  ASSERT_TRUE(store().AppendAndWait(Request(kAlice, "s1", keyed)).ok());
  ASSERT_TRUE(store().AppendAndWait(WithWork(kAlice, "s1", {Mark("fold", "s1")}, keyed)).ok());
  EXPECT_THAT(WorkContract(store()).Claim(), IsEmpty());
}

TEST_P(StoreContractTest, MarkWorkForAnUnknownUserMarksNothing) {
  ASSERT_TRUE(store().MarkWork(kAlice, {Mark("learn", "")}).ok());
  EXPECT_THAT(WorkContract(store()).Claim(), IsEmpty());
  PutOne(kAlice, "s1", "alpha", 1);
  ASSERT_TRUE(store().MarkWork(kAlice, {Mark("learn", "")}).ok());
  EXPECT_THAT(WorkContract(store()).Claim(), SizeIs(1));
}

TEST_P(StoreContractTest, FinishedWorkIsGoneUnlessMarkedAgainWhileItRan) {
  PutOne(kAlice, "s1", "alpha", 1);
  PutOne(kBob, "s1", "alpha", 1);
  ASSERT_TRUE(store().MarkWork(kAlice, {Mark("learn", "")}).ok());
  ASSERT_TRUE(store().MarkWork(kBob, {Mark("learn", "")}).ok());
  WorkContract work(store());
  std::vector<WorkItem> items = work.Claim();
  ASSERT_THAT(items, SizeIs(2));
  const WorkItem& alice = items[0].user == kAlice ? items[0] : items[1];
  const WorkItem& bob = items[0].user == kAlice ? items[1] : items[0];

  ASSERT_TRUE(store().MarkWork(kBob, {Mark("learn", "")}).ok());  // new work while it runs
  ASSERT_TRUE(store().FinishWork(alice).ok());
  ASSERT_TRUE(store().FinishWork(bob).ok());

  std::vector<WorkItem> again = work.Claim(kNow + 1);
  ASSERT_THAT(again, SizeIs(1));
  EXPECT_EQ(again[0].user, kBob);
  EXPECT_GT(again[0].generation, bob.generation);
  ASSERT_TRUE(store().FinishWork(again[0]).ok());
  EXPECT_THAT(work.Claim(kNow + kLease * 2), IsEmpty());
}

TEST_P(StoreContractTest, WorkMarkedWhileItRanWaitsUntilTheNewMarkIsDue) {
  PutOne(kAlice, "s1", "alpha", 1);
  ASSERT_TRUE(store().MarkWork(kAlice, {Mark("fold", "s1")}).ok());
  WorkContract work(store());
  std::vector<WorkItem> items = work.Claim();
  ASSERT_THAT(items, SizeIs(1));
  ASSERT_TRUE(store().MarkWork(kAlice, {Mark("fold", "s1", kNow + 2'000)}).ok());
  ASSERT_TRUE(store().MarkWork(kAlice, {Mark("fold", "s1", kNow + 3'000)}).ok());
  ASSERT_TRUE(store().FinishWork(items[0]).ok());
  EXPECT_THAT(work.Claim(kNow + 1'999), IsEmpty());
  EXPECT_THAT(work.Claim(kNow + 2'000), SizeIs(1));
}

TEST_P(StoreContractTest, RetriedWorkCountsAttemptsAndWaits) {
  PutOne(kAlice, "s1", "alpha", 1);
  ASSERT_TRUE(store().MarkWork(kAlice, {Mark("embed", "")}).ok());
  WorkContract work(store());
  std::vector<WorkItem> items = work.Claim();
  ASSERT_THAT(items, SizeIs(1));
  ASSERT_TRUE(store().RetryWork(items[0], kNow + 5'000).ok());
  EXPECT_THAT(work.Claim(kNow + 4'999), IsEmpty());
  std::vector<WorkItem> retried = work.Claim(kNow + 5'000);
  ASSERT_THAT(retried, SizeIs(1));
  EXPECT_EQ(retried[0].attempts, 1);
}

TEST_P(StoreContractTest, PendingWorkSurvivesARestart) {
  ASSERT_TRUE(
      store()
          .AppendAndWait(WithWork(kAlice, "s1", {Mark("fold", "s1")}, {Message("alpha", 1)}))
          .ok());
  Reopen();
  std::vector<WorkItem> items = WorkContract(store()).Claim();
  ASSERT_THAT(items, SizeIs(1));
  EXPECT_EQ(items[0].key, "s1");
}

TEST_P(StoreContractTest, WorkGoesWithItsUser) {
  PutOne(kAlice, "s1", "alpha", 1);
  PutOne(kBob, "s1", "alpha", 1);
  ASSERT_TRUE(store().MarkWork(kAlice, {Mark("learn", "")}).ok());
  ASSERT_TRUE(store().MarkWork(kBob, {Mark("learn", "")}).ok());
  std::vector<WorkItem> claimed = WorkContract(store()).Claim();
  ASSERT_THAT(claimed, SizeIs(2));
  ASSERT_TRUE(store().EraseUser(kAlice).ok());
  // The claimer of the erased user's item retries or finishes it without error.
  const WorkItem& alice = claimed[0].user == kAlice ? claimed[0] : claimed[1];
  EXPECT_TRUE(store().RetryWork(alice, kNow).ok());
  EXPECT_TRUE(store().FinishWork(alice).ok());
  std::vector<WorkItem> left = WorkContract(store()).Claim(kNow + kLease + 1);
  ASSERT_THAT(left, SizeIs(1));
  EXPECT_EQ(left[0].user, kBob);
}

}  // namespace
}  // namespace loci::storage::testing
