#include "storage/sqlite/writer.h"

#include <algorithm>

#include "util/this_thread.h"

namespace loci::storage::sqlite {

Writer::Writer(std::unique_ptr<Connection> db, int max_batch, std::chrono::milliseconds lazy_wait)
    : db_(std::move(db)),
      max_batch_(static_cast<std::size_t>(max_batch < 1 ? 1 : max_batch)),
      lazy_wait_(lazy_wait),
      thread_([this] {
        NameThisThread("loci-writer");
        Loop();
      }) {}

Writer::~Writer() { Close(); }

void Writer::Submit(std::unique_ptr<WriteJob> job) {
  {
    std::lock_guard lock(mutex_);
    if (!closing_) {
      queue_.push_back(std::move(job));
      wake_.notify_one();
      return;
    }
  }
  job->Finish(Unavailable("sqlite: the store is closed"));
}

void Writer::Close() {
  std::lock_guard close_lock(close_mutex_);
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  db_.reset();
}

WriteCounters Writer::counters() const {
  return {transactions_.load(std::memory_order_relaxed), jobs_.load(std::memory_order_relaxed)};
}

void Writer::Loop() {
  std::vector<std::unique_ptr<WriteJob>> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing, and everything queued is done
      if (lazy_wait_.count() > 0 && !closing_ && !UrgentJobQueued()) {
        wake_.wait_for(lock, lazy_wait_, [this] { return closing_ || UrgentJobQueued(); });
      }
      if (queue_.front()->exclusive()) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      } else {
        while (!queue_.empty() && batch.size() < max_batch_ && !queue_.front()->exclusive()) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
    }
    if (batch.front()->exclusive()) {
      Status status = batch.front()->Run(*db_);
      if (status.ok()) jobs_.fetch_add(1, std::memory_order_relaxed);
      batch.front()->Finish(std::move(status));
    } else {
      RunBatch(batch);
    }
    batch.clear();
  }
}

bool Writer::UrgentJobQueued() const {
  return std::any_of(queue_.begin(), queue_.end(), [](const std::unique_ptr<WriteJob>& job) {
    return job->durable() || job->exclusive();
  });
}

Status Writer::SyncFor(bool durable) {
  if (durable == syncing_) return Status::Ok();
  RETURN_IF_ERROR(db_->Run(durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  syncing_ = durable;
  return Status::Ok();
}

void Writer::RunBatch(std::vector<std::unique_ptr<WriteJob>>& batch) {
  std::vector<Status> statuses(batch.size());
  const bool durable =
      std::any_of(batch.begin(), batch.end(),
                  [](const std::unique_ptr<WriteJob>& job) { return job->durable(); });
  Status batch_status = SyncFor(durable);
  if (batch_status.ok()) batch_status = db_->Run("BEGIN IMMEDIATE");
  for (std::size_t i = 0; i < batch.size() && batch_status.ok(); ++i) {
    statuses[i] = RunInSavepoint(*batch[i], &batch_status);
  }
  if (batch_status.ok()) batch_status = db_->Run("COMMIT");
  if (!batch_status.ok() && db_->InTransaction()) (void)db_->Run("ROLLBACK");
  if (batch_status.ok()) transactions_.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Status status = batch_status.ok() ? std::move(statuses[i]) : batch_status;
    if (status.ok()) jobs_.fetch_add(1, std::memory_order_relaxed);
    batch[i]->Finish(std::move(status));
  }
}

Status Writer::RunInSavepoint(WriteJob& job, Status* batch_status) {
  if (Status status = db_->Run("SAVEPOINT job"); !status.ok()) {
    *batch_status = status;
    return status;
  }
  Status status = job.Run(*db_);
  if (!db_->InTransaction()) {
    // SQLite rolled the whole transaction back (I/O error, full disk): every job is lost.
    *batch_status = status.ok() ? Internal("sqlite: transaction rolled back") : status;
    return status;
  }
  Status end = status.ok() ? Status::Ok() : db_->Run("ROLLBACK TO job");
  if (end.ok()) end = db_->Run("RELEASE job");
  if (!end.ok()) *batch_status = end;
  return status;
}

}  // namespace loci::storage::sqlite
