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

}  // namespace

QuantizedVector Quantize(std::span<const float> vector) {
  QuantizedVector quantized;
  quantized.values.resize(vector.size());
  float largest = 0;
  for (float x : vector) largest = std::max(largest, std::fabs(x));
  if (largest == 0 || !std::isfinite(largest)) return quantized;  // all zero (or unusable)
  quantized.scale = largest / kLevels;
  for (std::size_t i = 0; i < vector.size(); ++i) {
    quantized.values[i] = static_cast<std::int8_t>(std::lround(vector[i] / quantized.scale));
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
