// Writes the binary word-vectors file (vectors_format.h) from words already quantized.
// Thread-safety: a pure function of its input (and the file system).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"

namespace loci::embed {

struct QuantizedVectors {
  std::uint32_t dimensions = 0;
  std::vector<std::string> words;       // in frequency order, most frequent first
  std::vector<float> scales;            // one per word
  std::vector<std::int8_t> matrix;      // words.size() * dimensions, row by row
  std::vector<float> common_component;  // dimensions floats, unit length (or all zeros)
};

// Writes `vectors` to `path` through a temporary file renamed into place, so a reader never
// sees half a file. Returns the file size. InvalidArgument when the sizes disagree, a word is
// empty or the words are too many or too long for the format; Unavailable when the file
// cannot be written.
Result<std::uint64_t> WriteVectorsFile(const QuantizedVectors& vectors, const std::string& path);

}  // namespace loci::embed
