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
// must outlive it. With the built-in embedder, vectors are weighed by each user's own word
// counts (user_word_counts.h) when the ranker is given them.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "embed/embedder.h"
#include "service/bm25.h"
#include "service/user_word_counts.h"
#include "service/vector_cache.h"
#include "storage/store.h"

namespace loci::service {

class SemanticRanker {
 public:
  // The generation of a user's data (ContextCache::Generation): bumped by every write and
  // erasure of the user.
  using Generation = std::function<std::uint64_t(const model::UserRef&)>;

  // `word_counts`, when given, weighs the words of `embedder` (then the built-in one, whose
  // vectors they count) by each user's counts.
  SemanticRanker(storage::Store& store, embed::Embedder& embedder, VectorCache& cache,
                 Generation generation, UserWordCounts* word_counts = nullptr)
      : store_(store),
        embedder_(embedder),
        cache_(cache),
        generation_(std::move(generation)),
        word_counts_(word_counts) {}

  // At most `limit` of the user's messages passing `filter`, closest to `query` first (score:
  // the dot product of the unit vectors, about the cosine). Empty when the query has no word
  // the embedder knows. Unavailable when the embedder cannot be reached; Corruption when a
  // stored vector does not decode; storage errors.
  Result<std::vector<ScoredSeq>> Rank(const model::UserRef& user, std::string_view query,
                                      const storage::MessageFilter& filter,
                                      std::size_t limit) const;

  // The stored form (vector_codec.h) of each of the user's texts' vector, in order: what
  // stores write. `new_messages`: the texts are messages the user is storing now (the user's
  // word counts take them in first). Errors of the embedder; storage errors.
  Result<std::vector<storage::MessageEmbedding>> EmbedForStore(const model::UserRef& user,
                                                               std::span<const std::string> texts,
                                                               bool new_messages) const;

  const std::string& model_id() const { return embedder_.model_id(); }

  // Whether the user's word counts grew enough since the user's vectors were all computed that
  // they should be computed again (UserWordCounts::ReweighDue); false without word counts.
  bool ReweighDue(const model::UserRef& user) const {
    return word_counts_ != nullptr && word_counts_->ReweighDue(user);
  }
  // Call before computing all of the user's vectors again (UserWordCounts::MarkReweighed).
  void MarkReweighed(const model::UserRef& user) const {
    if (word_counts_ != nullptr) word_counts_->MarkReweighed(user);
  }

 private:
  // The vectors of the user's texts, by the user's word counts when kept.
  Result<std::vector<std::vector<float>>> Vectors(const model::UserRef& user,
                                                  std::span<const std::string> texts,
                                                  bool new_messages) const;
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
  UserWordCounts* word_counts_;  // null: the embedder's own weights
};

}  // namespace loci::service
