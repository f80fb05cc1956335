// ConversationRanker: re-ranks a search's ranking with the conversation in mind. A turn is
// rarely understood alone: the answer to a question is often the reply next to the turn that
// shares the query's words, the query often names who said it, and it may say when. So the
// best turns of a ranking lend part of their score to their neighbours in the same session,
// and turns said by a speaker the query names, or at a time the query names
// (text/time_expressions.h), are raised. Thread-safety: immutable after construction;
// shareable.
#pragma once

#include <string_view>
#include <vector>

#include "service/bm25.h"
#include "service/search_params.h"
#include "storage/store.h"
#include "text/analyzer.h"
#include "util/status.h"
#include "util/time.h"

namespace loci::service {

class ConversationRanker {
 public:
  // REQUIRES: `store` and `analyzer` outlive the ranker.
  ConversationRanker(storage::Store& store, const text::Analyzer& analyzer,
                     ConversationParams params = {})
      : store_(store), analyzer_(analyzer), params_(params) {}

  // `base` (best first, scores >= 0) re-ranked for `query`, best first, scores normalized so
  // that the best turn of `base` alone scores 1. Neighbours that were not in `base` join only
  // when they pass `filter` (with metadata attributes in the filter, which only the store can
  // check, they do not join). Relative times in the query count from `now`.
  // Errors: those of the store's reads.
  Result<std::vector<ScoredSeq>> Rerank(const model::UserRef& user, std::string_view query,
                                        std::vector<ScoredSeq> base,
                                        const storage::MessageFilter& filter, UnixMillis now) const;

 private:
  storage::Store& store_;
  const text::Analyzer& analyzer_;
  ConversationParams params_;
};

}  // namespace loci::service
