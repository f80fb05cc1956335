// The settings of search ranking: how the conversation re-ranks (conversation_ranker.h) and
// how hybrid search fuses its two rankings (fusion.h). Plain values, chosen by the operator
// through Limits::search.
#pragma once

#include <cstddef>

#include "util/time.h"

namespace loci::service {

struct ConversationParams {
  int candidates = 100;          // how many of the best turns are looked at, with neighbours
  int radius = 1;                // neighbours on each side that share in a turn's score
  double neighbour_share = 0.7;  // share of a turn's score its next neighbour gets
  double speaker_boost = 1.0;    // score × (1 + boost) for a turn of the speaker named
  double time_boost = 0.5;       // score × (1 + boost) for a turn said at the time named
  UnixMillis time_grace = 14LL * 86'400'000;  // how long after the time named a turn counts
};

enum class FusionMethod { kScore, kReciprocalRank };

struct FusionParams {
  FusionMethod method = FusionMethod::kScore;
  // The semantic ranking's weight; the full-text one's is 1 - it. On LoCoMo, 0.1-0.2 beat
  // full text alone at every depth, 0.3 and more fell below it at 10.
  double semantic_weight = 0.2;
  double rrf_k = 60;  // reciprocal-rank fusion's rank offset
};

struct SearchParams {
  ConversationParams conversation;
  FusionParams fusion;
  std::size_t semantic_depth = 200;  // how many semantic matches hybrid fuses (at least)
};

}  // namespace loci::service
