// SemanticRanker: ranks a user's messages by how close their vectors are to the query's, with
// an exact scan (vector_matrix.h) over the user's vectors of the embedder's model. Messages
// without a vector of that model (not embedded yet, or embedded by another model) are not
// ranked. A filter on metadata attributes reads the matching vectors from the store, since the
// matrix does not hold attributes.
//
// Repeated searches reuse the opened matrix (vector_cache.h). After the user's data changed,
// the common case is new messages: only the vectors after the newest one held are read and
// appended, and the store's count of the user's vectors tells whether anything else changed
// (an erasure, a vector written later for an older message), in which case the matrix is read
// anew. At 100,000 turns that measured ~50 ms after a store instead of ~1.3 s
// (bench/search_latency). What the count cannot see, a vector replaced by one of the same model for
// the same message, lasts until the next full read; erasures through MemoryServiceImpl also drop
// the matrix. Thread-safety: as its collaborators (all may be called concurrently); borrowed, they
// must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "embed/embedder.h"
#include "service/bm25.h"
#include "service/vector_cache.h"
#include "storage/store.h"

namespace loci::service {

class SemanticRanker {
 public:
  // The generation of a user's data (ContextCache::Generation): bumped by every write and
  // erasure of the user.
  using Generation = std::function<std::uint64_t(const model::UserRef&)>;

  SemanticRanker(storage::Store& store, embed::Embedder& embedder, VectorCache& cache,
                 Generation generation)
      : store_(store), embedder_(embedder), cache_(cache), generation_(std::move(generation)) {}

  // At most `limit` of the user's messages passing `filter`, closest to `query` first (score:
  // the dot product of the unit vectors, about the cosine). Empty when the query has no word
  // the embedder knows. Unavailable when the embedder cannot be reached; Corruption when a
  // stored vector does not decode; storage errors.
  Result<std::vector<ScoredSeq>> Rank(const model::UserRef& user, std::string_view query,
                                      const storage::MessageFilter& filter,
                                      std::size_t limit) const;

  // The stored form (vector_codec.h) of each text's vector, in order: what stores write.
  // Errors of the embedder.
  Result<std::vector<storage::MessageEmbedding>> EmbedForStore(
      std::span<const std::string> texts) const;

  const std::string& model_id() const { return embedder_.model_id(); }

 private:
  // The user's matrix of the model: cached, brought up to date, or read, built and cached.
  Result<std::shared_ptr<const VectorMatrix>> MatrixOf(const model::UserRef& user) const;
  // `cached` with the vectors stored after it, or null when some were removed or written for
  // older messages meanwhile (it must be read anew).
  Result<std::shared_ptr<const VectorMatrix>> Refreshed(
      const model::UserRef& user, const std::shared_ptr<const VectorMatrix>& cached) const;

  storage::Store& store_;
  embed::Embedder& embedder_;
  VectorCache& cache_;
  Generation generation_;
};

}  // namespace loci::service
