// SearchService: finds a user's messages for a query. Full-text search ranks with BM25 over
// the analyzed terms, then the conversation ranker (conversation_ranker.h) re-ranks with each
// turn's neighbours, the speaker and the time the query names. Semantic and hybrid modes
// arrive with the embedder and answer InvalidArgument until then. Thread-safety: stateless beyond
// its collaborators; shareable.
#pragma once

#include "service/bm25.h"
#include "service/commands.h"
#include "service/conversation_ranker.h"
#include "service/highlighter.h"
#include "storage/store.h"
#include "text/analyzer.h"

namespace loci::service {

class SearchService {
 public:
  // REQUIRES: `store`, `analyzer` and `clock` outlive the service.
  SearchService(storage::Store& store, const text::Analyzer& analyzer, const Clock& clock,
                ConversationParams conversation = {})
      : store_(store),
        analyzer_(analyzer),
        clock_(clock),
        conversation_(store, analyzer, conversation),
        highlighter_(analyzer) {}

  // Best-first results of `query` for `user`, filters applied, with highlights.
  // REQUIRES: the query has passed ValidateSearchQuery.
  Result<SearchResult> Search(const model::UserRef& user, const SearchQuery& query) const;

  // Full-text ranking only: every message passing `filter` that holds a query term, best first.
  Result<std::vector<ScoredSeq>> RankFulltext(const model::UserRef& user, std::string_view query,
                                              const storage::MessageFilter& filter) const;

 private:
  storage::Store& store_;
  const text::Analyzer& analyzer_;
  const Clock& clock_;
  ConversationRanker conversation_;
  Highlighter highlighter_;
};

}  // namespace loci::service
