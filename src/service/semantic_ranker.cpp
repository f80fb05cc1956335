#include "service/semantic_ranker.h"

#include <string>

#include "service/vector_codec.h"

namespace loci::service {

Result<std::shared_ptr<const VectorMatrix>> SemanticRanker::MatrixOf(
    const model::UserRef& user) const {
  const std::uint64_t generation = generation_(user);  // before reading: see vector_cache.h
  const std::string& model = embedder_.model_id();
  if (auto cached = cache_.Find(user, model, generation)) return cached;
  ASSIGN_OR_RETURN(std::vector<storage::StoredEmbedding> rows,
                   store_.Embeddings(user, model, storage::MessageFilter{}));
  ASSIGN_OR_RETURN(VectorMatrix built, VectorMatrix::Build(rows));
  auto matrix = std::make_shared<const VectorMatrix>(std::move(built));
  cache_.Insert(user, model, generation, matrix);
  return matrix;
}

Result<std::vector<ScoredSeq>> SemanticRanker::Rank(const model::UserRef& user,
                                                    std::string_view query,
                                                    const storage::MessageFilter& filter,
                                                    std::size_t limit) const {
  const std::string text(query);
  ASSIGN_OR_RETURN(std::vector<std::vector<float>> vectors,
                   embedder_.Embed(std::span<const std::string>(&text, 1)));
  if (vectors.size() != 1) return Internal("the embedder returned no vector for the query");
  if (!filter.attributes.empty()) {
    ASSIGN_OR_RETURN(std::vector<storage::StoredEmbedding> rows,
                     store_.Embeddings(user, embedder_.model_id(), filter));
    ASSIGN_OR_RETURN(VectorMatrix matrix, VectorMatrix::Build(rows));
    return matrix.Search(vectors[0], filter, limit);
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const VectorMatrix> matrix, MatrixOf(user));
  return matrix->Search(vectors[0], filter, limit);
}

Result<std::vector<storage::MessageEmbedding>> SemanticRanker::EmbedForStore(
    std::span<const std::string> texts) const {
  ASSIGN_OR_RETURN(std::vector<std::vector<float>> vectors, embedder_.Embed(texts));
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
