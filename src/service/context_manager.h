// ContextManager: assembles the context pack an assistant asks for before its next turn —
// the recent window of the session, cut to the token budget, rendered as one prompt.
// Summaries, preferences and relevant recall join the pack in later stages; the pack's
// fields for them are present and empty until then.
//
// Budget rule: the prompt (which holds everything the structured fields hold) never exceeds
// max_tokens. The oldest turns of the window give way first; when even the newest turn does
// not fit, its content is cut to fit and `truncated` is set.
// Thread-safety: stateless beyond its collaborators; shareable.
#pragma once

#include "service/commands.h"
#include "service/memory_service.h"
#include "storage/store.h"

namespace loci::service {

class ContextManager {
 public:
  // REQUIRES: `store` outlives the manager.
  ContextManager(storage::Store& store, const Limits& limits) : store_(store), limits_(limits) {}

  // REQUIRES: the query has passed ValidateContextQuery.
  Result<ContextPack> Build(const model::UserRef& user, const ContextQuery& query) const;

 private:
  storage::Store& store_;
  Limits limits_;
};

}  // namespace loci::service
