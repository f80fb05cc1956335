// The writer's group commit: jobs share a transaction, a failing job is undone alone, a
// transaction lost as a whole fails every job in it, and a durable job finishes only after a
// sync of the log that began after its commit.
#include "storage/sqlite/writer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "temp_dir.h"

namespace loci::storage::sqlite {
namespace {

class FunctionJob final : public WriteJob {
 public:
  FunctionJob(std::function<Status(Connection&)> run, std::promise<Status>* finished,
              bool exclusive = false, bool durable = true, bool repeatable = false)
      : run_(std::move(run)),
        finished_(finished),
        exclusive_(exclusive),
        durable_(durable),
        repeatable_(repeatable) {}
  Status Run(Connection& db) override { return run_(db); }
  void Finish(Status status) override { finished_->set_value(std::move(status)); }
  bool exclusive() const override { return exclusive_; }
  bool durable() const override { return durable_; }
  bool repeatable() const override { return repeatable_; }

 private:
  std::function<Status(Connection&)> run_;
  std::promise<Status>* finished_;
  bool exclusive_;
  bool durable_;
  bool repeatable_;
};

// Wraps `run` so that `runs` counts its calls.
std::function<Status(Connection&)> Counted(std::function<Status(Connection&)> run, int* runs) {
  return [run = std::move(run), runs](Connection& db) {
    ++*runs;
    return run(db);
  };
}

Status InsertThenFail(Connection& db) {
  RETURN_IF_ERROR(db.Exec("INSERT INTO t VALUES (2)"));
  return Internal("job failed after writing");
}

// A log whose syncs the test counts, holds back, or fails.
class TestLog final : public LogSync {
 public:
  struct State {
    std::mutex mutex;
    std::condition_variable changed;
    int syncs = 0;
    bool held = false;  // Sync waits while true
    Status result;
  };
  explicit TestLog(std::shared_ptr<State> state) : state_(std::move(state)) {}
  Status Sync() override {
    std::unique_lock lock(state_->mutex);
    state_->changed.wait(lock, [this] { return !state_->held; });
    ++state_->syncs;
    return state_->result;
  }

 private:
  std::shared_ptr<State> state_;
};

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Connection::Open(dir_.Path("w.db"), {.create = true});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER)").ok());
    auto writer = Writer::Start(std::move(db).value(), 100);
    ASSERT_TRUE(writer.ok()) << writer.status().message();
    writer_ = std::move(writer).value();
  }

  // A writer on the test's database whose log is `log_`, with `lazy_wait`.
  std::unique_ptr<Writer> StartWithTestLog(
      std::chrono::milliseconds lazy_wait = std::chrono::milliseconds(0)) {
    auto db = Connection::Open(dir_.Path("w.db"), {});
    EXPECT_TRUE(db.ok());
    auto writer =
        Writer::Start(std::move(db).value(), 100, lazy_wait, std::make_unique<TestLog>(log_));
    EXPECT_TRUE(writer.ok());
    return std::move(writer).value();
  }

  void HoldSyncs(bool held) {
    std::lock_guard lock(log_->mutex);
    log_->held = held;
    log_->changed.notify_all();
  }

  int Syncs() {
    std::lock_guard lock(log_->mutex);
    return log_->syncs;
  }

  // Holds the writer in an exclusive job until the returned promise is set, so that the jobs
  // queued meanwhile land in one batch.
  std::promise<void> Pause() {
    std::promise<void> release;
    auto released = release.get_future().share();
    writer_->Submit(std::make_unique<FunctionJob>(
        [released](Connection&) {
          released.wait();
          return Status::Ok();
        },
        &paused_, /*exclusive=*/true));
    return release;
  }

  static std::function<Status(Connection&)> Insert(int x) {
    return
        [x](Connection& db) { return db.Exec("INSERT INTO t VALUES (" + std::to_string(x) + ")"); };
  }

  std::int64_t Count() {
    auto db = Connection::Open(dir_.Path("w.db"), {});
    return *(*db)->QueryInt("SELECT count(*) FROM t");
  }

  loci::testing::TempDir dir_;
  std::unique_ptr<Writer> writer_;
  std::promise<Status> paused_;
  std::shared_ptr<TestLog::State> log_ = std::make_shared<TestLog::State>();
};

