#include "service/conversation_ranker.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "text/time_expressions.h"

namespace loci::service {
namespace {

// Whether a message read by seq may join the results: the filter checked on the message
// itself. Metadata attributes are matched only by the store, so such a filter admits none.
bool PassesFilter(const model::Message& message, const storage::MessageFilter& filter) {
  if (!filter.attributes.empty()) return false;
  if (filter.session_id && message.session_id != *filter.session_id) return false;
  if (!filter.roles.empty() &&
      std::find(filter.roles.begin(), filter.roles.end(), message.role) == filter.roles.end()) {
    return false;
  }
  if (filter.since && message.created_at < *filter.since) return false;
  if (filter.until && message.created_at >= *filter.until) return false;
  return true;
}

// The names among the speakers of `messages` that the query names: every term of the name
// is a term of the query ("Caroline" in "what did Caroline paint").
std::unordered_set<std::string> NamedSpeakers(const text::Analyzer& analyzer,
                                              std::string_view query,
                                              const std::vector<model::Message>& messages) {
  const std::vector<std::string> query_terms = analyzer.Terms(query);
  const std::unordered_set<std::string> query_set(query_terms.begin(), query_terms.end());
  std::unordered_set<std::string> seen;
  std::unordered_set<std::string> named;
  for (const model::Message& message : messages) {
    if (!message.name || !seen.insert(*message.name).second) continue;
    const std::vector<std::string> name_terms = analyzer.Terms(*message.name);
    if (!name_terms.empty() &&
        std::all_of(name_terms.begin(), name_terms.end(),
                    [&](const std::string& term) { return query_set.count(term) > 0; })) {
      named.insert(*message.name);
    }
  }
  return named;
}

}  // namespace

Result<std::vector<ScoredSeq>> ConversationRanker::Rerank(const model::UserRef& user,
                                                          std::string_view query,
                                                          std::vector<ScoredSeq> base,
                                                          const storage::MessageFilter& filter,
                                                          UnixMillis now) const {
  if (base.empty()) return base;
  const double top = base.front().score > 0 ? base.front().score : 1.0;
  std::unordered_map<std::int64_t, double> base_scores;
  for (ScoredSeq& scored : base) {
    scored.score /= top;
    base_scores.emplace(scored.seq, scored.score);
  }
  const std::size_t head = std::min<std::size_t>(base.size(), params_.candidates);

  // The head's turns and the turns around them. Seq order is the order turns were stored in;
  // neighbours are told apart from other sessions' turns by their session.
  std::vector<std::int64_t> seqs;
  std::unordered_set<std::int64_t> head_seqs;
  for (std::size_t i = 0; i < head; ++i) {
    head_seqs.insert(base[i].seq);
    for (int d = -params_.radius; d <= params_.radius; ++d) seqs.push_back(base[i].seq + d);
  }
  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  ASSIGN_OR_RETURN(std::vector<model::Message> messages, store_.MessageHeadersBySeq(user, seqs));
  std::unordered_map<std::int64_t, const model::Message*> by_seq;
  for (const model::Message& message : messages) by_seq.emplace(message.seq, &message);

  // What each turn gets from its best neighbour.
  std::unordered_map<std::int64_t, double> lent;
  for (std::size_t i = 0; i < head; ++i) {
    const auto self = by_seq.find(base[i].seq);
    if (self == by_seq.end()) continue;  // erased meanwhile
    for (int d = -params_.radius; d <= params_.radius; ++d) {
      const auto other = by_seq.find(base[i].seq + d);
      if (d == 0 || other == by_seq.end() ||
          other->second->session_id != self->second->session_id) {
        continue;
      }
      const double share = base[i].score * std::pow(params_.neighbour_share, std::abs(d));
      double& best = lent[other->first];
      best = std::max(best, share);
    }
  }

  const std::unordered_set<std::string> speakers = NamedSpeakers(analyzer_, query, messages);
  const text::TimeReference time = text::FindTimeExpressions(query, now);
  std::vector<ScoredSeq> ranked;
  for (const auto& [seq, message] : by_seq) {
    const auto in_base = base_scores.find(seq);
    const auto got = lent.find(seq);
    if (head_seqs.count(seq) == 0 && got == lent.end()) continue;
    if (in_base == base_scores.end() && !PassesFilter(*message, filter)) continue;
    double score = (in_base != base_scores.end() ? in_base->second : 0.0) +
                   (got != lent.end() ? got->second : 0.0);
    if (message->name && speakers.count(*message->name) > 0) score *= 1.0 + params_.speaker_boost;
    if (!time.empty() && text::Matches(time, message->created_at, params_.time_grace)) {
      score *= 1.0 + params_.time_boost;
    }
    ranked.push_back({seq, score});
  }
  // The rest of the base ranking keeps its scores.
  for (std::size_t i = head; i < base.size(); ++i) {
    if (lent.count(base[i].seq) == 0) ranked.push_back(base[i]);
  }
  std::sort(ranked.begin(), ranked.end(), [](const ScoredSeq& a, const ScoredSeq& b) {
    return a.score != b.score ? a.score > b.score : a.seq > b.seq;
  });
  return ranked;
}

}  // namespace loci::service
