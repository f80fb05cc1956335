// WorkRunner: does the durable work queue's deferred work (storage::Store::MarkWork) off the
// request path: summarizing, learning preferences, embedding through a provider.
//
// Components register one handler per kind of work; the runner claims due items from the
// store (leased, so no two claimers run one item), calls the item's handler, and then finishes
// it or, when the handler fails, retries it later with exponential backoff. Nothing is lost in
// a crash: an item leaves the store only after its handler succeeded, so a handler may see an
// item again and must be idempotent (re-read what is left to do).
//
// A handler's failure decides what follows: InvalidArgument, NotFound and Corruption say the
// item can never succeed, and it is dropped with an error in the log (kind and code only,
// never the user); any other failure is retried, without end, at most max_backoff apart.
//
// Thread-safety: Register before Start; Notify, RunDue and Stop from any thread. Handlers run
// on the runner's threads (or RunDue's caller), several at once when threads > 1, never two
// on one item.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/store.h"
#include "util/status.h"
#include "util/time.h"

namespace loci::service {

using WorkHandler = std::function<Status(const storage::WorkItem&)>;

struct WorkRunnerOptions {
  int threads = 1;
  // How often a thread looks for due items when nothing Notifies it: retries and work marked
  // due later (a fold, learning) are found so, at most this late.
  std::chrono::milliseconds poll_interval{1000};
  // How long a claimed item is kept from other claimers: longer than any handler runs.
  UnixMillis lease_ms = 10 * 60 * 1000;
  int claim_batch = 8;  // items one thread claims at a time
  UnixMillis min_backoff_ms = 1000;
  UnixMillis max_backoff_ms = 15 * 60 * 1000;
  // Nice value the runner's threads add to the process's: requests come first when both want
  // the CPU, and the work (folds, learning, vectors) catches up after a burst.
  int priority_decrease = 10;
};

class WorkRunner {
 public:
  // REQUIRES: store and clock outlive the runner.
  WorkRunner(storage::Store& store, const Clock& clock, WorkRunnerOptions options = {});
  ~WorkRunner();  // Stop()
  WorkRunner(const WorkRunner&) = delete;
  WorkRunner& operator=(const WorkRunner&) = delete;

  // REQUIRES: Start has not been called; one handler per kind.
  void Register(std::string kind, WorkHandler handler);

  // Starts the threads. Idempotent.
  void Start();

  // New work was marked: look for it now rather than at the next poll.
  void Notify();

  // Runs every item due now on the calling thread, until none is left; returns how many runs
  // it made (successful or not). Unavailable when the store fails.
  Result<int> RunDue();

  // Lets the handlers in flight finish, then joins the threads. Items claimed but not started
  // stay leased until their lease ends (SQLite releases every lease when it opens). Idempotent.
  void Stop();

 private:
  void Loop();
  // Claims one batch and runs it; returns how many items it ran.
  Result<int> RunBatch();
  void Run(const storage::WorkItem& item);
  UnixMillis Backoff(int attempts) const;

  storage::Store& store_;
  const Clock& clock_;
  const WorkRunnerOptions options_;
  std::map<std::string, WorkHandler, std::less<>> handlers_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;    // guarded by mutex_
  std::uint64_t notes_ = 0;  // Notify calls; guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace loci::service
