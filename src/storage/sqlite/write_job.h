// WriteJob: one unit of work for the writer thread (see writer.h), and how it is finished.
#pragma once

#include "storage/sqlite/connection.h"
#include "util/status.h"

namespace loci::storage::sqlite {

class WriteJob {
 public:
  virtual ~WriteJob() = default;

  // Does the job's writes, on the writer thread. A non-OK status undoes this job's writes only.
  virtual Status Run(Connection& db) = 0;

  // Runs once, on the writer's finishing thread: with OK after the batch committed and (for a
  // durable job) reached the disk, or with the job's or the batch's error (Unavailable when the
  // writer is closed). Must not block on the writer.
  virtual void Finish(Status status) = 0;

  // True when Run depends only on the database and the job's own inputs and has no effect
  // outside the database: the writer then runs it without a savepoint of its own and, should a
  // job of its transaction fail, rolls back and runs it again.
  virtual bool repeatable() const { return false; }

  // True for a job that must run outside any transaction (a checkpoint); it runs alone.
  virtual bool exclusive() const { return false; }

  // False for a job whose writes may wait for the next durable commit: it finishes once
  // committed, without waiting for the log to reach the disk. A crash of the process loses none
  // of it (the operating system holds the written log); a power loss may lose the last such
  // commits, never one followed by a durable commit.
  virtual bool durable() const { return true; }
};

}  // namespace loci::storage::sqlite
