#include "service/work_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "unit/test_clocks.h"

namespace loci::service {
namespace {

using storage::WorkItem;
using storage::WorkMark;

const model::UserRef kAlice{"t1", "alice"};

class WorkRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::sqlite::SqliteStore::Open({.path = dir_.Path("loci.db")});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    // The user must exist for work to be marked.
    storage::AppendRequest request;
    request.user = kAlice;
    request.session_id = "s1";
    request.messages.resize(1);
    request.messages[0].content = "hello";
    ASSERT_TRUE(store_->AppendAndWait(request).ok());
  }

  void Mark(std::string kind, std::string key = "") {
    ASSERT_TRUE(
        store_->MarkWork(kAlice, {WorkMark{std::move(kind), std::move(key), clock_.NowMillis()}})
            .ok());
  }

  int RunDue(WorkRunner& runner) {
    Result<int> runs = runner.RunDue();
    EXPECT_TRUE(runs.ok()) << runs.status().ToString();
    return runs.ok() ? *runs : -1;
  }

  loci::testing::TempDir dir_;
  loci::testing::ManualClock clock_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  WorkRunnerOptions options_{.min_backoff_ms = 1000, .max_backoff_ms = 8000};
};

TEST_F(WorkRunnerTest, RunsMarkedWorkOnceOnItsHandler) {
  WorkRunner runner(*store_, clock_, options_);
  std::vector<std::string> seen;
  runner.Register("fold", [&](const WorkItem& item) {
    EXPECT_EQ(item.user, kAlice);
    seen.push_back(item.key);
    return Status::Ok();
  });
  Mark("fold", "s1");
  EXPECT_EQ(RunDue(runner), 1);
  EXPECT_EQ(seen, std::vector<std::string>{"s1"});
  EXPECT_EQ(RunDue(runner), 0);  // finished work is gone
}

TEST_F(WorkRunnerTest, FailedWorkIsRetriedWithGrowingBackoff) {
  WorkRunner runner(*store_, clock_, options_);
  int calls = 0;
  runner.Register("embed", [&](const WorkItem& item) {
    EXPECT_EQ(item.attempts, calls);
    ++calls;
    return calls < 3 ? Unavailable("provider down") : Status::Ok();
  });
  Mark("embed");
  EXPECT_EQ(RunDue(runner), 1);
  EXPECT_EQ(RunDue(runner), 0);  // not before its backoff
  clock_.Advance(999);
  EXPECT_EQ(RunDue(runner), 0);
  clock_.Advance(1000 / 4 + 1);  // the first backoff: 1 s plus up to a quarter
  EXPECT_EQ(RunDue(runner), 1);
  clock_.Advance(1999);  // the second is twice as long
  EXPECT_EQ(RunDue(runner), 0);
  clock_.Advance(2000 / 4 + 1);
  EXPECT_EQ(RunDue(runner), 1);
  EXPECT_EQ(calls, 3);
  clock_.Advance(60'000);
  EXPECT_EQ(RunDue(runner), 0);  // succeeded: gone
}

TEST_F(WorkRunnerTest, WorkThatCannotSucceedIsDropped) {
  WorkRunner runner(*store_, clock_, options_);
  int calls = 0;
  runner.Register("learn", [&](const WorkItem&) {
    ++calls;
    return InvalidArgument("bad item");
  });
  Mark("learn");
  EXPECT_EQ(RunDue(runner), 1);
  clock_.Advance(60'000);
  EXPECT_EQ(RunDue(runner), 0);
  EXPECT_EQ(calls, 1);
}

TEST_F(WorkRunnerTest, WorkOfAnUnknownKindWaitsForAHandler) {
  {
    WorkRunner without(*store_, clock_, options_);
    Mark("future");
    EXPECT_EQ(RunDue(without), 1);
  }
  WorkRunner runner(*store_, clock_, options_);
  int calls = 0;
  runner.Register("future", [&](const WorkItem&) {
    ++calls;
    return Status::Ok();
  });
  clock_.Advance(options_.max_backoff_ms * 2);
  EXPECT_EQ(RunDue(runner), 1);
  EXPECT_EQ(calls, 1);
}

TEST_F(WorkRunnerTest, WorkMarkedWhileItsHandlerRunsRunsAgain) {
  WorkRunner runner(*store_, clock_, options_);
  int calls = 0;
  runner.Register("fold", [&](const WorkItem&) {
    if (++calls == 1) Mark("fold", "s1");  // a store arrives meanwhile
    return Status::Ok();
  });
  Mark("fold", "s1");
  EXPECT_EQ(RunDue(runner), 2);
  EXPECT_EQ(calls, 2);
}

TEST_F(WorkRunnerTest, ThreadsRunNotifiedWorkAndStopWaitsForHandlersInFlight) {
  options_.threads = 2;
  options_.poll_interval = std::chrono::hours(1);  // only Notify wakes them
  WorkRunner runner(*store_, clock_, options_);
  std::atomic<int> done{0};
  runner.Register("fold", [&](const WorkItem&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ++done;
    return Status::Ok();
  });
  runner.Start();
  Mark("fold", "s1");
  Mark("fold", "s2");
  runner.Notify();
  for (int i = 0; i < 500 && done.load() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(done.load(), 2);

  Mark("fold", "s3");
  runner.Notify();
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  runner.Stop();
  // Either the handler had started and Stop waited for it, or it had not and the item is left.
  int left = RunDue(runner);
  EXPECT_EQ(done.load() + left, 3);
}

}  // namespace
}  // namespace loci::service
