#include "service/retention_purger.h"

#include <utility>

namespace loci::service {

RetentionPurger::RetentionPurger(PurgeFn purge, std::chrono::milliseconds interval, ReportFn report)
    : purge_(std::move(purge)),
      interval_(interval),
      report_(std::move(report)),
      thread_([this] { Loop(); }) {}

RetentionPurger::~RetentionPurger() { Stop(); }

void RetentionPurger::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

int RetentionPurger::runs() const {
  std::lock_guard lock(mutex_);
  return runs_;
}

void RetentionPurger::Loop() {
  auto stopping = [this] {
    std::lock_guard lock(mutex_);
    return stopping_;
  };
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    }
    Result<PurgeReport> report = purge_(stopping);
    if (report_) report_(report);
    std::lock_guard lock(mutex_);
    ++runs_;
  }
}

}  // namespace loci::service
