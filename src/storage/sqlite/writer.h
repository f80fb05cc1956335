// Writer: the one thread that writes to the database, with group commit.
//
// Callers queue jobs; the writer takes everything queued (up to max_batch), opens one
// transaction (BEGIN IMMEDIATE), runs each job inside its own SAVEPOINT so that a failing job
// is rolled back alone and gets its own error, commits once, and only then finishes the jobs.
// Many concurrent small writes therefore cost one fsync, and no job is finished OK before its
// writes are durable. A queue holding only jobs that need no sync waits up to `lazy_wait` for
// company before it runs (a durable job or Close ends the wait at once): such jobs (audit
// events of reads) would otherwise commit a few at a time under a read-heavy load, each
// commit writing its pages to the log. A failed BEGIN or COMMIT (or SQLite rolling the transaction
// back on its own, e.g. on a full disk) fails every job of the batch.
//
// Thread-safety: Submit, RunAndWait and Close may be called from any thread. Jobs run and
// finish on the writer thread, in submission order.
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

#include "storage/sqlite/connection.h"
#include "util/status.h"

namespace loci::storage::sqlite {

class WriteJob {
 public:
  virtual ~WriteJob() = default;

  // Does the job's writes. A non-OK status undoes this job's writes only.
  virtual Status Run(Connection& db) = 0;

  // Runs once: with OK after the batch committed, or with the job's or the batch's error
  // (Unavailable when the writer is closed). Must not block.
  virtual void Finish(Status status) = 0;

  // True for a job that must run outside any transaction (a checkpoint); it runs alone.
  virtual bool exclusive() const { return false; }

  // False for a job whose writes may wait for the next durable commit: a batch of such jobs
  // alone commits without syncing the log to disk (synchronous=NORMAL). A crash of the
  // process loses none of it (the operating system holds the written log); a power loss may
  // lose the last such commits, never one followed by a durable commit.
  virtual bool durable() const { return true; }
};

struct WriteCounters {
  std::int64_t transactions = 0;  // batches committed
  std::int64_t jobs = 0;          // jobs finished OK
};

class Writer {
 public:
  // Starts the writer thread, which owns `db` from now on.
  Writer(std::unique_ptr<Connection> db, int max_batch,
         std::chrono::milliseconds lazy_wait = std::chrono::milliseconds(0));
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

 private:
  void Loop();
  // True when a queued job must not wait (durable or exclusive). REQUIRES: mutex_ held.
  bool UrgentJobQueued() const;
  void RunBatch(std::vector<std::unique_ptr<WriteJob>>& batch);
  Status RunInSavepoint(WriteJob& job, Status* batch_status);

  // Sets the connection's synchronous mode for a batch that is `durable` or not.
  Status SyncFor(bool durable);

  std::unique_ptr<Connection> db_;
  const std::size_t max_batch_;
  const std::chrono::milliseconds lazy_wait_;
  bool syncing_ = true;  // the connection's synchronous mode is FULL (as Connection opens it)

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<WriteJob>> queue_;  // guarded by mutex_
  bool closing_ = false;                         // guarded by mutex_
  std::mutex close_mutex_;                       // serializes Close
  std::atomic<std::int64_t> transactions_{0};
  std::atomic<std::int64_t> jobs_{0};
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
