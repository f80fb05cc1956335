#include "app/models_setup.h"

#include "embed/openai_chat_model.h"
#include "embed/openai_embedder.h"
#include "embed/word_vectors.h"

namespace loci::app {
namespace {

void SetUpEmbedder(const Config& config, Models* models) {
  if (!config.embedding_url.empty()) {
    models->embedder = std::make_unique<embed::OpenAiEmbedder>(embed::OpenAiEmbedderOptions{
        .url = config.embedding_url,
        .model = config.embedding_model,
        .api_key = config.embedding_api_key,
    });
    models->embedder_status =
        "embedding provider " + models->embedder->model_id() + " (EMBEDDING_URL)";
    return;
  }
  if (config.vectors_path.empty()) {
    models->embedder_status =
        "semantic search off: no word vectors (LOCI_VECTORS is unset and there is no HOME)";
    return;
  }
  auto vectors = embed::WordVectors::Open(config.vectors_path);
  if (!vectors.ok()) {
    models->embedder_status = "semantic search off: " + vectors.status().message() +
                              " (install with scripts/install-vectors.sh, which make run does, "
                              "or set EMBEDDING_URL)";
    return;
  }
  const std::uint32_t words = (*vectors)->size();
  auto sif = std::make_unique<embed::SifEmbedder>(std::move(*vectors));
  models->sif = sif.get();
  models->embedder_status = "built-in embedder " + sif->model_id() + " (" + std::to_string(words) +
                            " words, each user's word frequencies)";
  models->embedder = std::move(sif);
}

void SetUpChat(const Config& config, Models* models) {
  if (config.llm_url.empty()) {
    models->chat_status = "no chat model (LLM_URL unset): built-in summaries and preferences";
    return;
  }
  models->chat = std::make_unique<embed::OpenAiChatModel>(embed::OpenAiChatOptions{
      .url = config.llm_url,
      .model = config.llm_model,
      .api_key = config.llm_api_key,
  });
  models->chat_status =
      "chat model " + models->chat->model_id() + " (LLM_URL): summaries and preferences";
}

}  // namespace

Models SetUpModels(const Config& config) {
  Models models;
  SetUpEmbedder(config, &models);
  SetUpChat(config, &models);
  return models;
}

}  // namespace loci::app
