// CommitFinisher: the writer's second thread, which makes committed batches durable and
// finishes their jobs.
//
// The writer thread commits a batch (SQLite writes it to the log without syncing) and hands it
// here; this thread syncs the log once for every durable batch it holds, then finishes their
// jobs in the order they were committed. Meanwhile the writer thread runs the next batch, so
// neither the disk's sync nor the jobs' completions (responses, hand-offs to other threads) are
// on its path. A committed write is visible to readers from its commit, up to one sync before
// it is durable; it is acknowledged (finished OK) only once durable.
//
// After a failed sync nothing more is trusted to the disk: the jobs waiting for that sync and
// every later one fail with its error, and failure() tells the writer to run no more jobs.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/sqlite/log_sync.h"
#include "storage/sqlite/write_job.h"
#include "util/status.h"

namespace loci::storage::sqlite {

class CommitFinisher {
 public:
  // Jobs committed (or failed) together.
  struct Batch {
    std::vector<std::unique_ptr<WriteJob>> jobs;
    std::vector<Status> statuses;  // one per job: its outcome, or the batch's error
    bool needs_sync = false;       // holds committed writes that must reach the disk first
  };

  // Starts the thread, which syncs `log` and, after each sync and before it finishes the jobs,
  // tells `synced` how many of the batches that needed it the sync covered (also when it failed).
  CommitFinisher(std::unique_ptr<LogSync> log, std::function<void(int)> synced);
  ~CommitFinisher();  // Close()
  CommitFinisher(const CommitFinisher&) = delete;
  CommitFinisher& operator=(const CommitFinisher&) = delete;

  // Queues `batch` behind the ones added before. After Close, finishes its jobs at once with
  // Unavailable.
  void Add(Batch batch);

  // Finishes every batch added, then stops the thread. Idempotent.
  void Close();

  // OK until a sync of the log failed; then that sync's error.
  Status failure() const;

  std::int64_t jobs_finished_ok() const { return jobs_ok_.load(std::memory_order_relaxed); }

 private:
  void Loop();
  // Syncs the log when one of `batches` needs it, then finishes their jobs in order.
  void FinishAll(std::vector<Batch>& batches);

  std::unique_ptr<LogSync> log_;  // used by the thread only
  const std::function<void(int)> synced_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Batch> queue_;  // guarded by mutex_
  bool closing_ = false;      // guarded by mutex_
  Status failure_;            // guarded by mutex_
  std::mutex close_mutex_;    // serializes Close
  std::atomic<std::int64_t> jobs_ok_{0};
  std::thread thread_;  // last: starts after everything above is initialized
};

}  // namespace loci::storage::sqlite
