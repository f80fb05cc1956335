#include "service/semantic_ranker.h"

#include <string>

#include "service/vector_codec.h"

namespace loci::service {

Result<std::shared_ptr<const VectorMatrix>> SemanticRanker::Refreshed(
    const model::UserRef& user, const std::shared_ptr<const VectorMatrix>& cached) const {
  const std::string& model = embedder_.model_id();
  ASSIGN_OR_RETURN(std::vector<storage::StoredEmbedding> added,
                   store_.Embeddings(user, model, storage::MessageFilter{}, cached->max_seq()));
  ASSIGN_OR_RETURN(std::int64_t count, store_.EmbeddingCount(user, model));
  if (static_cast<std::size_t>(count) != cached->rows() + added.size()) {
    return std::shared_ptr<const VectorMatrix>();
  }
  if (added.empty()) return cached;
  ASSIGN_OR_RETURN(VectorMatrix extended, cached->With(added));
  return std::make_shared<const VectorMatrix>(std::move(extended));
}

Result<std::shared_ptr<const VectorMatrix>> SemanticRanker::MatrixOf(
    const model::UserRef& user) const {
  const std::uint64_t generation = generation_(user);  // before reading: see vector_cache.h
  const std::string& model = embedder_.model_id();
  std::optional<VectorCache::Cached> cached = cache_.Find(user, model);
  if (cached && cached->generation == generation) return cached->matrix;
  std::shared_ptr<const VectorMatrix> matrix;
  if (cached) {
    ASSIGN_OR_RETURN(matrix, Refreshed(user, cached->matrix));
  }
  if (!matrix) {
    ASSIGN_OR_RETURN(std::vector<storage::StoredEmbedding> rows,
                     store_.Embeddings(user, model, storage::MessageFilter{}, 0));
    ASSIGN_OR_RETURN(VectorMatrix built, VectorMatrix::Build(rows));
    matrix = std::make_shared<const VectorMatrix>(std::move(built));
  }
  cache_.Insert(user, model, generation, matrix);
  return matrix;
}

Result<std::vector<ScoredSeq>> SemanticRanker::Rank(const model::UserRef& user,
                                                    std::string_view query,
                                                    const storage::MessageFilter& filter,
                                                    std::size_t limit) const {
  const std::string text(query);
  ASSIGN_OR_RETURN(std::vector<std::vector<float>> vectors,
                   Vectors(user, std::span<const std::string>(&text, 1), false));
  if (vectors.size() != 1) return Internal("the embedder returned no vector for the query");
  if (!filter.attributes.empty()) {
    ASSIGN_OR_RETURN(std::vector<storage::StoredEmbedding> rows,
                     store_.Embeddings(user, embedder_.model_id(), filter, 0));
    ASSIGN_OR_RETURN(VectorMatrix matrix, VectorMatrix::Build(rows));
    return matrix.Search(vectors[0], filter, limit);
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const VectorMatrix> matrix, MatrixOf(user));
  return matrix->Search(vectors[0], filter, limit);
}

Result<std::vector<std::vector<float>>> SemanticRanker::Vectors(const model::UserRef& user,
                                                                std::span<const std::string> texts,
                                                                bool new_messages) const {
  if (word_counts_ == nullptr) return embedder_.Embed(texts);
  return word_counts_->Embed(user, texts, new_messages);
}

Result<std::vector<storage::MessageEmbedding>> SemanticRanker::EmbedForStore(
    const model::UserRef& user, std::span<const std::string> texts, bool new_messages) const {
  ASSIGN_OR_RETURN(std::vector<std::vector<float>> vectors, Vectors(user, texts, new_messages));
  if (vectors.size() != texts.size()) {
    return Internal("the embedder returned " + std::to_string(vectors.size()) + " vectors for " +
                    std::to_string(texts.size()) + " texts");
  }
  std::vector<storage::MessageEmbedding> embeddings;
  embeddings.reserve(vectors.size());
  for (const std::vector<float>& vector : vectors) {
    if (vector.empty()) return Internal("the embedder returned an empty vector");
    embeddings.push_back({.model = embedder_.model_id(), .vector = EncodeVector(vector)});
  }
  return embeddings;
}

}  // namespace loci::service
