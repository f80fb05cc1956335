// LlmSummarizer: the Summarizer that asks a chat model (embed/chat_model.h: an
// OpenAI-compatible chat completions endpoint, LLM_URL/LLM_MODEL) to fold new turns into the
// previous summary, and falls back to another summarizer (the built-in extractive one) for
// the fold whenever the model fails: unreachable, timing out or erroring after its own
// retries, refusing, or answering nothing usable (an empty answer). An answer longer than the
// budget is cut to it (its least salient lines first, summarizer.h: CompressSummary). Turns
// that would make the request too long are folded in several calls, each over the summary
// the previous one wrote.
// Thread-safety: as Summarizer; the model is called concurrently.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "embed/chat_model.h"
#include "service/summarizer.h"

namespace loci::service {

struct LlmSummarizerOptions {
  int max_tokens = 600;         // the summary's budget, as ExtractiveOptions::max_tokens
  int max_input_tokens = 6000;  // new turns sent in one request, at most (one turn always)
  int max_turn_tokens = 400;    // a longer turn is cut to this in the request
};

class LlmSummarizer final : public Summarizer {
 public:
  // REQUIRES: model and fallback outlive the summarizer.
  LlmSummarizer(embed::ChatModel& model, const Summarizer& fallback,
                LlmSummarizerOptions options = {})
      : model_(model), fallback_(fallback), options_(options) {}

  // The model's summary; the fallback's when the model fails (so it fails only when the
  // fallback does).
  Result<std::string> Fold(std::string_view previous,
                           std::span<const model::Message> turns) const override;

 private:
  // One request over `turns`; the model's error, or Unavailable for an empty answer.
  Result<std::string> Ask(std::string_view previous, std::span<const model::Message> turns) const;

  embed::ChatModel& model_;
  const Summarizer& fallback_;
  LlmSummarizerOptions options_;
};

}  // namespace loci::service
