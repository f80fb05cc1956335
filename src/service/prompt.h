// Rendering of the context pack as one prompt text, and fitting it into a token budget.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/message.h"

namespace loci::service {

// One message as a prompt line: "[2023-05-08 13:56] Caroline (user): I moved to Lisbon."
std::string RenderMessageLine(const model::Message& message);

// The part of RenderMessageLine before the content: "[2023-05-08 13:56] Caroline (user): ".
std::string RenderMessageHeader(const model::Message& message);

// A headed section of the prompt ("## Recent conversation" and its lines).
struct PromptSection {
  std::string heading;
  std::vector<std::string> lines;
};

// The sections joined as the prompt; sections without lines are left out.
std::string RenderPrompt(const std::vector<PromptSection>& sections);

// The longest prefix of `text` (cut at a UTF-8 character boundary, preferably at a space,
// followed by "…") whose token count is at most `max_tokens`; "" when not even one word fits.
std::string TruncateToTokens(const std::string& text, int max_tokens);

// Where the batch of turns that starts at `first` ends, for one request to a chat model: as
// many turns of `contents` as fit `max_tokens`, each counted as its content (at most
// `max_turn_tokens`) plus `per_turn` for what the prompt adds around it; at least one.
// REQUIRES: first < contents.size().
std::size_t RequestBatchEnd(std::span<const std::string_view> contents, std::size_t first,
                            int max_tokens, int max_turn_tokens, int per_turn);

}  // namespace loci::service
