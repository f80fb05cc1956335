// TestEmbedder: a tiny deterministic embedder for unit tests. Each lower-cased word adds one to
// the dimension its hash picks; the sum is scaled to unit length. Texts sharing words are close,
// texts sharing none are (nearly) orthogonal. It can be told to fail, and counts its calls.
#pragma once

#include <atomic>
#include <cctype>
#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "embed/embedder.h"

namespace loci::service::testing {

class TestEmbedder final : public embed::Embedder {
 public:
  explicit TestEmbedder(std::string model_id = "test:words/1", int dimensions = 256)
      : model_id_(std::move(model_id)), dimensions_(dimensions) {}

  const std::string& model_id() const override { return model_id_; }
  int dimensions() const override { return dimensions_; }

  Result<std::vector<std::vector<float>>> Embed(std::span<const std::string> texts) override {
    ++calls_;
    if (failing_) return Unavailable("test embedder: provider down");
    std::vector<std::vector<float>> vectors;
    for (const std::string& text : texts) vectors.push_back(Vector(text));
    return vectors;
  }

  std::vector<float> Vector(const std::string& text) const {
    std::vector<float> vector(dimensions_, 0.0F);
    std::istringstream words(text);
    for (std::string word; words >> word;) {
      std::string clean;
      for (char c : word) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
          clean += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
      }
      if (!clean.empty()) vector[std::hash<std::string>{}(clean) % dimensions_] += 1.0F;
    }
    float norm = 0;
    for (float x : vector) norm += x * x;
    if (norm > 0) {
      for (float& x : vector) x /= std::sqrt(norm);
    }
    return vector;
  }

  void set_failing(bool failing) { failing_ = failing; }
  int calls() const { return calls_; }

 private:
  std::string model_id_;
  int dimensions_;
  std::atomic<bool> failing_ = false;
  std::atomic<int> calls_ = 0;
};

}  // namespace loci::service::testing
