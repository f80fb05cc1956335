#include "service/search_service.h"

#include <algorithm>
#include <chrono>
#include <unordered_set>

namespace loci::service {
namespace {

std::vector<std::string> DistinctTerms(const text::Analyzer& analyzer, std::string_view text) {
  std::vector<std::string> terms = analyzer.Terms(text);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

storage::MessageFilter FilterOf(const SearchQuery& query) {
  storage::MessageFilter filter;
  filter.session_id = query.session_id;
  filter.roles = query.roles;
  filter.since = query.since;
  filter.until = query.until;
  filter.attributes = query.metadata_attributes;
  return filter;
}

}  // namespace

Result<std::vector<ScoredSeq>> SearchService::RankFulltext(
    const model::UserRef& user, std::string_view query,
    const storage::MessageFilter& filter) const {
  std::vector<std::string> terms = DistinctTerms(analyzer_, query);
  if (terms.empty()) return std::vector<ScoredSeq>{};
  ASSIGN_OR_RETURN(storage::CorpusStats stats, store_.Stats(user));
  ASSIGN_OR_RETURN(std::vector<storage::TermPostings> postings,
                   store_.Postings(user, terms, filter));
  return RankBm25(postings, stats);
}

Result<SearchResult> SearchService::Search(const model::UserRef& user,
                                           const SearchQuery& query) const {
  const auto started = std::chrono::steady_clock::now();
  if (query.mode != SearchMode::kFulltext) {
    return InvalidArgument(
        "mode must be \"fulltext\": semantic and hybrid search are not available yet", "mode");
  }
  const storage::MessageFilter filter = FilterOf(query);
  ASSIGN_OR_RETURN(std::vector<ScoredSeq> base, RankFulltext(user, query.query, filter));
  ASSIGN_OR_RETURN(
      std::vector<ScoredSeq> ranked,
      conversation_.Rerank(user, query.query, std::move(base), filter, clock_.NowMillis()));

  SearchResult result;
  result.mode = query.mode;
  const auto begin = std::min<std::size_t>(ranked.size(), query.offset);
  const auto end = std::min<std::size_t>(ranked.size(), begin + query.limit);
  std::vector<std::int64_t> seqs;
  for (std::size_t i = begin; i < end; ++i) seqs.push_back(ranked[i].seq);
  ASSIGN_OR_RETURN(std::vector<model::Message> messages, store_.MessagesBySeq(user, seqs));

  const std::vector<std::string> terms = analyzer_.Terms(query.query);
  const std::unordered_set<std::string> term_set(terms.begin(), terms.end());
  // MessagesBySeq keeps the order given and skips only seqs erased meanwhile.
  std::size_t rank = begin;
  for (model::Message& message : messages) {
    while (rank < end && ranked[rank].seq != message.seq) ++rank;
    if (rank == end) break;
    ScoredMessage hit;
    hit.score = ranked[rank].score;
    hit.highlights = highlighter_.Highlight(message.content, term_set);
    hit.message = std::move(message);
    result.results.push_back(std::move(hit));
  }
  result.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace loci::service
