// Analyzer: turns text into the terms the full-text index stores and queries match.
//
// Pipeline: tokenize the original text (words, numbers, contractions, URLs, e-mail addresses,
// non-Latin scripts; see tokenizer.h), normalize each token (Unicode NFKC + case folding; see
// normalizer.h), drop stop words (stop_words.h), stem (Snowball English). Tokens keep their
// byte offsets in the original text so highlights can be cut from it. Choices, in short:
// - Possessive "'s" is dropped ("Caroline's" → "caroline"); other contractions keep a straight
//   apostrophe ("don't", "don’t" → "don't"), so they never collide with words ("we'll" is
//   not "well"). Contractions of function words are stop words.
// - Diacritics are stripped from Latin and Greek words ("café" → "cafe", "ÉCOLE" → "ecole");
//   other scripts keep their marks.
// - CJK ideographs, kana, Hangul (and Thai, Lao, Khmer, Myanmar) are indexed one character
//   per term (unigrams).
// - Only words of Latin letters are stemmed; numbers ("1,000" → "1000", "3.14"), URLs and
//   e-mail addresses (lower-cased ASCII), and other scripts are indexed as normalized.
// - Tokens longer than 128 bytes (URLs and addresses: 1024) are not indexed.
// Thread-safety: an Analyzer is immutable after construction and may be shared by any number
// of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loci::text {

struct Token {
  std::string term;         // normalized and stemmed
  std::uint32_t begin = 0;  // byte offset of the token in the original text
  std::uint32_t end = 0;    // one past its last byte
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
