// OpenAiEmbedder: the Embedder of an OpenAI-compatible embeddings endpoint (OpenAI, Ollama,
// llama.cpp, vLLM, TEI all serve `POST /v1/embeddings`).
//
// EMBEDDING_URL is the server's base ("http://localhost:11434", "https://host/v1") or the
// full endpoint ("https://host/v1/embeddings"); see EndpointUrl. Texts go in batches of
// `batch_size` ({"model": ..., "input": [...]}); the answer's `data[i].embedding` are
// matched to the inputs by `data[i].index` and scaled to unit length. The dimension is
// learnt from the first answer (dimensions() is 0 until then) and every later vector must
// have it. Empty or blank texts are not sent (providers refuse them): their vector is zeros
// (empty while the dimension is still unknown).
// Thread-safety: Embed may be called concurrently.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "embed/embedder.h"
#include "embed/json_client.h"

namespace loci::embed {

struct OpenAiEmbedderOptions {
  std::string url;      // EMBEDDING_URL
  std::string model;    // EMBEDDING_MODEL
  std::string api_key;  // EMBEDDING_API_KEY; empty: no Authorization header
  int batch_size = 64;  // texts per request; >= 1
  HttpPolicy http;
  Sleeper sleeper;  // empty: really sleep between attempts
};

class OpenAiEmbedder : public Embedder {
 public:
  explicit OpenAiEmbedder(OpenAiEmbedderOptions options);

  // "openai:<model>".
  const std::string& model_id() const override { return model_id_; }
  // 0 until the first answer fixed it.
  int dimensions() const override { return dimensions_.load(); }

  // Unavailable when the provider cannot be reached, keeps failing (JsonClient), or answers
  // something that is not an embeddings answer for the inputs sent: malformed JSON, no `data`
  // array, a wrong number of vectors, an index missing, repeated or out of range, a vector
  // that is empty, not numbers, or of another dimension than the others. InvalidArgument when
  // the provider refuses the input (HTTP 400, 413, 422).
  Result<std::vector<std::vector<float>>> Embed(std::span<const std::string> texts) override;

 private:
  Status EmbedBatch(std::span<const std::string> texts, std::span<std::vector<float>> out);
  Status CheckDimension(std::size_t dimension);

  OpenAiEmbedderOptions options_;
  JsonClient client_;
  std::string model_id_;
  std::atomic<int> dimensions_{0};
};

}  // namespace loci::embed
