// ChatModel: a language model that answers one prompt, for the features that may use one
// when configured (summaries, preference extraction). OpenAiChatModel speaks the
// OpenAI-compatible chat completions protocol; tests may implement it directly.
// Thread-safety: implementations may be called concurrently.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace loci::embed {

class ChatModel {
 public:
  virtual ~ChatModel() = default;

  // Names the model ("openai:gpt-4o-mini").
  virtual const std::string& model_id() const = 0;

  // The assistant's answer to a system prompt and one user message, in at most `max_tokens`
  // tokens (an answer cut by that limit is still returned). Unavailable when the model cannot
  // be reached, keeps failing or answers something malformed; InvalidArgument when it refuses
  // the input. REQUIRES: max_tokens > 0.
  virtual Result<std::string> Complete(std::string_view system, std::string_view user,
                                       int max_tokens) = 0;
};

}  // namespace loci::embed
