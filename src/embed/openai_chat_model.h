// OpenAiChatModel: the ChatModel of an OpenAI-compatible chat completions endpoint
// (`POST /v1/chat/completions`: OpenAI, Ollama, llama.cpp, vLLM). LLM_URL is the server's
// base ("http://localhost:11434", "https://host/v1") or the full endpoint; see EndpointUrl.
// Requests are {"model", "messages": [system, user], "max_tokens", "temperature": 0} (the
// lowest temperature, so summaries do not wander); the answer is choices[0].message.content.
// Thread-safety: Complete may be called concurrently.
#pragma once

#include <string>

#include "embed/chat_model.h"
#include "embed/json_client.h"

namespace loci::embed {

struct OpenAiChatOptions {
  std::string url;      // LLM_URL
  std::string model;    // LLM_MODEL
  std::string api_key;  // LLM_API_KEY; empty: no Authorization header
  HttpPolicy http = {.total_timeout = std::chrono::seconds(60)};
  Sleeper sleeper;  // empty: really sleep between attempts
};

class OpenAiChatModel : public ChatModel {
 public:
  explicit OpenAiChatModel(OpenAiChatOptions options);

  // "openai:<model>".
  const std::string& model_id() const override { return model_id_; }

  // As ChatModel::Complete. Malformed answers (not JSON, no choices, no string content) are
  // Unavailable naming what is missing; a refusal by content filter (finish_reason
  // "content_filter") is InvalidArgument.
  Result<std::string> Complete(std::string_view system, std::string_view user,
                               int max_tokens) override;

 private:
  OpenAiChatOptions options_;
  JsonClient client_;
  std::string model_id_;
};

}  // namespace loci::embed
