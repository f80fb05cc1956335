// ReaderPool: a fixed set of read-only connections, lent to one caller at a time.
//
// In WAL mode readers never block the writer or each other, so each concurrent reader gets
// its own connection (and its own prepared-statement cache); a caller that finds every
// connection lent waits for one to come back. Thread-safety: Acquire and Close may be called
// from any thread; a Lease is used by the thread that holds it.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/sqlite/connection.h"
#include "util/status.h"

namespace loci::storage::sqlite {

class ReaderPool {
  struct PrivateTag {};

 public:
  // A borrowed connection, given back when the lease is destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    friend class ReaderPool;
    Lease(ReaderPool* pool, std::unique_ptr<Connection> connection);
    ReaderPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // Use Open. (Public only so that make_unique can reach it.)
  explicit ReaderPool(PrivateTag /*unused*/) {}

  // Opens `count` read-only connections to `path`. The errors of Connection::Open.
  static Result<std::unique_ptr<ReaderPool>> Open(const std::string& path, int count,
                                                  const ConnectionOptions& options);
  // REQUIRES: every lease has been given back (Close() waits for that).
  ~ReaderPool();
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  // A connection, waiting while all are lent. Unavailable once the pool is closed.
  Result<Lease> Acquire();

  // Refuses new leases, waits for the lent connections to come back, and closes them all.
  // Idempotent.
  void Close();

 private:
  void GiveBack(std::unique_ptr<Connection> connection);

  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
  int lent_ = 0;                                   // guarded by mutex_
  bool closed_ = false;                            // guarded by mutex_
};

}  // namespace loci::storage::sqlite
