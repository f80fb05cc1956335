// Fitting the parts of a context pack into its token budget, and rendering them as the
// prompt: short headed sections in the order an assistant reads them —
//   ## Preferences                       "- diet: vegetarian", highest confidence first
//   ## Summary of earlier conversation   the session's rolling summary
//   ## Relevant earlier messages         turns recalled for the query, best first
//   ## Recent conversation               the window, oldest first
//
// The budget rule (the prompt never exceeds max_tokens; every structured field holds only
// what the prompt holds):
// 1. Each section but the recent one first gets a share of the budget at most: preferences a
//    quarter, the summary three tenths, relevant messages a fifth. Within its share,
//    preferences of lowest confidence go first, the summary's least salient lines go first
//    (summarizer.h: CompressSummary), relevant messages of lowest score go first.
// 2. The recent conversation gets the rest, including whatever the other sections left of
//    their shares; its oldest turns go first.
// 3. Should the whole still exceed the budget (headings and line breaks count a little more
//    than the parts), things give way in this order until it fits: relevant messages, the
//    oldest recent turns (the newest stays), the summary's lines, preferences, and last the
//    newest turn's content, cut to fit (ending with " …").
// So under any budget the pack keeps a part of everything it has — preferences, summary and
// the newest turns — and the newest turn is the last thing to go. `truncated` says that
// something available was left out or cut.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <vector>

#include "service/commands.h"

namespace loci::service {

// What a pack could hold, before the budget.
struct PackParts {
  std::vector<Preference> preferences;  // any order
  std::optional<Summary> summary;
  std::vector<ScoredMessage> relevant;  // best first
  std::vector<model::Message> window;   // oldest first
};

// Fills pack.preferences, summary, relevant, messages, prompt, token_count and truncated
// from `parts`, within `max_tokens` (see the rule above).
void FitToBudget(PackParts parts, int max_tokens, ContextPack& pack);

}  // namespace loci::service
