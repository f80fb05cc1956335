// SearchService: finds a user's messages for a query. Full-text search ranks with BM25 over
// the analyzed terms; semantic search by the closeness of message vectors to the query's
// (semantic_ranker.h), when the server has an embedder; hybrid search fuses both (fusion.h),
// or is full-text alone without an embedder. Every mode then re-ranks with the conversation in
// mind (conversation_ranker.h): each turn's neighbours, the speaker and the time the query
// names. Thread-safety: stateless beyond its collaborators; shareable.
#pragma once

#include "service/bm25.h"
#include "service/commands.h"
#include "service/conversation_ranker.h"
#include "service/fusion.h"
#include "service/highlighter.h"
#include "service/search_params.h"
#include "service/semantic_ranker.h"
#include "storage/store.h"
#include "text/analyzer.h"
#include "util/time.h"

namespace loci::service {

class SearchService {
 public:
  // `semantic` is null when the server has no embedder: semantic search is then unavailable
  // (its error says `missing_reason`) and hybrid search is full-text search.
  // REQUIRES: `store`, `analyzer`, `clock` and `semantic` outlive the service.
  SearchService(storage::Store& store, const text::Analyzer& analyzer, const Clock& clock,
                const SemanticRanker* semantic = nullptr, SearchParams params = {},
                std::string missing_reason = "no embedder is configured")
      : store_(store),
        analyzer_(analyzer),
        clock_(clock),
        semantic_(semantic),
        params_(params),
        missing_reason_(std::move(missing_reason)),
        conversation_(store, analyzer, params.conversation),
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

  // The ranking of `mode` before the conversation re-ranks it: full-text, semantic (at least
  // `depth` deep), or both fused. Errors as RankFulltext and RankSemantic.
  Result<std::vector<ScoredSeq>> RankMode(const model::UserRef& user, std::string_view query,
                                          SearchMode mode, const storage::MessageFilter& filter,
                                          std::size_t depth) const;

 private:
  storage::Store& store_;
  const text::Analyzer& analyzer_;
  const Clock& clock_;
  const SemanticRanker* semantic_;
  SearchParams params_;
  std::string missing_reason_;
  ConversationRanker conversation_;
  Highlighter highlighter_;
};

}  // namespace loci::service
