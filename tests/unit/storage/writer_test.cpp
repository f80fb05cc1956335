// The writer's group commit: jobs share a transaction, a failing job is undone alone, and a
// transaction lost as a whole fails every job in it.
#include "storage/sqlite/writer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "temp_dir.h"

namespace loci::storage::sqlite {
namespace {

class FunctionJob final : public WriteJob {
 public:
  FunctionJob(std::function<Status(Connection&)> run, std::promise<Status>* finished,
              bool exclusive = false, bool durable = true)
      : run_(std::move(run)), finished_(finished), exclusive_(exclusive), durable_(durable) {}
  Status Run(Connection& db) override { return run_(db); }
  void Finish(Status status) override { finished_->set_value(std::move(status)); }
  bool exclusive() const override { return exclusive_; }
  bool durable() const override { return durable_; }

 private:
  std::function<Status(Connection&)> run_;
  std::promise<Status>* finished_;
  bool exclusive_;
  bool durable_;
};

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Connection::Open(dir_.Path("w.db"), {.create = true});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER)").ok());
    writer_ = std::make_unique<Writer>(std::move(db).value(), 100);
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

// An insert that notes the synchronous mode it ran under (1: NORMAL, 2: FULL).
std::function<Status(Connection&)> InsertNotingSync(int* mode) {
  return [mode](Connection& db) -> Status {
    ASSIGN_OR_RETURN(std::int64_t seen, db.QueryInt("PRAGMA synchronous"));
    *mode = static_cast<int>(seen);
    return db.Exec("INSERT INTO t VALUES (1)");
  };
}

TEST_F(WriterTest, OnlyABatchOfJobsThatNeedNoSyncCommitsWithoutOne) {
  constexpr int kNormal = 1;
  constexpr int kFull = 2;
  int alone = 0;
  std::promise<Status> alone_done;
  writer_->Submit(std::make_unique<FunctionJob>(InsertNotingSync(&alone), &alone_done,
                                                /*exclusive=*/false, /*durable=*/false));
  ASSERT_TRUE(alone_done.get_future().get().ok());
  EXPECT_EQ(alone, kNormal);

  std::promise<void> release = Pause();
  int lazy = 0;
  int durable = 0;
  std::promise<Status> lazy_done, durable_done;
  writer_->Submit(std::make_unique<FunctionJob>(InsertNotingSync(&lazy), &lazy_done,
                                                /*exclusive=*/false, /*durable=*/false));
  writer_->Submit(std::make_unique<FunctionJob>(InsertNotingSync(&durable), &durable_done));
  release.set_value();
  ASSERT_TRUE(lazy_done.get_future().get().ok());
  ASSERT_TRUE(durable_done.get_future().get().ok());
  EXPECT_EQ(lazy, kFull);  // beside a durable job, the whole batch syncs
  EXPECT_EQ(durable, kFull);
  EXPECT_EQ(Count(), 3);
}

TEST_F(WriterTest, AJobThatNeedsNoSyncWaitsForADurableOneAndCommitsWithIt) {
  auto db = Connection::Open(dir_.Path("w.db"), {});
  ASSERT_TRUE(db.ok());
  Writer writer(std::move(db).value(), 100, std::chrono::hours(1));
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
  Writer writer(std::move(db).value(), 100, std::chrono::hours(1));
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
