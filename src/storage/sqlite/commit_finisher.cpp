#include "storage/sqlite/commit_finisher.h"

#include <algorithm>
#include <utility>

#include "util/this_thread.h"

namespace loci::storage::sqlite {

CommitFinisher::CommitFinisher(std::unique_ptr<LogSync> log, std::function<void(int)> synced)
    : log_(std::move(log)), synced_(std::move(synced)), thread_([this] {
        NameThisThread("loci-sync");
        Loop();
      }) {}

CommitFinisher::~CommitFinisher() { Close(); }

void CommitFinisher::Add(Batch batch) {
  {
    std::lock_guard lock(mutex_);
    if (!closing_) {
      queue_.push_back(std::move(batch));
      wake_.notify_one();
      return;
    }
  }
  for (std::unique_ptr<WriteJob>& job : batch.jobs) {
    job->Finish(Unavailable("sqlite: the store is closed"));
  }
}

void CommitFinisher::Close() {
  std::lock_guard close_lock(close_mutex_);
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

Status CommitFinisher::failure() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

void CommitFinisher::Loop() {
  std::vector<Batch> batches;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing, and everything added is finished
      batches.swap(queue_);
    }
    FinishAll(batches);
    batches.clear();
  }
}

void CommitFinisher::FinishAll(std::vector<Batch>& batches) {
  Status failed = failure();
  const auto needing_sync = static_cast<int>(std::count_if(
      batches.begin(), batches.end(), [](const Batch& batch) { return batch.needs_sync; }));
  if (needing_sync > 0) {
    if (failed.ok()) failed = log_->Sync();
    if (!failed.ok()) {
      std::lock_guard lock(mutex_);
      failure_ = failed;
    }
    synced_(needing_sync);
  }
  for (Batch& batch : batches) {
    for (std::size_t i = 0; i < batch.jobs.size(); ++i) {
      Status status = failed.ok() ? std::move(batch.statuses[i]) : failed;
      if (status.ok()) jobs_ok_.fetch_add(1, std::memory_order_relaxed);
      batch.jobs[i]->Finish(std::move(status));
    }
    batch.jobs.clear();  // the jobs' memory goes here too, not on the writer thread
  }
}

}  // namespace loci::storage::sqlite