TEST_F(WriterTest, FailingJobIsUndoneAloneAndOthersCommitTogether) {
  std::promise<void> release = Pause();
  std::promise<Status> first, second, third;
  writer_->Submit(std::make_unique<FunctionJob>(Insert(1), &first));
  writer_->Submit(std::make_unique<FunctionJob>(
      [](Connection& db) -> Status {
        RETURN_IF_ERROR(db.Exec("INSERT INTO t VALUES (2)"));
        return Internal("job failed after writing");
      },
      &second));
  writer_->Submit(std::make_unique<FunctionJob>(Insert(3), &third));
  release.set_value();
  EXPECT_TRUE(first.get_future().get().ok());
  EXPECT_EQ(second.get_future().get().code(), StatusCode::kInternal);
  EXPECT_TRUE(third.get_future().get().ok());
  EXPECT_EQ(Count(), 2);
  WriteCounters counters = writer_->counters();
  EXPECT_EQ(counters.transactions, 1);  // the pause ran outside any transaction
  EXPECT_EQ(counters.jobs, 3);          // the pause and the two good inserts
}

TEST_F(WriterTest, RepeatableJobsRunAgainWhenOneOfThemFails) {
  std::promise<void> release = Pause();
  std::promise<Status> first, second, third;
  int first_runs = 0;
  writer_->Submit(std::make_unique<FunctionJob>(Counted(Insert(1), &first_runs), &first, false,
                                                true, /*repeatable=*/true));
  writer_->Submit(
      std::make_unique<FunctionJob>(InsertThenFail, &second, false, true, /*repeatable=*/true));
  writer_->Submit(std::make_unique<FunctionJob>(Insert(3), &third, false, true, true));
  release.set_value();
  EXPECT_TRUE(first.get_future().get().ok());
  EXPECT_EQ(second.get_future().get().code(), StatusCode::kInternal);
  EXPECT_TRUE(third.get_future().get().ok());
  EXPECT_EQ(first_runs, 2);  // its first writes were rolled back with the failed job's
  EXPECT_EQ(Count(), 2);
  EXPECT_EQ(writer_->counters().transactions, 1);
}

TEST_F(WriterTest, AJobThatIsNotRepeatableRunsOnceWhenALaterOneFails) {
  std::promise<void> release = Pause();
  std::promise<Status> first, second;
  int first_runs = 0;
  writer_->Submit(std::make_unique<FunctionJob>(Counted(Insert(1), &first_runs), &first));
  writer_->Submit(
      std::make_unique<FunctionJob>(InsertThenFail, &second, false, true, /*repeatable=*/true));
  release.set_value();
  EXPECT_TRUE(first.get_future().get().ok());
  EXPECT_EQ(second.get_future().get().code(), StatusCode::kInternal);
  EXPECT_EQ(first_runs, 1);
  EXPECT_EQ(Count(), 1);
}

TEST_F(WriterTest, TransactionLostAsAWholeFailsEveryJob) {
  std::promise<void> release = Pause();
  std::promise<Status> first, second, third;
  writer_->Submit(std::make_unique<FunctionJob>(Insert(1), &first));
  // What SQLite does on a full disk or an I/O error: roll the whole transaction back.
  writer_->Submit(
      std::make_unique<FunctionJob>([](Connection& db) { return db.Exec("ROLLBACK"); }, &second));
  writer_->Submit(std::make_unique<FunctionJob>(Insert(3), &third));
  release.set_value();
  EXPECT_FALSE(first.get_future().get().ok());
  EXPECT_FALSE(second.get_future().get().ok());
  EXPECT_FALSE(third.get_future().get().ok());
  EXPECT_EQ(Count(), 0);
  EXPECT_EQ(writer_->counters().transactions, 0);
  // The writer carries on with the next batch.
  std::promise<Status> after;
  writer_->Submit(std::make_unique<FunctionJob>(Insert(4), &after));
  EXPECT_TRUE(after.get_future().get().ok());
  EXPECT_EQ(Count(), 1);
}

