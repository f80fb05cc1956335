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

Result<std::vector<ScoredSeq>> SearchService::RankSemantic(const model::UserRef& user,
                                                           std::string_view query,
                                                           const storage::MessageFilter& filter,
                                                           std::size_t limit) const {
  if (semantic_ == nullptr) {
    return Unavailable("semantic search is unavailable (" + missing_reason_ +
                       "; see /readyz): use mode \"fulltext\"");
  }
  return semantic_->Rank(user, query, filter, limit);
}

Result<std::vector<ScoredSeq>> SearchService::RankMode(const model::UserRef& user,
                                                       std::string_view query, SearchMode mode,
                                                       const storage::MessageFilter& filter,
                                                       std::size_t depth) const {
  switch (mode) {
    case SearchMode::kFulltext:
      return RankFulltext(user, query, filter);
    case SearchMode::kSemantic:
      return RankSemantic(user, query, filter, depth);
    case SearchMode::kHybrid:
      break;
  }
  ASSIGN_OR_RETURN(std::vector<ScoredSeq> fulltext, RankFulltext(user, query, filter));
  if (semantic_ == nullptr) return fulltext;
  ASSIGN_OR_RETURN(std::vector<ScoredSeq> semantic,
                   RankSemantic(user, query, filter, std::max(depth, params_.semantic_depth)));
  return Fuse(fulltext, semantic, params_.fusion);
}

Result<SearchResult> SearchService::Search(const model::UserRef& user,
                                           const SearchQuery& query) const {
  const auto started = std::chrono::steady_clock::now();
  const storage::MessageFilter filter = FilterOf(query);
  // Deep enough for the page and for every turn the conversation ranker looks at.
  const std::size_t depth =
      std::max<std::size_t>(static_cast<std::size_t>(query.offset) + query.limit,
                            static_cast<std::size_t>(params_.conversation.candidates));
  ASSIGN_OR_RETURN(std::vector<ScoredSeq> base,
                   RankMode(user, query.query, query.mode, filter, depth));
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
