// PreferenceEngine (DESIGN.md, "Preferences"): learns a user's preferences from their turns
// and feedback, and keeps those set by hand.
//
// - Explicit statements (preferences/extractor.h) set or retract a key; later evidence wins.
//   Repeating a value makes it surer (confidence grows towards 1 and the message joins the
//   evidence); a different value replaces it; a retraction removes it.
// - Implicit style (preferences/style_state.h) comes from how the user writes and from
//   feedback, decays with time, and never overrides an explicit or manual preference.
// - A user whose learn_preferences is off is not learned from: the turns they store meanwhile
//   are skipped for good, and feedback is ignored.
// - A forgotten key (Forget) is not learned again from the messages it was forgotten through.
// - With a chat model (LLM_URL), a second pass (LearnWithModel) has the model read the turns
//   Learn has read (preferences/llm_extractor.h). It runs from the deferred-work handler only,
//   never on a read path, which must not wait for a model; it keeps its own place
//   (PreferenceState::model_seq). Its observations are explicit preferences with a lower
//   confidence, citing their turn, and they fill gaps without overriding: the built-in rules
//   win for a key they read in the same turn (they are deterministic and measured on the
//   evaluation set; the model is neither), a manual preference stays, and so does an explicit
//   one learned from a later turn. A value the preference holds already gains the model's
//   turn as evidence, and confidence. A failing model (unreachable, timing out or erroring after
//   its own retries, answering other than the JSON asked for) costs only its additions: its turns
//   count as read and what the rules learned from them stands, so an outage never stalls learning,
//   and the same turns are not sent again and again.
//
// Learning reads the user's turns stored since the last run (the store keeps the point
// reached), so it needs no hook on the store path and loses nothing in a crash: Learn is
// what a deferred-work handler calls, and MemoryServiceImpl also calls it before it reads
// preferences, so reads see every stored turn.
// Thread-safety: all methods may be called concurrently; two Learn calls for the same user
// race benignly (both read the same turns and write the same result; the second may rewrite
// it). LearnWithModel reads the state again just before it writes, after the model answered;
// a Learn that writes in between may have its progress written back, and then learns those
// few turns again. Collaborators are borrowed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/preference.h"
#include "service/preferences/llm_extractor.h"
#include "storage/store.h"
#include "util/time.h"

namespace loci::service {

class PreferenceEngine {
 public:
  // `changed` runs after each write of the user's preferences (the context cache's
  // invalidation); `model` (may be null: none) reads turns in LearnWithModel.
  // REQUIRES: store, clock and model outlive the engine.
  PreferenceEngine(storage::Store& store, const Clock& clock,
                   std::function<void(const model::UserRef&)> changed,
                   const LlmPreferenceExtractor* model = nullptr);

  // Learns from up to `max_turns` of the user's messages not yet learned from. Returns whether
  // some may remain unread (it read `max_turns`): call again to finish. Unavailable/Internal
  // when storage fails (nothing is then recorded as learned).
  Result<bool> Learn(const model::UserRef& user, int max_turns = 2000);

  // Has the model read up to `max_turns` of the user's turns that Learn has read and it has not,
  // and merges what it observes (see above). Returns whether some may remain. OK, doing
  // nothing, without a model; sends nothing while the user's learn_preferences is off (the
  // turns count as read). Unavailable/Internal when storage fails.
  Result<bool> LearnWithModel(const model::UserRef& user, int max_turns);

  // The user's preferences, surest first (ties by key). Storage errors.
  Result<std::vector<model::Preference>> Current(const model::UserRef& user);

  // Sets a preference by hand: source manual, confidence 1, no evidence. Storage errors.
  Result<model::Preference> Set(const model::UserRef& user, const std::string& key,
                                const std::string& value, const std::string& category);

  // Removes the preference and keeps it from being learned again from the messages stored so
  // far. Returns whether the user held it. Storage errors.
  Result<bool> Forget(const model::UserRef& user, const std::string& key);

  // Learns from feedback on an assistant message (`signal`: too_long, too_short, good, bad).
  // Returns false when the user's settings forbid learning. Storage errors.
  Result<bool> Feedback(const model::UserRef& user, const std::string& signal,
                        const std::string& message_id);

 private:
  Result<bool> LearningAllowed(const model::UserRef& user);

  storage::Store& store_;
  const Clock& clock_;
  std::function<void(const model::UserRef&)> changed_;
  const LlmPreferenceExtractor* model_;
};

// The user's preferences as a context pack holds them: surest first. Storage errors.
Result<std::vector<model::Preference>> PreferencesForContext(storage::Store& store,
                                                             const model::UserRef& user);

}  // namespace loci::service
