#include "service/context_manager.h"

#include <unordered_set>

#include "service/pack_budget.h"

namespace loci::service {
namespace {

// The most relevant turns a pack considers (the budget may keep fewer).
constexpr int kMaxRelevant = 8;

}  // namespace

Result<std::optional<Summary>> ContextManager::CurrentSummary(const model::UserRef& user,
                                                              const std::string& session_id) const {
  ASSIGN_OR_RETURN(std::optional<model::SessionInfo> session, store_.Session(user, session_id));
  if (!session || session->message_count <= folder_.options().window) {
    return std::optional<Summary>();  // the session fits the window: no summary is due
  }
  ASSIGN_OR_RETURN(std::optional<storage::SessionSummary> stored, store_.Summary(user, session_id));
  if (SessionFolder::LagOf(*session, stored, folder_.options()) > limits_.summary_lag_messages) {
    // Synchronous fold: the summary may not lag more than the limit behind. A fold that loses
    // a race (Conflict) leaves the summary another fold just wrote: read that one.
    Result<std::int64_t> folded = folder_.Fold(user, session_id);
    if (!folded.ok() && folded.status().code() != StatusCode::kConflict) return folded.status();
    ASSIGN_OR_RETURN(stored, store_.Summary(user, session_id));
  }
  if (!stored) return std::optional<Summary>();
  return std::optional<Summary>(
      Summary{std::move(stored->text), std::move(stored->covers_until), stored->message_count});
}

Result<std::vector<ScoredMessage>> ContextManager::Relevant(
    const model::UserRef& user, const std::string& text,
    const std::vector<model::Message>& window) const {
  SearchQuery search;
  search.user_id = user.user_id;
  search.query = text;
  search.mode = SearchMode::kHybrid;
  search.limit = kMaxRelevant + static_cast<int>(window.size());
  ASSIGN_OR_RETURN(SearchResult found, search_.Search(user, search));
  std::unordered_set<std::string> in_window;
  for (const model::Message& message : window) in_window.insert(message.id);
  std::vector<ScoredMessage> relevant;
  for (ScoredMessage& hit : found.results) {
    if (in_window.count(hit.message.id) || relevant.size() >= kMaxRelevant) continue;
    hit.highlights.clear();
    relevant.push_back(std::move(hit));
  }
  return relevant;
}

Result<ContextPack> ContextManager::Build(const model::UserRef& user, const ContextQuery& query,
                                          std::vector<Preference> preferences) const {
  ContextPack pack;
  pack.user_id = user.user_id;
  if (query.session_id) {
    pack.session_id = query.session_id;
  } else {
    ASSIGN_OR_RETURN(pack.session_id, store_.LatestSession(user));
  }
  const int max_tokens = query.max_tokens.value_or(limits_.default_context_tokens);
  const int max_messages = query.max_messages.value_or(limits_.default_context_messages);
  PackParts parts;
  parts.preferences = std::move(preferences);
  if (pack.session_id) {
    ASSIGN_OR_RETURN(parts.window, store_.RecentMessages(user, *pack.session_id, max_messages));
    ASSIGN_OR_RETURN(parts.summary, CurrentSummary(user, *pack.session_id));
  }
  if (query.query) {
    ASSIGN_OR_RETURN(parts.relevant, Relevant(user, *query.query, parts.window));
  }
  FitToBudget(std::move(parts), max_tokens, pack);
  return pack;
}

}  // namespace loci::service
