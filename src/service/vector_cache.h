// VectorCache: users' opened vector matrices (vector_matrix.h), reused across searches until
// the user's data changes.
//
// Why a cache: every vector is sealed on its own (storage/sealed_store.h), and opening a user's
// 100,000 vectors from the store measured ~1.3 s (~0.5 s of SQLite reads, the rest one AEAD
// open per row) against ~2 ms for the scan itself; the opened matrix is ~16 MB. Sealing vectors
// in blocks would make each store and erasure rewrite a block; caching the opened matrix keeps
// the store simple and makes repeated searches cost the scan only.
//
// Each matrix is kept with the generation of the user's data it was read at
// (ContextCache::Generation, which every write and erasure bumps; read it BEFORE reading the
// store): the reader serves it as is at that generation, and brings it up to date otherwise
// (semantic_ranker.h). Drop removes a user's matrix at once (an erasure should not leave opened
// vectors in memory until they are evicted). Matrices are evicted least recently used beyond a
// byte budget; one larger than the budget is not kept.
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "model/message.h"
#include "service/byte_lru.h"
#include "service/vector_matrix.h"

namespace loci::service {

class VectorCache {
 public:
  explicit VectorCache(std::size_t max_bytes) : entries_(max_bytes) {}

  struct Cached {
    std::uint64_t generation = 0;  // of the user's data when the matrix was read
    std::shared_ptr<const VectorMatrix> matrix;
  };

  // The user's matrix of `model`, whatever its generation; nullopt when none is kept (a matrix
  // of another model is dropped).
  std::optional<Cached> Find(const model::UserRef& user, const std::string& model);

  // Keeps `matrix` as the user's matrix of `model` at `generation` (replacing any other).
  void Insert(const model::UserRef& user, const std::string& model, std::uint64_t generation,
              std::shared_ptr<const VectorMatrix> matrix);

  // Forgets the user's matrix.
  void Drop(const model::UserRef& user);

  std::size_t bytes() const;

 private:
  struct Entry {
    std::string model;
    std::uint64_t generation = 0;
    std::shared_ptr<const VectorMatrix> matrix;
  };

  mutable std::mutex mutex_;
  ByteLru<Entry> entries_;  // by UserRef::Key; guarded by mutex_
};

}  // namespace loci::service
