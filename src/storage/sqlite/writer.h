// Writer: the one thread that writes to the database, with group commit.
//
// Callers queue jobs; the writer takes everything queued (up to max_batch), opens one
// transaction (BEGIN IMMEDIATE), runs the jobs and commits once. A job that fails is rolled
// back alone and gets its own error. Repeatable jobs (WriteJob::repeatable) run as they are,
// since a savepoint each would copy every page they change; when one fails, the writer rolls
// the transaction back and runs them again, each in its own savepoint. Other jobs, and every
// job after them or after a failure in the same transaction, run in a savepoint of their own.
// The commit does not wait
// for the disk: the writer hands the batch to its CommitFinisher, which syncs the log and only
// then finishes the jobs. While that sync runs, the writer keeps its next transaction open and
// runs the jobs that arrive in it, and commits once the sync has returned (or the batch is
// full): about one commit per sync, as under a synchronous commit, but the jobs' work and the
// disk's overlap, and the completions run on the finisher's thread. No job is finished OK
// before its writes are durable.
// A queue holding only jobs that need no sync waits up to `lazy_wait` for company before it
// runs (a durable job or Close ends the wait at once): such jobs (audit events of reads) would
// otherwise commit a few at a time under a read-heavy load, each commit writing its pages to
// the log. A failed BEGIN or COMMIT (or SQLite rolling the transaction back on its own, e.g. on
// a full disk) fails every job of the batch; a failed sync fails every job from then on.
//
// Thread-safety: Submit, RunAndWait and Close may be called from any thread. Jobs run on the
// writer thread and finish on the finisher's, both in submission order.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "storage/sqlite/commit_finisher.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/log_sync.h"
#include "storage/sqlite/write_job.h"
#include "util/status.h"

namespace loci::storage::sqlite {

struct WriteCounters {
  std::int64_t transactions = 0;  // batches committed
  std::int64_t jobs = 0;          // jobs finished OK
};

class Writer {
 public:
  // Starts the writer on `db`, a connection to a database in WAL mode, which the writer owns
  // from then on: switches it to synchronous=NORMAL and starts the writer thread and the
  // finisher's, which syncs `log` (when null, the database's own log file). The error of a
  // pragma, or Unavailable when the log cannot be opened.
  static Result<std::unique_ptr<Writer>> Start(
      std::unique_ptr<Connection> db, int max_batch,
      std::chrono::milliseconds lazy_wait = std::chrono::milliseconds(0),
      std::unique_ptr<LogSync> log = nullptr);

  // Use Start.
  Writer(std::unique_ptr<Connection> db, std::unique_ptr<LogSync> log, int max_batch,
         std::chrono::milliseconds lazy_wait);
  ~Writer();  // Close()
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Queues `job`. When the writer is closed, finishes the job at once with Unavailable.
  void Submit(std::unique_ptr<WriteJob> job);

  // Runs `work` as a job and waits until it is durable: its value, its error, or the batch's.
  template <typename T>
  Result<T> RunAndWait(std::function<Result<T>(Connection&)> work, bool exclusive = false);

  // Finishes every queued job, then stops the thread and closes the connection. Later jobs
  // finish with Unavailable. Idempotent.
  void Close();

  WriteCounters counters() const;

  // OK while the writer runs jobs; the error of a failed sync of the log once it runs none.
  Status failure() const { return finisher_.failure(); }

 private:
  void Loop();
  // True when a queued job must not wait (durable or exclusive). REQUIRES: mutex_ held.
  bool UrgentJobQueued() const;
  // Moves up to `room` queued jobs that may share a transaction into `jobs`. With `more`, the
  // transaction is open already: waits while a sync is in flight and nothing is queued, and
  // takes nothing once no sync is. REQUIRES: mutex_ not held.
  void TakeJobs(std::size_t room, bool more, std::vector<std::unique_ptr<WriteJob>>* jobs);
  // Runs the queued jobs, and those that arrive while a sync is in flight, in one transaction.
  CommitFinisher::Batch RunTransaction();
  // Runs `job` in the open transaction as it is: cheap, but its writes cannot be undone alone.
  // Sets `batch_status` when SQLite rolled the transaction back.
  Status RunUnguarded(WriteJob& job, Status* batch_status);
  // After a job run unguarded failed: rolls the transaction back and runs the jobs of `done`
  // that had run (the failed one last, all repeatable) again, each in a savepoint. Returns the
  // batch's status.
  Status RunAgainInSavepoints(CommitFinisher::Batch* done);
  // Runs `job` in a savepoint, which undoes its writes alone when it fails.
  Status RunInSavepoint(WriteJob& job, Status* batch_status);
  // Called by the finisher once `batches` synced batches are on the disk.
  void Synced(int batches);

  std::unique_ptr<Connection> db_;
  const std::size_t max_batch_;
  const std::chrono::milliseconds lazy_wait_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<WriteJob>> queue_;  // guarded by mutex_
  bool closing_ = false;                         // guarded by mutex_
  int syncs_in_flight_ = 0;                      // guarded by mutex_
  std::mutex close_mutex_;                       // serializes Close
  std::atomic<std::int64_t> transactions_{0};
  CommitFinisher finisher_;
  std::thread thread_;  // last: starts after everything above is initialized
};

namespace internal {

// A job that runs a function and hands its result to a waiting caller.
template <typename T>
class CallJob final : public WriteJob {
 public:
  CallJob(std::function<Result<T>(Connection&)> work, bool exclusive)
      : work_(std::move(work)), exclusive_(exclusive) {}
  std::future<Result<T>> future() { return promise_.get_future(); }

  Status Run(Connection& db) override {
    Result<T> result = work_(db);
    if (!result.ok()) return result.status();
    value_.emplace(std::move(result).value());
    return Status::Ok();
  }
  void Finish(Status status) override {
    if (status.ok()) {
      promise_.set_value(std::move(*value_));
    } else {
      promise_.set_value(std::move(status));
    }
  }
  bool exclusive() const override { return exclusive_; }

 private:
  std::function<Result<T>(Connection&)> work_;
  bool exclusive_;
  std::optional<T> value_;
  std::promise<Result<T>> promise_;
};

}  // namespace internal

template <typename T>
Result<T> Writer::RunAndWait(std::function<Result<T>(Connection&)> work, bool exclusive) {
  auto job = std::make_unique<internal::CallJob<T>>(std::move(work), exclusive);
  std::future<Result<T>> future = job->future();
  Submit(std::move(job));
  return future.get();
}

}  // namespace loci::storage::sqlite
