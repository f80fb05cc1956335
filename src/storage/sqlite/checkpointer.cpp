#include "storage/sqlite/checkpointer.h"

#include <utility>

#include "util/this_thread.h"

namespace loci::storage::sqlite {
namespace {

// One PASSIVE checkpoint through `db`: the number of frames in the WAL. Unavailable when
// another connection's checkpoint is in progress (SQLite then gives up at once, whatever the
// busy timeout).
Result<std::int64_t> CheckpointPassive(Connection& db) {
  // One row: busy, frames in the WAL, frames checkpointed.
  ASSIGN_OR_RETURN(Statement checkpoint, db.Prepare("PRAGMA wal_checkpoint(PASSIVE)"));
  ASSIGN_OR_RETURN(bool row, checkpoint.Step());
  if (!row) return Internal("sqlite: no row from wal_checkpoint");
  if (checkpoint.Int(0) != 0) return Unavailable("sqlite: another checkpoint is in progress");
  return checkpoint.Int(1);
}

}  // namespace

// Finishes a checkpoint on the writer's connection, between two of its transactions: nothing
// is committed meanwhile, so the copy reaches the end of the log (unless a reader still needs
// its frames) and the next transaction starts the log over.
class Checkpointer::CatchUpJob final : public WriteJob {
 public:
  explicit CatchUpJob(Checkpointer* checkpointer) : checkpointer_(checkpointer) {}
  Status Run(Connection& db) override { return CheckpointPassive(db).status(); }
  void Finish(Status status) override { checkpointer_->CaughtUp(status); }
  bool exclusive() const override { return true; }

 private:
  Checkpointer* checkpointer_;
};

Result<std::unique_ptr<Checkpointer>> Checkpointer::Open(const std::string& path,
                                                         const ConnectionOptions& options,
                                                         int wal_frames, Writer& writer) {
  ConnectionOptions own = options;
  own.create = false;
  own.read_only = false;  // copying the log writes the database file
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> db, Connection::Open(path, own));
  auto checkpointer =
      std::make_unique<Checkpointer>(PrivateTag{}, std::move(db), wal_frames, writer);
  Checkpointer* signalled = checkpointer.get();
  RETURN_IF_ERROR(writer
                      .RunAndWait<bool>(
                          [signalled](Connection& writer_db) -> Result<bool> {
                            writer_db.OnWalCommit(
                                [signalled](int frames) { signalled->Signal(frames); });
                            return true;
                          },
                          /*exclusive=*/true)
                      .status());
  return checkpointer;
}

Checkpointer::Checkpointer(PrivateTag /*unused*/, std::unique_ptr<Connection> db, int wal_frames,
                           Writer& writer)
    : db_(std::move(db)),
      wal_frames_(wal_frames < 1 ? 1 : wal_frames),
      writer_(writer),
      thread_([this] {
        NameThisThread("loci-ckpt");
        Loop();
      }) {}

Checkpointer::~Checkpointer() { Close(); }

void Checkpointer::Signal(int wal_frames) {
  int copied_through = copied_through_.load(std::memory_order_relaxed);
  if (wal_frames < copied_through) copied_through = 0;  // the log has started over
  if (wal_frames - copied_through < wal_frames_ || requested_.load(std::memory_order_relaxed)) {
    return;
  }
  {
    std::lock_guard lock(mutex_);
    requested_.store(true, std::memory_order_relaxed);
  }
  wake_.notify_one();
}

std::unique_lock<std::mutex> Checkpointer::Pause() { return std::unique_lock(run_mutex_); }

void Checkpointer::Close() {
  std::lock_guard close_lock(close_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (closing_) return;
    closing_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  // Stop the writer's signals. Its queue runs in order, so a catch-up queued earlier has
  // finished by then (or the writer is closed and finished it already).
  (void)writer_
      .RunAndWait<bool>(
          [](Connection& writer_db) -> Result<bool> {
            writer_db.OnWalCommit(nullptr);
            return true;
          },
          /*exclusive=*/true)
      .status();
  db_.reset();
}

CheckpointCounters Checkpointer::counters() const {
  return {checkpoints_.load(std::memory_order_relaxed), catch_ups_.load(std::memory_order_relaxed),
          failures_.load(std::memory_order_relaxed)};
}

void Checkpointer::Loop() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      // While the writer catches up, a checkpoint here would only find it in progress.
      wake_.wait(lock, [this] {
        return closing_ || (requested_.load(std::memory_order_relaxed) && !catch_up_pending_);
      });
      if (closing_) return;
      requested_.store(false, std::memory_order_relaxed);
    }
    RunOnce();
  }
}

void Checkpointer::RunOnce() {
  Result<std::int64_t> log_frames = [this] {
    std::lock_guard run(run_mutex_);
    return CheckpointPassive(*db_);
  }();
  if (!log_frames.ok()) {
    failures_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  checkpoints_.fetch_add(1, std::memory_order_relaxed);
  copied_through_.store(static_cast<int>(*log_frames), std::memory_order_relaxed);
  // The log starts over only when the writer begins a transaction with every frame copied,
  // which under a continuous load happens rarely or never: past a point, make it so.
  if (*log_frames < std::int64_t{kCatchUpFactor} * wal_frames_) return;
  {
    std::lock_guard lock(mutex_);
    if (closing_ || catch_up_pending_) return;
    catch_up_pending_ = true;
  }
  writer_.Submit(std::make_unique<CatchUpJob>(this));
}

void Checkpointer::CaughtUp(const Status& status) {
  if (status.ok()) {
    catch_ups_.fetch_add(1, std::memory_order_relaxed);
  } else {
    failures_.fetch_add(1, std::memory_order_relaxed);
  }
  {
    std::lock_guard lock(mutex_);
    catch_up_pending_ = false;
  }
  wake_.notify_one();
}

}  // namespace loci::storage::sqlite
