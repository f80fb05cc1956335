// Fusion: merges the full-text and the semantic ranking of a query into one, by one of two
// methods. Score fusion normalizes each ranking's scores to [0, 1] (min-max over the ranking)
// and adds them, weighted; reciprocal-rank fusion adds weight / (k + rank) and ignores the
// scores. A message in one ranking only gets nothing from the other. Thread-safety: pure
// functions.
#pragma once

#include <vector>

#include "service/bm25.h"
#include "service/search_params.h"

namespace loci::service {

// Both rankings merged, best first (ties: newer first). Each input is best first, with no seq
// twice.
std::vector<ScoredSeq> Fuse(const std::vector<ScoredSeq>& fulltext,
                            const std::vector<ScoredSeq>& semantic, const FusionParams& params);

}  // namespace loci::service
