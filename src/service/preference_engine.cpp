#include "service/preference_engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "service/preferences/extractor.h"
#include "service/preferences/merge.h"
#include "service/preferences/style_state.h"
#include "service/preferences/writing_style.h"

namespace loci::service {
namespace {

constexpr int kPage = 200;
constexpr std::size_t kInferredEvidence = 5;  // the newest turns an inference names

void SortSurestFirst(std::vector<model::Preference>& preferences) {
  std::stable_sort(preferences.begin(), preferences.end(),
                   [](const model::Preference& a, const model::Preference& b) {
                     if (a.confidence != b.confidence) return a.confidence > b.confidence;
                     return a.key < b.key;
                   });
}

// Whether each key was forgotten, and through which message: asked once per key and run.
class ForgottenKeys {
 public:
  ForgottenKeys(storage::Store& store, const model::UserRef& user) : store_(store), user_(user) {}

  Result<bool> Blocks(const std::string& key, std::int64_t seq) {
    auto found = through_.find(key);
    if (found == through_.end()) {
      ASSIGN_OR_RETURN(std::optional<std::int64_t> through, store_.ForgottenThrough(user_, key));
      found = through_.emplace(key, through).first;
    }
    return found->second && seq <= *found->second;
  }

 private:
  storage::Store& store_;
  const model::UserRef& user_;
  std::map<std::string, std::optional<std::int64_t>> through_;
};

// The evidence the user's inferred preferences name now.
std::vector<std::string> InferredEvidence(const std::vector<model::Preference>& preferences) {
  for (const model::Preference& preference : preferences) {
    if (preference.source == model::PreferenceSource::kInferred ||
        preference.source == model::PreferenceSource::kFeedback) {
      return preference.evidence;
    }
  }
  return {};
}

// `inferred` without the keys forgotten through `seq`.
Result<std::vector<InferredStyle>> Unforgotten(std::vector<InferredStyle> inferred,
                                               ForgottenKeys& forgotten, std::int64_t seq) {
  std::vector<InferredStyle> kept;
  for (InferredStyle& style : inferred) {
    ASSIGN_OR_RETURN(bool blocked, forgotten.Blocks(style.key, seq));
    if (!blocked) kept.push_back(std::move(style));
  }
  return kept;
}

// Whether the model's `observation` of `turn` may join `current` (the preferences before the
// pass): see preference_engine.h.
class ModelGate {
 public:
  explicit ModelGate(const std::vector<model::Preference>& current) {
    for (const model::Preference& preference : current) current_[preference.key] = preference;
  }

  bool Admits(const PreferenceObservation& observation, const model::Message& turn) {
    auto rules = rule_keys_.find(turn.id);
    if (rules == rule_keys_.end()) {
      std::set<std::string> keys;
      for (const PreferenceObservation& read : ExtractPreferences(turn.content, turn.id)) {
        keys.insert(read.key);
      }
      rules = rule_keys_.emplace(turn.id, std::move(keys)).first;
    }
    if (rules->second.contains(observation.key)) return false;  // the rules read this turn
    auto held = current_.find(observation.key);
    if (held == current_.end()) return true;
    const model::Preference& preference = held->second;
    if (preference.source == model::PreferenceSource::kManual) return false;
    return preference.source != model::PreferenceSource::kExplicit ||
           preference.updated_at <= turn.created_at;
  }

