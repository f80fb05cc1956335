#include "storage/sqlite/reader_pool.h"

#include <utility>

namespace loci::storage::sqlite {

ReaderPool::Lease::Lease(ReaderPool* pool, std::unique_ptr<Connection> connection)
    : pool_(pool), connection_(std::move(connection)) {}

ReaderPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {}

ReaderPool::Lease::~Lease() {
  if (connection_) pool_->GiveBack(std::move(connection_));
}

Result<std::unique_ptr<ReaderPool>> ReaderPool::Open(const std::string& path, int count,
                                                     const ConnectionOptions& options) {
  auto pool = std::make_unique<ReaderPool>(PrivateTag{});
  for (int i = 0; i < (count < 1 ? 1 : count); ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connection::Open(path, options));
    pool->idle_.push_back(std::move(connection));
  }
  return pool;
}

ReaderPool::~ReaderPool() { Close(); }

Result<ReaderPool::Lease> ReaderPool::Acquire() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [this] { return closed_ || !idle_.empty(); });
  if (closed_) return Unavailable("sqlite: the store is closed");
  std::unique_ptr<Connection> connection = std::move(idle_.back());
  idle_.pop_back();
  ++lent_;
  return Lease(this, std::move(connection));
}

void ReaderPool::GiveBack(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  --lent_;
  idle_.push_back(std::move(connection));
  returned_.notify_all();
}

void ReaderPool::Close() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    std::unique_lock lock(mutex_);
    closed_ = true;
    returned_.notify_all();
    returned_.wait(lock, [this] { return lent_ == 0; });
    closing.swap(idle_);
  }
  // Connections close here, outside the lock.
}

}  // namespace loci::storage::sqlite
