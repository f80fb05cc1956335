// Checkpointer: copies the WAL back into the database file on its own thread, so that the
// writer's commits do not.
//
// SQLite checkpoints on the committing connection once the WAL holds 1,000 frames: the copy
// and its two syncs (the log, then the database file) would sit on the writer's serial path.
// Instead the writer's connection tells this checkpointer the WAL's size after each commit,
// and each time the WAL has grown by `wal_frames` a thread of its own runs a PASSIVE checkpoint
// through its own connection: it copies what it can without waiting for the writer or the
// readers, syncing the log before it copies and the database file after (its connection keeps
// the synchronous=FULL that Connection::Open sets), so a crash at any point loses nothing. Once
// every frame has been copied, the writer's next transaction starts the WAL over from its
// beginning.
//
// Under a continuous write load the writer commits while the copy runs, so a PASSIVE
// checkpoint never reaches the end of the log and the log would never start over. When that
// leaves the WAL at kCatchUpFactor × wal_frames frames or more, the checkpointer has the
// writer finish the copy between two of its transactions (an exclusive job: little is left).
//
// A failed checkpoint (busy while another one runs, an I/O error) is counted and retried at
// the next signal. Thread-safety: every method may be called from any thread, except that
// Close (and the destructor) must not be called from one of the writer's jobs.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/sqlite/connection.h"
#include "storage/sqlite/writer.h"
#include "util/status.h"

namespace loci::storage::sqlite {

struct CheckpointCounters {
  std::int64_t checkpoints = 0;  // background checkpoints run (some may have had nothing to copy)
  std::int64_t catch_ups = 0;    // checkpoints the writer finished between two transactions
  std::int64_t failures = 0;     // checkpoints that failed; each is retried at the next signal
};

class Checkpointer {
  struct PrivateTag {};

 public:
  // How far past `wal_frames` the log may grow before the writer finishes a checkpoint.
  static constexpr int kCatchUpFactor = 4;

  // Opens a connection of its own to `path` (an existing database in WAL mode), starts the
  // thread, and makes `writer`'s connection signal it after each commit instead of
  // checkpointing itself. The errors of Connection::Open; Unavailable when the writer is closed.
  // REQUIRES: `writer` outlives the checkpointer; wal_frames >= 1.
  static Result<std::unique_ptr<Checkpointer>> Open(const std::string& path,
                                                    const ConnectionOptions& options,
                                                    int wal_frames, Writer& writer);

  // Use Open. (Public only so that make_unique can reach it.)
  Checkpointer(PrivateTag, std::unique_ptr<Connection> db, int wal_frames, Writer& writer);
  ~Checkpointer();  // Close()
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Called after a commit with the WAL's size: wakes the thread when wal_frames frames have
  // been added since the last checkpoint (or since the log started over). Cheap (comparisons,
  // at most one wake-up per checkpoint); never blocks for long.
  void Signal(int wal_frames);

  // Holds background checkpoints off until the returned lock is released: a checkpoint run
  // meanwhile through another connection (the writer's wal_checkpoint(TRUNCATE)) would
  // otherwise find this one in progress and give up.
  [[nodiscard]] std::unique_lock<std::mutex> Pause();

  // Waits for a checkpoint in progress, stops the thread, takes the hook off the writer's
  // connection (after the writer's queued jobs, through its queue) and closes the connection.
  // Signals afterwards do nothing. Idempotent.
  void Close();

  CheckpointCounters counters() const;

 private:
  class CatchUpJob;

  void Loop();
  void RunOnce();
  // The writer's catch-up ended with `status` (OK, or its error).
  void CaughtUp(const Status& status);

  std::unique_ptr<Connection> db_;
  const int wal_frames_;
  Writer& writer_;

  std::mutex run_mutex_;  // held while a background checkpoint runs, and by Pause
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> requested_{false};  // written with mutex_ held
  // The WAL's size at the last checkpoint: the next one waits for wal_frames_ more frames
  // (or for the log to start over) rather than copying each commit's few frames alone.
  std::atomic<int> copied_through_{0};
  bool catch_up_pending_ = false;  // guarded by mutex_
  bool closing_ = false;           // guarded by mutex_
  std::mutex close_mutex_;         // serializes Close
  std::atomic<std::int64_t> checkpoints_{0};
  std::atomic<std::int64_t> catch_ups_{0};
  std::atomic<std::int64_t> failures_{0};
  std::thread thread_;  // last: starts after everything above is initialized
};

}  // namespace loci::storage::sqlite
