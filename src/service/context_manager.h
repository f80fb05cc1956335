// ContextManager: assembles the context pack an assistant asks for before its next turn —
// the recent window of the session, the session's rolling summary, the preferences it is
// given, and (with a query) the relevant turns from earlier in this and other sessions — all
// cut to the token budget and rendered as one prompt (pack_budget.h).
//
// What gives way first when the budget is tight (pack_budget.h has the rule in full): each of
// preferences, summary and relevant messages first gets a bounded share (a quarter, three
// tenths, a fifth), losing their least confident / least salient / lowest scored parts; the
// recent turns get the rest and lose their oldest first. Past that: relevant messages, then
// older recent turns, then the summary, then preferences; the newest turn goes last, cut
// before it goes. So every budget keeps part of everything, and the newest turn longest.
//
// The summary is never older than the configured lag (Limits::summary_lag_messages): folding
// normally runs off the request path (every store marks a "fold" of its session in the durable
// work queue, run Limits::fold_delay_ms later by the work runner), and when a request finds
// more turns than the lag outside the window and not yet in the summary (folds still queued,
// say after a restart, or an erasure that dropped the summary), it folds synchronously before
// answering.
//
// Relevant turns: full-text search over all of the user's sessions for the query, without
// the turns the window already holds.
// Thread-safety: stateless beyond its collaborators; shareable.
#pragma once

#include <vector>

#include "service/commands.h"
#include "service/memory_service.h"
#include "service/search_service.h"
#include "service/session_folder.h"
#include "storage/store.h"

namespace loci::service {

class ContextManager {
 public:
  // REQUIRES: store, search and folder outlive the manager.
  ContextManager(storage::Store& store, const SearchService& search, const SessionFolder& folder,
                 const Limits& limits)
      : store_(store), search_(search), folder_(folder), limits_(limits) {}

  // The pack for `query`, holding `preferences` (as far as the budget allows). Fails when
  // storage or a synchronous fold fails (Unavailable, Internal).
  // REQUIRES: the query has passed ValidateContextQuery.
  Result<ContextPack> Build(const model::UserRef& user, const ContextQuery& query,
                            std::vector<Preference> preferences = {}) const;

 private:
  // The session's summary, folded first when it lags more than the limit behind the window.
  Result<std::optional<Summary>> CurrentSummary(const model::UserRef& user,
                                                const std::string& session_id) const;
  // Turns recalled for `text`, best first, none of them in `window`.
  Result<std::vector<ScoredMessage>> Relevant(const model::UserRef& user, const std::string& text,
                                              const std::vector<model::Message>& window) const;

  storage::Store& store_;
  const SearchService& search_;
  const SessionFolder& folder_;
  Limits limits_;
};

}  // namespace loci::service
