// How a message vector is stored: quantized to signed bytes with one scale per vector.
//
// Layout: a format byte (1), the scale as a little-endian IEEE float, then one int8 per
// dimension in [-127, 127], with x ≈ q * scale. Symmetric, per-vector quantization keeps the
// dot product of two unit vectors within about 1e-2 of the float one (vector_scan_test
// measures it) at a quarter of the float size, and lets the scan multiply bytes.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace loci::service {

struct QuantizedVector {
  float scale = 0;  // 0 for the zero vector
  std::vector<std::int8_t> values;
};

QuantizedVector Quantize(std::span<const float> vector);

// The stored form of `vector`.
std::string EncodeVector(std::span<const float> vector);

// Corruption when `encoded` is not a vector in the layout above (empty, unknown format,
// a scale that is not finite).
Result<QuantizedVector> DecodeVector(std::string_view encoded);

}  // namespace loci::service
