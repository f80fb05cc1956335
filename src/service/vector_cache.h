// VectorCache: users' opened vector matrices (vector_matrix.h), reused across searches until
// the user's data changes.
//
// Why a cache: every vector is sealed on its own (storage/sealed_store.h), and opening a user's
// 100,000 vectors from the store costs ~250 ms (SQLite read plus one AEAD open per row),
// against ~2 ms for the scan itself; the opened matrix is ~14 MB. Sealing vectors in blocks would
// make each store and erasure rewrite a block; caching the opened matrix keeps the store simple
// and makes repeated searches cost the scan only.
//
// Validity follows the caller's generation of the user's data (ContextCache::Generation, which
// every write and erasure bumps): a matrix is served only at the generation it was built at, so
// it never holds a vector of an erased message nor misses a new one. Read the generation BEFORE
// reading the store. Drop removes a user's matrix at once (an erasure should not leave opened
// vectors in memory until they are evicted). Matrices are evicted least recently used beyond a
// byte budget; one larger than the budget is not kept.
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "model/message.h"
#include "service/vector_matrix.h"

namespace loci::service {

class VectorCache {
 public:
  explicit VectorCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The user's matrix of `model` built at `generation`, or null.
  std::shared_ptr<const VectorMatrix> Find(const model::UserRef& user, const std::string& model,
                                           std::uint64_t generation);

  // Keeps `matrix` as the user's matrix of `model` at `generation` (replacing any other).
  void Insert(const model::UserRef& user, const std::string& model, std::uint64_t generation,
              std::shared_ptr<const VectorMatrix> matrix);

  // Forgets the user's matrix.
  void Drop(const model::UserRef& user);

  std::size_t bytes() const;

 private:
  struct Entry {
    std::string key;
    std::string model;
    std::uint64_t generation = 0;
    std::size_t bytes = 0;
    std::shared_ptr<const VectorMatrix> matrix;
  };
  using Entries = std::list<Entry>;

  static std::string KeyOf(const model::UserRef& user);
  void Erase(std::unordered_map<std::string, Entries::iterator>::iterator found);  // mutex_ held

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  Entries entries_;  // most recently used first; guarded by mutex_
  std::unordered_map<std::string, Entries::iterator> index_;
  std::size_t bytes_ = 0;
};

}  // namespace loci::service
