// LlmPreferenceExtractor: asks a chat model (embed/chat_model.h: an OpenAI-compatible chat
// completions endpoint, LLM_URL/LLM_MODEL) which preferences a batch of a user's turns states,
// for the keys of API.md's "Preferences" and under the built-in extractor's rules (extractor.h:
// the user's own lasting preferences; not other people, questions, hypotheticals, quotations
// or one-off tasks; changes and retractions).
//
// Nothing the model answers is trusted. Its answer must be the JSON asked for
// ({"observations": [{"turn", "key", "value", "retract"}]}), else the whole request counts as
// failed and yields nothing. Each observation is then checked on its own and dropped when it
// breaks a rule: fields other than those four or of the wrong type, a turn number not in the
// batch, a key API.md does not name, a value outside the key's values (response_length is
// concise or detailed, language a BCP 47 tag, …) or longer than max_value_bytes, or a
// free-text value (a name, a place, a thing liked) that the turn it cites does not contain.
// What is kept carries options.confidence (below the built-in rules' own) and the cited
// turn's id as evidence.
// Thread-safety: Extract may be called concurrently (the model is).
#pragma once

#include <span>
#include <vector>

#include "embed/chat_model.h"
#include "model/message.h"
#include "service/preferences/observation.h"
#include "util/status.h"

namespace loci::service {

struct LlmExtractorOptions {
  int max_answer_tokens = 800;
  int max_input_tokens = 3000;  // turns sent in one request, at most (one turn always)
  int max_turn_tokens = 300;    // a longer turn is cut to this in the request
  // Below the built-in rules' (0.7 to 0.9): a model's reading is surer when the user repeats it.
  double confidence = 0.5;
  std::size_t max_value_bytes = 80;
};

// What one Extract call found, and what it had to leave out (counts only, for logs).
struct ModelExtraction {
  std::vector<PreferenceObservation> observations;  // in the order of the turns they cite
  int requests = 0;
  int failed = 0;  // requests that yielded nothing: the model failed, or answered other than JSON
  StatusCode last_failure = StatusCode::kOk;
  int rejected = 0;  // observations dropped by the checks above
};

class LlmPreferenceExtractor {
 public:
  // REQUIRES: model outlives the extractor.
  explicit LlmPreferenceExtractor(embed::ChatModel& model, LlmExtractorOptions options = {})
      : model_(model), options_(options) {}

  // The observations the model reads in the user turns among `turns` (other roles are not
  // sent), in as many requests as max_input_tokens asks. Never fails: a failed request
  // counts in `failed` and the other requests' observations are kept.
  ModelExtraction Extract(std::span<const model::Message> turns) const;

 private:
  // One request over `turns` (user turns), adding to `extraction`.
  void Ask(std::span<const model::Message* const> turns, ModelExtraction& extraction) const;

  embed::ChatModel& model_;
  LlmExtractorOptions options_;
};

}  // namespace loci::service
