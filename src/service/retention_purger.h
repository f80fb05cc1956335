// RetentionPurger: runs a retention purge in the background every `interval` (the first one
// interval after start, so that a start never waits on, nor races with, a purge), on a thread
// of its own, until stopped. `loci serve` owns one.
//
// A purge in progress is asked to stop between two batches (PrivacyController::Purge), so Stop
// returns within one batch. Each purge's outcome goes to `report` (on the purger's thread),
// for logging and, later, the audit log.
// Thread-safety: Stop may be called from any thread; the destructor stops.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "service/commands.h"
#include "util/status.h"

namespace loci::service {

class RetentionPurger {
 public:
  // Runs one whole purge; asks `stop` between batches.
  using PurgeFn = std::function<Result<PurgeReport>(const std::function<bool()>& stop)>;
  using ReportFn = std::function<void(const Result<PurgeReport>&)>;

  // Starts the thread; the first purge runs after `interval`. REQUIRES: interval > 0.
  RetentionPurger(PurgeFn purge, std::chrono::milliseconds interval, ReportFn report);
  ~RetentionPurger();  // Stop()
  RetentionPurger(const RetentionPurger&) = delete;
  RetentionPurger& operator=(const RetentionPurger&) = delete;

  // Ends the thread (a purge in progress stops at its next batch) and waits for it.
  // Idempotent.
  void Stop();

  // Purges finished so far (for tests).
  int runs() const;

 private:
  void Loop();

  PurgeFn purge_;
  const std::chrono::milliseconds interval_;
  ReportFn report_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  int runs_ = 0;           // guarded by mutex_
  std::thread thread_;     // last: starts after everything above is initialized
};

}  // namespace loci::service
