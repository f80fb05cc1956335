#include "storage/sqlite/writer.h"

#include <algorithm>

#include "util/this_thread.h"

namespace loci::storage::sqlite {

Result<std::unique_ptr<Writer>> Writer::Start(std::unique_ptr<Connection> db, int max_batch,
                                              std::chrono::milliseconds lazy_wait,
                                              std::unique_ptr<LogSync> log) {
  // Commits write the log without syncing it; the finisher syncs it before it acknowledges.
  RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=NORMAL"));
  if (log == nullptr) {
    // A read makes SQLite open (and, for a new database, create) the log file.
    RETURN_IF_ERROR(db->QueryInt("SELECT count(*) FROM sqlite_schema").status());
    ASSIGN_OR_RETURN(log, LogFile::Open(db->LogPath()));
    // What was committed before (migrations, say) is durable before the first job is finished.
    RETURN_IF_ERROR(log->Sync());
  }
  return std::make_unique<Writer>(std::move(db), std::move(log), max_batch, lazy_wait);
}

Writer::Writer(std::unique_ptr<Connection> db, std::unique_ptr<LogSync> log, int max_batch,
               std::chrono::milliseconds lazy_wait)
    : db_(std::move(db)),
      max_batch_(static_cast<std::size_t>(max_batch < 1 ? 1 : max_batch)),
      lazy_wait_(lazy_wait),
      finisher_(std::move(log), [this](int batches) { Synced(batches); }),
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
  finisher_.Close();
  db_.reset();
}

WriteCounters Writer::counters() const {
  return {transactions_.load(std::memory_order_relaxed), finisher_.jobs_finished_ok()};
}

void Writer::Loop() {
  for (;;) {
    std::unique_ptr<WriteJob> exclusive;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing, and everything queued is done
      if (lazy_wait_.count() > 0 && !closing_ && !UrgentJobQueued()) {
        wake_.wait_for(lock, lazy_wait_, [this] { return closing_ || UrgentJobQueued(); });
      }
      if (queue_.front()->exclusive()) {
        exclusive = std::move(queue_.front());
        queue_.pop_front();
      }
    }
    CommitFinisher::Batch done;
    if (Status failed = finisher_.failure(); !failed.ok()) {
      // The disk lost writes: run nothing more.
      if (exclusive) {
        done.jobs.push_back(std::move(exclusive));
      } else {
        TakeJobs(max_batch_, /*more=*/false, &done.jobs);
      }
      done.statuses.assign(done.jobs.size(), failed);
    } else if (exclusive) {
      // Outside any transaction, it may have written in autocommit mode: sync to be sure.
      done.statuses.push_back(exclusive->Run(*db_));
      done.jobs.push_back(std::move(exclusive));
      done.needs_sync = true;
    } else {
      done = RunTransaction();
    }
    if (done.needs_sync) {
      std::lock_guard lock(mutex_);
      ++syncs_in_flight_;
    }
    finisher_.Add(std::move(done));
  }
}

bool Writer::UrgentJobQueued() const {
  return std::any_of(queue_.begin(), queue_.end(), [](const std::unique_ptr<WriteJob>& job) {
    return job->durable() || job->exclusive();
  });
}

void Writer::TakeJobs(std::size_t room, bool more, std::vector<std::unique_ptr<WriteJob>>* jobs) {
  std::unique_lock lock(mutex_);
  auto joinable_queued = [this] { return !queue_.empty() && !queue_.front()->exclusive(); };
  if (more) {
    wake_.wait(lock, [&] { return closing_ || syncs_in_flight_ == 0 || joinable_queued(); });
    if (syncs_in_flight_ == 0) return;  // the disk is free: commit what the transaction holds
  }
  for (; room > 0 && joinable_queued(); --room) {
    jobs->push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
}

CommitFinisher::Batch Writer::RunTransaction() {
  CommitFinisher::Batch done;
  bool in_savepoints = false;  // each job in its own savepoint from now on
  Status batch_status = db_->Run("BEGIN IMMEDIATE");
  for (bool more = false; batch_status.ok() && done.jobs.size() < max_batch_; more = true) {
    const std::size_t first = done.jobs.size();
    TakeJobs(max_batch_ - first, more, &done.jobs);
    if (done.jobs.size() == first) break;
    for (std::size_t i = first; i < done.jobs.size(); ++i) {
      WriteJob& job = *done.jobs[i];
      if (!batch_status.ok()) {
        done.statuses.push_back(batch_status);
      } else if (in_savepoints || !job.repeatable()) {
        // After a job that may not run twice, no job may fail unguarded either.
        done.statuses.push_back(RunInSavepoint(job, &batch_status));
        in_savepoints = true;
      } else {
        done.statuses.push_back(RunUnguarded(job, &batch_status));
        if (!done.statuses.back().ok() && batch_status.ok()) {
          batch_status = RunAgainInSavepoints(&done);
          in_savepoints = true;
        }
      }
    }
  }
  if (done.jobs.empty()) TakeJobs(max_batch_, /*more=*/false, &done.jobs);  // BEGIN failed
  if (batch_status.ok()) batch_status = db_->Run("COMMIT");
  if (!batch_status.ok() && db_->InTransaction()) (void)db_->Run("ROLLBACK");
  if (batch_status.ok()) {
    transactions_.fetch_add(1, std::memory_order_relaxed);
    done.needs_sync =
        std::any_of(done.jobs.begin(), done.jobs.end(),
                    [](const std::unique_ptr<WriteJob>& job) { return job->durable(); }) &&
        std::any_of(done.statuses.begin(), done.statuses.end(),
                    [](const Status& status) { return status.ok(); });
  } else {
    done.statuses.assign(done.jobs.size(), batch_status);
  }
  return done;
}

void Writer::Synced(int batches) {
  std::lock_guard lock(mutex_);
  syncs_in_flight_ -= batches;
  wake_.notify_one();
}

Status Writer::RunUnguarded(WriteJob& job, Status* batch_status) {
  Status status = job.Run(*db_);
  if (!db_->InTransaction()) {
    // SQLite rolled the whole transaction back (I/O error, full disk): every job is lost.
    *batch_status = status.ok() ? Internal("sqlite: transaction rolled back") : status;
  }
  return status;
}

Status Writer::RunAgainInSavepoints(CommitFinisher::Batch* done) {
  const std::size_t ran = done->statuses.size();
  Status batch_status = db_->Run("ROLLBACK");
  if (batch_status.ok()) batch_status = db_->Run("BEGIN IMMEDIATE");
  done->statuses.clear();
  for (std::size_t i = 0; i < ran; ++i) {
    done->statuses.push_back(batch_status.ok() ? RunInSavepoint(*done->jobs[i], &batch_status)
                                               : batch_status);
  }
  return batch_status;
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
