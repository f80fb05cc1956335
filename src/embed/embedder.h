// Embedder: turns texts into vectors whose dot product measures how close their meanings are.
// Two implementations: the built-in word-vector embedder (offline, smooth-inverse-frequency
// weighting) and the OpenAI-compatible HTTP embedder (EMBEDDING_URL). Vectors from embedders
// with different model ids are not comparable: a change of model re-embeds.
// Thread-safety: implementations may be called concurrently.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "util/status.h"

namespace loci::embed {

class Embedder {
 public:
  virtual ~Embedder() = default;

  // Names the model and its version ("builtin:wink-sg-100d/1", "openai:text-embedding-3-small").
  virtual const std::string& model_id() const = 0;
  // 0 while not known yet: a provider's dimension is learnt from its first answer.
  virtual int dimensions() const = 0;

  // One unit-length vector (or all zeros, for a text with no known word) per text, in the
  // order given. Unavailable when a provider cannot be reached or keeps failing; InvalidArgument
  // when the provider refuses the input.
  virtual Result<std::vector<std::vector<float>>> Embed(std::span<const std::string> texts) = 0;
};

}  // namespace loci::embed
