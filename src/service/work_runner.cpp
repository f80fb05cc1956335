#include "service/work_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "util/this_thread.h"

namespace loci::service {
namespace {

// Failures that running the item again cannot mend.
bool IsPermanent(StatusCode code) {
  return code == StatusCode::kInvalidArgument || code == StatusCode::kNotFound ||
         code == StatusCode::kCorruption;
}

}  // namespace

WorkRunner::WorkRunner(storage::Store& store, const Clock& clock, WorkRunnerOptions options)
    : store_(store), clock_(clock), options_(options) {}

WorkRunner::~WorkRunner() { Stop(); }

void WorkRunner::Register(std::string kind, WorkHandler handler) {
  handlers_.emplace(std::move(kind), std::move(handler));
}

void WorkRunner::Start() {
  std::lock_guard lock(mutex_);
  if (!threads_.empty() || stopping_) return;
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    threads_.emplace_back([this] {
      NameThisThread("loci-work");
      LowerThisThreadPriority(options_.priority_decrease);
      Loop();
    });
  }
}

void WorkRunner::Notify() {
  std::lock_guard lock(mutex_);
  ++notes_;
  wake_.notify_all();
}

void WorkRunner::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
    wake_.notify_all();
  }
  for (std::thread& thread : threads) thread.join();
}

Result<int> WorkRunner::RunDue() {
  int runs = 0;
  for (;;) {
    ASSIGN_OR_RETURN(int ran, RunBatch());
    if (ran == 0) return runs;
    runs += ran;
  }
}

void WorkRunner::Loop() {
  std::uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.poll_interval, [&] { return stopping_ || notes_ != seen; });
      if (stopping_) return;
      seen = notes_;
    }
    // Drain what is due; a failing store is retried at the next poll.
    for (;;) {
      Result<int> ran = RunBatch();
      if (!ran.ok()) {
        spdlog::warn("work queue: cannot claim work: {}", ran.status().ToString());
        break;
      }
      if (*ran == 0) break;
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
  }
}

Result<int> WorkRunner::RunBatch() {
  UnixMillis now = clock_.NowMillis();
  ASSIGN_OR_RETURN(std::vector<storage::WorkItem> items,
                   store_.ClaimWork(now, now + options_.lease_ms, options_.claim_batch));
  for (const storage::WorkItem& item : items) Run(item);
  return static_cast<int>(items.size());
}

void WorkRunner::Run(const storage::WorkItem& item) {
  auto handler = handlers_.find(item.kind);
  Status status = handler == handlers_.end() ? Internal("no handler for this kind of work")
                                             : handler->second(item);
  Status recorded;
  if (status.ok()) {
    recorded = store_.FinishWork(item);
  } else if (IsPermanent(status.code())) {
    spdlog::error("work queue: dropping {} work that cannot succeed: {}", item.kind,
                  StatusCodeName(status.code()));
    recorded = store_.FinishWork(item);
  } else {
    spdlog::warn("work queue: {} work failed ({}, attempt {}), will retry", item.kind,
                 StatusCodeName(status.code()), item.attempts + 1);
    recorded = store_.RetryWork(item, clock_.NowMillis() + Backoff(item.attempts));
  }
  // The lease keeps the item until it ends; the item then runs again.
  if (!recorded.ok()) spdlog::warn("work queue: cannot record a run: {}", recorded.ToString());
}

UnixMillis WorkRunner::Backoff(int attempts) const {
  UnixMillis delay = options_.min_backoff_ms;
  for (int i = 0; i < attempts && delay < options_.max_backoff_ms; ++i) delay *= 2;
  delay = std::min(delay, options_.max_backoff_ms);
  // Up to a quarter more, at random, so that items failing together do not retry together.
  thread_local std::minstd_rand random(std::random_device{}());
  return delay + std::uniform_int_distribution<UnixMillis>(0, delay / 4)(random);
}

}  // namespace loci::service
