#include "service/vector_codec.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace loci::service {
namespace {

constexpr char kFormatInt8 = 1;
constexpr std::size_t kHeaderBytes = 1 + sizeof(float);
constexpr float kLevels = 127;

// std::lround(v), without the library call (a measurable share of a store's CPU): in double,
// v ± 0.5 is exact for every float of the range quantized, and the cast truncates, so halves
// round away from zero as lround's do.
long RoundHalfAway(float v) {
  if (!std::isfinite(v) || std::fabs(v) > 2 * kLevels) return std::lround(v);
  return static_cast<long>(static_cast<double>(v) + (v < 0 ? -0.5 : 0.5));
}

}  // namespace

QuantizedVector Quantize(std::span<const float> vector) {
  QuantizedVector quantized;
  quantized.values.resize(vector.size());
  float largest = 0;
  for (float x : vector) largest = std::max(largest, std::fabs(x));
  if (largest == 0 || !std::isfinite(largest)) return quantized;  // all zero (or unusable)
  quantized.scale = largest / kLevels;
  for (std::size_t i = 0; i < vector.size(); ++i) {
    quantized.values[i] = static_cast<std::int8_t>(RoundHalfAway(vector[i] / quantized.scale));
  }
  return quantized;
}

std::string EncodeVector(std::span<const float> vector) {
  QuantizedVector quantized = Quantize(vector);
  std::string encoded(kHeaderBytes + quantized.values.size(), '\0');
  encoded[0] = kFormatInt8;
  auto scale = std::bit_cast<std::uint32_t>(quantized.scale);
  for (std::size_t i = 0; i < sizeof(float); ++i) {
    encoded[1 + i] = static_cast<char>((scale >> (8 * i)) & 0xff);
  }
  std::memcpy(encoded.data() + kHeaderBytes, quantized.values.data(), quantized.values.size());
  return encoded;
}

Result<QuantizedVector> DecodeVector(std::string_view encoded) {
  if (encoded.size() <= kHeaderBytes || encoded[0] != kFormatInt8) {
    return Corruption("a stored vector is not in a known format");
  }
  std::uint32_t scale = 0;
  for (std::size_t i = 0; i < sizeof(float); ++i) {
    scale |= static_cast<std::uint32_t>(static_cast<unsigned char>(encoded[1 + i])) << (8 * i);
  }
  QuantizedVector quantized;
  quantized.scale = std::bit_cast<float>(scale);
  if (!std::isfinite(quantized.scale) || quantized.scale < 0) {
    return Corruption("a stored vector has an unusable scale");
  }
  quantized.values.resize(encoded.size() - kHeaderBytes);
  std::memcpy(quantized.values.data(), encoded.data() + kHeaderBytes, quantized.values.size());
  return quantized;
}

}  // namespace loci::service