TEST_F(WriterTest, ADurableJobFinishesOnlyAfterASyncAndIsVisibleFromItsCommit) {
  std::unique_ptr<Writer> writer = StartWithTestLog();
  HoldSyncs(true);
  std::promise<Status> done;
  writer->Submit(std::make_unique<FunctionJob>(Insert(1), &done));
  std::future<Status> finished = done.get_future();
  // Committed (readers see it) but not finished: the sync has not returned.
  for (int i = 0; i < 500 && Count() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(finished.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  HoldSyncs(false);
  EXPECT_TRUE(finished.get().ok());
  EXPECT_EQ(Syncs(), 1);
}

TEST_F(WriterTest, JobsArrivingDuringASyncShareTheNextCommit) {
  std::unique_ptr<Writer> writer = StartWithTestLog();
  HoldSyncs(true);
  std::promise<Status> first, second, third;
  writer->Submit(std::make_unique<FunctionJob>(Insert(1), &first));
  for (int i = 0; i < 500 && Count() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(Count(), 1);  // committed; its sync is held
  writer->Submit(std::make_unique<FunctionJob>(Insert(2), &second));
  writer->Submit(std::make_unique<FunctionJob>(Insert(3), &third));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(Count(), 1);  // run in the open transaction, not committed while the disk is busy
  HoldSyncs(false);
  EXPECT_TRUE(first.get_future().get().ok());
  EXPECT_TRUE(second.get_future().get().ok());
  EXPECT_TRUE(third.get_future().get().ok());
  EXPECT_EQ(Count(), 3);
  EXPECT_EQ(writer->counters().transactions, 2);
  EXPECT_EQ(Syncs(), 2);
}

TEST_F(WriterTest, AJobThatNeedsNoSyncFinishesWithoutOne) {
  std::unique_ptr<Writer> writer = StartWithTestLog();
  HoldSyncs(true);  // a sync would never return
  std::promise<Status> done;
  writer->Submit(std::make_unique<FunctionJob>(Insert(1), &done, /*exclusive=*/false,
                                               /*durable=*/false));
  EXPECT_TRUE(done.get_future().get().ok());
  EXPECT_EQ(Syncs(), 0);
  EXPECT_EQ(Count(), 1);
  HoldSyncs(false);
}

TEST_F(WriterTest, AFailedSyncFailsItsJobsAndEveryLaterOne) {
  std::unique_ptr<Writer> writer = StartWithTestLog();
  {
    std::lock_guard lock(log_->mutex);
    log_->result = Unavailable("sqlite: cannot sync the write-ahead log: Input/output error");
  }
  EXPECT_TRUE(writer->failure().ok());
  std::promise<Status> first, later;
  writer->Submit(std::make_unique<FunctionJob>(Insert(1), &first));
  EXPECT_EQ(first.get_future().get().code(), StatusCode::kUnavailable);
  EXPECT_EQ(writer->failure().code(), StatusCode::kUnavailable);  // what /readyz reports
  int runs = 0;
  writer->Submit(std::make_unique<FunctionJob>(
      [&runs](Connection& db) {
        ++runs;
        return db.Exec("INSERT INTO t VALUES (2)");
      },
      &later, /*exclusive=*/false, /*durable=*/false));
  EXPECT_EQ(later.get_future().get().code(), StatusCode::kUnavailable);
  EXPECT_EQ(runs, 0);  // nothing more is written once the disk lost writes
  EXPECT_EQ(Syncs(), 1);
}

TEST_F(WriterTest, AJobThatNeedsNoSyncWaitsForADurableOneAndCommitsWithIt) {
  auto db = Connection::Open(dir_.Path("w.db"), {});
  ASSERT_TRUE(db.ok());
  auto started = Writer::Start(std::move(db).value(), 100, std::chrono::hours(1));
  ASSERT_TRUE(started.ok());
  Writer& writer = **started;
  std::promise<Status> lazy_done, durable_done;
  writer.Submit(std::make_unique<FunctionJob>(Insert(1), &lazy_done, /*exclusive=*/false,
                                              /*durable=*/false));
  std::future<Status> lazy = lazy_done.get_future();
  EXPECT_EQ(lazy.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  writer.Submit(std::make_unique<FunctionJob>(Insert(2), &durable_done));
  EXPECT_TRUE(lazy.get().ok());
  EXPECT_TRUE(durable_done.get_future().get().ok());
  EXPECT_EQ(writer.counters().transactions, 1);
  EXPECT_EQ(Count(), 2);
}

TEST_F(WriterTest, CloseRunsAJobStillWaitingForCompany) {
  auto db = Connection::Open(dir_.Path("w.db"), {});
  ASSERT_TRUE(db.ok());
  auto started = Writer::Start(std::move(db).value(), 100, std::chrono::hours(1));
  ASSERT_TRUE(started.ok());
  Writer& writer = **started;
  std::promise<Status> lazy_done;
  writer.Submit(std::make_unique<FunctionJob>(Insert(1), &lazy_done, /*exclusive=*/false,
                                              /*durable=*/false));
  writer.Close();
  EXPECT_TRUE(lazy_done.get_future().get().ok());
  EXPECT_EQ(Count(), 1);
}

TEST_F(WriterTest, RunAndWaitReturnsTheValueAfterCommit) {
  auto result = writer_->RunAndWait<std::int64_t>([](Connection& db) -> Result<std::int64_t> {
    RETURN_IF_ERROR(db.Exec("INSERT INTO t VALUES (7)"));
    return db.LastInsertRowid();
  });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 1);
  EXPECT_EQ(Count(), 1);
  writer_->Close();
  auto closed = writer_->RunAndWait<int>([](Connection&) -> Result<int> { return 1; });
  EXPECT_EQ(closed.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace loci::storage::sqlite
