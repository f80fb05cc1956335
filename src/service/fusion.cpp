#include "service/fusion.h"

#include <algorithm>
#include <unordered_map>

namespace loci::service {
namespace {

// Adds each message's share of `ranking` to `fused`.
void Add(const std::vector<ScoredSeq>& ranking, double weight, const FusionParams& params,
         std::unordered_map<std::int64_t, double>& fused) {
  if (ranking.empty() || weight <= 0) return;
  if (params.method == FusionMethod::kReciprocalRank) {
    for (std::size_t i = 0; i < ranking.size(); ++i) {
      fused[ranking[i].seq] += weight / (params.rrf_k + static_cast<double>(i + 1));
    }
    return;
  }
  const auto [low, high] =
      std::minmax_element(ranking.begin(), ranking.end(),
                          [](const ScoredSeq& a, const ScoredSeq& b) { return a.score < b.score; });
  const double span = high->score - low->score;
  for (const ScoredSeq& scored : ranking) {
    // A ranking whose scores are all equal counts each of its messages in full.
    fused[scored.seq] += weight * (span > 0 ? (scored.score - low->score) / span : 1.0);
  }
}

}  // namespace

std::vector<ScoredSeq> Fuse(const std::vector<ScoredSeq>& fulltext,
                            const std::vector<ScoredSeq>& semantic, const FusionParams& params) {
  const double semantic_weight = std::clamp(params.semantic_weight, 0.0, 1.0);
  std::unordered_map<std::int64_t, double> fused;
  fused.reserve(fulltext.size() + semantic.size());
  Add(fulltext, 1.0 - semantic_weight, params, fused);
  Add(semantic, semantic_weight, params, fused);
  // A message in a ranking whose weight is zero still takes part, last.
  for (const auto* ranking : {&fulltext, &semantic}) {
    for (const ScoredSeq& scored : *ranking) fused.try_emplace(scored.seq, 0.0);
  }
  std::vector<ScoredSeq> merged;
  merged.reserve(fused.size());
  for (const auto& [seq, score] : fused) merged.push_back({seq, score});
  std::sort(merged.begin(), merged.end(), [](const ScoredSeq& a, const ScoredSeq& b) {
    return a.score != b.score ? a.score > b.score : a.seq > b.seq;
  });
  return merged;
}

}  // namespace loci::service
