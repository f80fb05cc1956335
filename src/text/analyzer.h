// Analyzer: turns text into the terms the full-text index stores and queries match.
//
// Pipeline: tokenize the original text (words, numbers, contractions, URLs, e-mail addresses,
// non-Latin scripts), normalize each token (Unicode NFKC + case folding), drop stop words,
// stem (Snowball). Tokens keep their byte offsets in the original text so highlights can be
// cut from it. Thread-safety: an Analyzer is immutable after construction and may be shared
// by any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loci::text {

struct Token {
  std::string term;          // normalized and stemmed
  std::uint32_t begin = 0;   // byte offset of the token in the original text
  std::uint32_t end = 0;     // one past its last byte
};

class Analyzer {
 public:
  Analyzer();

  // The index terms of `text`, in order of appearance, with offsets. Stop words are dropped.
  // Invalid UTF-8 is tolerated (bad bytes separate tokens), never a crash.
  std::vector<Token> Analyze(std::string_view text) const;

  // Just the terms of Analyze(text).
  std::vector<std::string> Terms(std::string_view text) const;
};

}  // namespace loci::text
