// Builds the models the configuration asks for: the embedder that gives texts their vectors
// for semantic search, and the optional chat model (summaries, preference extraction).
// - EMBEDDING_URL set: the OpenAI-compatible provider (embed/openai_embedder.h);
// - else the built-in SIF embedder, when the word vectors file (LOCI_VECTORS) opens;
// - else no embedder: the server still starts and serves full-text search, and `status`
//   says why (for the start log and /readyz).
// Neither is contacted here: a provider that is down does not stop a start.
// Thread-safety: a plain function; the Models it returns are owned by the caller.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "embed/chat_model.h"
#include "embed/embedder.h"
#include "embed/sif_embedder.h"

namespace loci::app {

struct Models {
  std::unique_ptr<embed::Embedder> embedder;  // null: no semantic search
  // The same object as `embedder` when it is the built-in one, else null: the service then
  // weighs words by each user's own word counts (service/user_word_counts.h).
  embed::SifEmbedder* sif = nullptr;
  // What gives vectors, or why nothing does. Holds no secret.
  std::string embedder_status;

  std::unique_ptr<embed::ChatModel> chat;  // null: no LLM_URL, built-in features only
  std::string chat_status;
};

// Never fails: whatever cannot be built is left null with its reason in the status.
Models SetUpModels(const Config& config);

}  // namespace loci::app
