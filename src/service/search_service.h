// SearchService: finds a user's messages for a query. Full-text search ranks with BM25 over
// the analyzed terms; semantic search by the closeness of message vectors to the query's
// (semantic_ranker.h), when the server has an embedder; hybrid mode answers InvalidArgument
// until fusion arrives. Thread-safety: stateless beyond its collaborators; shareable.
#pragma once

#include "service/bm25.h"
#include "service/commands.h"
#include "service/highlighter.h"
#include "service/semantic_ranker.h"
#include "storage/store.h"
#include "text/analyzer.h"

namespace loci::service {

class SearchService {
 public:
  // `semantic` is null when the server has no embedder: semantic search is then unavailable,
  // and its error says `missing_reason`.
  // REQUIRES: `store`, `analyzer` and `semantic` outlive the service.
  SearchService(storage::Store& store, const text::Analyzer& analyzer,
                const SemanticRanker* semantic = nullptr,
                std::string missing_reason = "no embedder is configured")
      : store_(store),
        analyzer_(analyzer),
        semantic_(semantic),
        missing_reason_(std::move(missing_reason)),
        highlighter_(analyzer) {}

  // Best-first results of `query` for `user`, filters applied, with highlights.
  // REQUIRES: the query has passed ValidateSearchQuery.
  Result<SearchResult> Search(const model::UserRef& user, const SearchQuery& query) const;

  // Full-text ranking only: every message passing `filter` that holds a query term, best first.
  Result<std::vector<ScoredSeq>> RankFulltext(const model::UserRef& user, std::string_view query,
                                              const storage::MessageFilter& filter) const;

  // Semantic ranking only: at most `limit` messages passing `filter` that hold a vector of the
  // embedder's model, closest first. Unavailable when the server has no embedder or it cannot
  // be reached; as SemanticRanker::Rank otherwise.
  Result<std::vector<ScoredSeq>> RankSemantic(const model::UserRef& user, std::string_view query,
                                              const storage::MessageFilter& filter,
                                              std::size_t limit) const;

 private:
  storage::Store& store_;
  const text::Analyzer& analyzer_;
  const SemanticRanker* semantic_;
  std::string missing_reason_;
  Highlighter highlighter_;
};

}  // namespace loci::service
