#include "service/bm25.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace loci::service {

std::vector<ScoredSeq> RankBm25(const std::vector<storage::TermPostings>& postings,
                                const storage::CorpusStats& stats, const Bm25Params& params) {
  std::unordered_map<std::int64_t, double> scores;
  const double documents = static_cast<double>(std::max<std::int64_t>(stats.documents, 1));
  const double average_length =
      stats.documents > 0 ? static_cast<double>(stats.total_length) / documents : 1.0;
  for (const storage::TermPostings& term : postings) {
    if (term.postings.empty()) continue;
    const double df = static_cast<double>(term.postings.size());
    // The "+1" form of IDF never goes negative, even for a term in most messages.
    const double idf = std::log(1.0 + (documents - df + 0.5) / (df + 0.5));
    for (const storage::Posting& posting : term.postings) {
      const double tf = posting.term_frequency;
      const double norm =
          params.k1 *
          (1.0 - params.b + params.b * posting.document_length / std::max(average_length, 1e-9));
      scores[posting.seq] += idf * tf * (params.k1 + 1.0) / (tf + norm);
    }
  }
  std::vector<ScoredSeq> ranked;
  ranked.reserve(scores.size());
  for (const auto& [seq, score] : scores) ranked.push_back({seq, score});
  std::sort(ranked.begin(), ranked.end(), [](const ScoredSeq& a, const ScoredSeq& b) {
    return a.score != b.score ? a.score > b.score : a.seq > b.seq;
  });
  return ranked;
}

}  // namespace loci::service
