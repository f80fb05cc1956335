// BM25 ranking over the postings a Store returns. Ranking is computed here, not in the
// database, so every engine ranks identically. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/store.h"

namespace loci::service {

struct Bm25Params {
  double k1 = 1.2;
  double b = 0.75;
};

struct ScoredSeq {
  std::int64_t seq = 0;
  double score = 0;
};

// Scores every message that holds at least one term, best first (ties: newer first).
// `stats` are the user's corpus statistics; document frequencies come from the postings.
std::vector<ScoredSeq> RankBm25(const std::vector<storage::TermPostings>& postings,
                                const storage::CorpusStats& stats, const Bm25Params& params = {});

}  // namespace loci::service