 private:
  std::map<std::string, model::Preference> current_;
  std::map<std::string, std::set<std::string>> rule_keys_;  // by turn id
};

}  // namespace

PreferenceEngine::PreferenceEngine(storage::Store& store, const Clock& clock,
                                   std::function<void(const model::UserRef&)> changed,
                                   const LlmPreferenceExtractor* model)
    : store_(store), clock_(clock), changed_(std::move(changed)), model_(model) {}

Result<bool> PreferenceEngine::LearningAllowed(const model::UserRef& user) {
  ASSIGN_OR_RETURN(std::optional<model::PrivacySettings> settings, store_.Privacy(user));
  return settings.value_or(model::PrivacySettings{}).learn_preferences;
}

Result<bool> PreferenceEngine::Learn(const model::UserRef& user, int max_turns) {
  ASSIGN_OR_RETURN(storage::PreferenceSnapshot snapshot, store_.Preferences(user));
  ASSIGN_OR_RETURN(bool allowed, LearningAllowed(user));
  const UnixMillis now = clock_.NowMillis();
  storage::PreferenceState state = snapshot.state;
  StyleState style = StyleState::Parse(state.style);
  PreferenceMerge merge(snapshot.preferences);
  ForgottenKeys forgotten(store_, user);
  std::vector<std::string> recent;  // the newest user turns, for inferences' evidence
  int read = 0;
  while (read < max_turns) {
    ASSIGN_OR_RETURN(
        std::vector<model::Message> page,
        store_.UserMessages(user, state.learned_seq, std::min(kPage, max_turns - read)));
    if (page.empty()) break;
    read += static_cast<int>(page.size());
    for (const model::Message& message : page) {
      state.learned_seq = message.seq;
      if (!allowed || message.role != model::Role::kUser) continue;
      for (const PreferenceObservation& observation :
           ExtractPreferences(message.content, message.id)) {
        ASSIGN_OR_RETURN(bool blocked, forgotten.Blocks(observation.key, message.seq));
        if (!blocked) merge.Observe(observation, message.created_at);
      }
      style.AddTurn(ReadWriting(message.content), message.created_at);
      recent.push_back(message.id);
      if (recent.size() > kInferredEvidence) recent.erase(recent.begin());
    }
  }
  if (allowed && !style.Serialize().empty()) {
    // Inferences keep naming the turns they came from until newer turns replace them; run
    // without new turns, this applies the decay.
    if (recent.empty()) recent = InferredEvidence(snapshot.preferences);
    ASSIGN_OR_RETURN(std::vector<InferredStyle> inferred,
                     Unforgotten(style.Infer(now), forgotten, state.learned_seq));
    merge.Infer(inferred, recent, now);
  }
  storage::PreferenceWrite write;
  write.user = user;
  write.now = now;
  write.put = merge.Changed();
  write.remove = merge.Removed();
  state.style = style.Serialize();
  if (state != snapshot.state) write.state = state;
  const bool more = read >= max_turns;
  if (write.put.empty() && write.remove.empty() && !write.state) return more;
  RETURN_IF_ERROR(store_.WritePreferences(write).status());
  if (!write.put.empty() || !write.remove.empty()) changed_(user);
  return more;
}

Result<bool> PreferenceEngine::LearnWithModel(const model::UserRef& user, int max_turns) {
  if (model_ == nullptr) return false;
  ASSIGN_OR_RETURN(storage::PreferenceSnapshot before, store_.Preferences(user));
  const std::int64_t until = before.state.learned_seq;  // what Learn has read
  if (before.state.model_seq >= until) return false;
  ASSIGN_OR_RETURN(bool allowed, LearningAllowed(user));
  std::vector<model::Message> turns;
  std::int64_t read_seq = before.state.model_seq;
  int read = 0;
  bool caught_up = false;
  while (!caught_up && read < max_turns) {
    ASSIGN_OR_RETURN(std::vector<model::Message> page,
                     store_.UserMessages(user, read_seq, std::min(kPage, max_turns - read)));
    caught_up = page.empty();
    for (model::Message& message : page) {
      if (message.seq > until) {
        caught_up = true;
        break;
      }
      read_seq = message.seq;
      ++read;
      if (allowed && message.role == model::Role::kUser) turns.push_back(std::move(message));
    }
  }
  if (caught_up) read_seq = until;  // erased turns in between need no second look

  const ModelExtraction extraction = model_->Extract(turns);
  if (extraction.failed > 0) {  // counts and a code: never the user or the turns
    spdlog::warn(
        "preference model: {} of {} requests failed ({}); their turns keep what the built-in "
        "rules learned",
        extraction.failed, extraction.requests, StatusCodeName(extraction.last_failure));
  }
  // Merged over the preferences as they are now: the model may have taken a while.
  ASSIGN_OR_RETURN(storage::PreferenceSnapshot snapshot, store_.Preferences(user));
  PreferenceMerge merge(snapshot.preferences);
  ModelGate gate(snapshot.preferences);
  ForgottenKeys forgotten(store_, user);
  std::map<std::string, const model::Message*> turn_of;
  for (const model::Message& turn : turns) turn_of[turn.id] = &turn;
  for (const PreferenceObservation& observation : extraction.observations) {
    const model::Message& turn = *turn_of.at(observation.evidence_id);
    ASSIGN_OR_RETURN(bool blocked, forgotten.Blocks(observation.key, turn.seq));
    if (!blocked && gate.Admits(observation, turn)) merge.Observe(observation, turn.created_at);
  }
  storage::PreferenceWrite write;
  write.user = user;
  write.now = clock_.NowMillis();
  write.put = merge.Changed();
  write.remove = merge.Removed();
  write.state = snapshot.state;
  write.state->model_seq = std::max(snapshot.state.model_seq, read_seq);
  RETURN_IF_ERROR(store_.WritePreferences(write).status());
  if (!write.put.empty() || !write.remove.empty()) changed_(user);
  return !caught_up;
}

Result<std::vector<model::Preference>> PreferenceEngine::Current(const model::UserRef& user) {
  return PreferencesForContext(store_, user);
}

Result<model::Preference> PreferenceEngine::Set(const model::UserRef& user, const std::string& key,
                                                const std::string& value,
                                                const std::string& category) {
  storage::PreferenceWrite write;
  write.user = user;
  write.now = clock_.NowMillis();
  write.put = {model::Preference{.key = key,
                                 .value = value,
                                 .category = category,
                                 .confidence = 1,
                                 .source = model::PreferenceSource::kManual,
                                 .updated_at = write.now}};
  RETURN_IF_ERROR(store_.WritePreferences(write).status());
  changed_(user);
  return write.put.front();
}

Result<bool> PreferenceEngine::Forget(const model::UserRef& user, const std::string& key) {
  // Learn first, so that the turns stored until now count as seen: what they say about the key
  // must not come back, and what they say about other keys is kept.
  RETURN_IF_ERROR(Learn(user).status());
  storage::PreferenceWrite write;
  write.user = user;
  write.now = clock_.NowMillis();
  write.forget = key;
  ASSIGN_OR_RETURN(std::int64_t removed, store_.WritePreferences(write));
  changed_(user);
  return removed > 0;
}

Result<bool> PreferenceEngine::Feedback(const model::UserRef& user, const std::string& signal,
                                        const std::string& message_id) {
  ASSIGN_OR_RETURN(bool allowed, LearningAllowed(user));
  if (!allowed) return false;
  RETURN_IF_ERROR(Learn(user).status());
  ASSIGN_OR_RETURN(storage::PreferenceSnapshot snapshot, store_.Preferences(user));
  const UnixMillis now = clock_.NowMillis();
  StyleState style = StyleState::Parse(snapshot.state.style);
  style.AddFeedback(signal, now);
  PreferenceMerge merge(snapshot.preferences);
  ForgottenKeys forgotten(store_, user);
  ASSIGN_OR_RETURN(std::vector<InferredStyle> inferred,
                   Unforgotten(style.Infer(now), forgotten, snapshot.state.learned_seq));
  std::vector<std::string> evidence = InferredEvidence(snapshot.preferences);
  evidence.push_back(message_id);  // dropped by the store unless a message of the user
  if (evidence.size() > kInferredEvidence) evidence.erase(evidence.begin());
  merge.Infer(inferred, evidence, now);
  storage::PreferenceWrite write;
  write.user = user;
  write.now = now;
  write.put = merge.Changed();
  write.remove = merge.Removed();
  write.state = snapshot.state;
  write.state->style = style.Serialize();
  RETURN_IF_ERROR(store_.WritePreferences(write).status());
  changed_(user);
  return true;
}

Result<std::vector<model::Preference>> PreferencesForContext(storage::Store& store,
                                                             const model::UserRef& user) {
  ASSIGN_OR_RETURN(storage::PreferenceSnapshot snapshot, store.Preferences(user));
  SortSurestFirst(snapshot.preferences);
  return std::move(snapshot.preferences);
}

}  // namespace loci::service
