// LogSync: makes the database's write-ahead log durable from outside SQLite.
//
// The writer commits with synchronous=NORMAL, so SQLite writes each commit to the log without
// waiting for the disk, and a second thread calls Sync: one fdatasync of the log covers every
// commit whose write returned before it began, so commits of the next batch run while the disk
// takes the last one. SQLite still syncs the log itself before every checkpoint, and the
// database file after it, so a checkpointed commit is durable whether or not Sync ran for it.
//
// Thread-safety: Sync may be called from one thread at a time, alongside SQLite's own use of
// the file from other threads.
#pragma once

#include <memory>
#include <string>

#include "util/status.h"

namespace loci::storage::sqlite {

class LogSync {
 public:
  virtual ~LogSync() = default;

  // Returns once every commit written to the log before the call is on the disk. Unavailable
  // (naming the system error) when the disk did not take it: what the log holds is then unknown.
  virtual Status Sync() = 0;
};

// The log file of a database in WAL mode ("<database>-wal").
class LogFile final : public LogSync {
 public:
  // Opens the log at `log_path`, which must exist (SQLite creates it when a connection first
  // reads a database in WAL mode), and syncs its folder so that the file's name is durable too.
  // Unavailable when either fails.
  static Result<std::unique_ptr<LogFile>> Open(const std::string& log_path);

  explicit LogFile(int fd) : fd_(fd) {}  // use Open
  ~LogFile() override;
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  Status Sync() override;

 private:
  int fd_;
};

}  // namespace loci::storage::sqlite
