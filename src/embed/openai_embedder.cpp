#include "embed/openai_embedder.h"

#include <algorithm>
#include <cmath>

namespace loci::embed {
namespace {

bool Blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

Status Malformed(const std::string& why) {
  return Unavailable("embedding provider: malformed answer: " + why);
}

// Reads one `embedding` array into a unit-length vector.
Result<std::vector<float>> ReadVector(const nlohmann::json& embedding) {
  if (!embedding.is_array() || embedding.empty()) {
    return Malformed("an embedding is not a non-empty array of numbers");
  }
  std::vector<float> vector;
  vector.reserve(embedding.size());
  double norm = 0;
  for (const nlohmann::json& component : embedding) {
    if (!component.is_number()) return Malformed("an embedding holds something not a number");
    const double value = component.get<double>();
    if (!std::isfinite(value)) return Malformed("an embedding holds a non-finite number");
    vector.push_back(static_cast<float>(value));
    norm += value * value;
  }
  norm = std::sqrt(norm);
  if (norm > 0) {
    for (float& x : vector) x = static_cast<float>(x / norm);
  }
  return vector;
}

}  // namespace

OpenAiEmbedder::OpenAiEmbedder(OpenAiEmbedderOptions options)
    : options_(std::move(options)),
      client_("embedding provider", EndpointUrl(options_.url, "/v1/embeddings"), options_.api_key,
              options_.http, options_.sleeper),
      model_id_("openai:" + options_.model) {
  options_.batch_size = std::max(1, options_.batch_size);
}

Result<std::vector<std::vector<float>>> OpenAiEmbedder::Embed(std::span<const std::string> texts) {
  std::vector<std::vector<float>> out(texts.size());
  std::vector<std::string> batch;
  std::vector<std::size_t> positions;  // of the batch's texts in `texts`
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    std::vector<std::vector<float>> vectors(batch.size());
    RETURN_IF_ERROR(EmbedBatch(batch, vectors));
    for (std::size_t i = 0; i < batch.size(); ++i) out[positions[i]] = std::move(vectors[i]);
    batch.clear();
    positions.clear();
    return Status::Ok();
  };
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (Blank(texts[i])) continue;
    batch.push_back(texts[i]);
    positions.push_back(i);
    if (static_cast<int>(batch.size()) == options_.batch_size) RETURN_IF_ERROR(flush());
  }
  RETURN_IF_ERROR(flush());
  // Blank texts get zeros of the dimension, once known.
  const auto dimension = static_cast<std::size_t>(dimensions());
  for (std::vector<float>& vector : out) {
    if (vector.empty()) vector.assign(dimension, 0.0f);
  }
  return out;
}

Status OpenAiEmbedder::EmbedBatch(std::span<const std::string> texts,
                                  std::span<std::vector<float>> out) {
  nlohmann::json request = {{"model", options_.model},
                            {"input", std::vector<std::string>(texts.begin(), texts.end())}};
  ASSIGN_OR_RETURN(nlohmann::json answer, client_.Post(request));
  if (!answer.is_object() || !answer.contains("data") || !answer["data"].is_array()) {
    return Malformed("no \"data\" array");
  }
  const nlohmann::json& data = answer["data"];
  if (data.size() != texts.size()) {
    return Malformed(std::to_string(data.size()) + " vectors for " + std::to_string(texts.size()) +
                     " inputs");
  }
  for (const nlohmann::json& item : data) {
    if (!item.is_object() || !item.contains("index") || !item["index"].is_number_unsigned()) {
      return Malformed("an item has no index");
    }
    const auto index = item["index"].get<std::uint64_t>();
    if (index >= texts.size()) return Malformed("an index is out of range");
    if (!out[index].empty()) return Malformed("an index is repeated");
    ASSIGN_OR_RETURN(out[index], ReadVector(item.value("embedding", nlohmann::json())));
    RETURN_IF_ERROR(CheckDimension(out[index].size()));
  }
  return Status::Ok();
}

Status OpenAiEmbedder::CheckDimension(std::size_t dimension) {
  int expected = 0;
  // The first answer fixes the dimension; racing first answers must agree.
  if (dimensions_.compare_exchange_strong(expected, static_cast<int>(dimension))) {
    return Status::Ok();
  }
  if (static_cast<std::size_t>(expected) != dimension) {
    return Malformed("a vector of " + std::to_string(dimension) +
                     " dimensions where the model gave " + std::to_string(expected));
  }
  return Status::Ok();
}

}  // namespace loci::embed
