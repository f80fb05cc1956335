// Tokenizer: finds the tokens of a text as byte ranges of the original, before any
// normalization, so that callers can cut highlights from exactly what the user wrote.
//
// What is a token:
// - a word: a letter or digit followed by letters, combining marks and digits, in any script
//   written with spaces (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, ...). An apostrophe ('
//   ’ ʼ) between a letter or digit and a letter stays inside ("don't", "Caroline's", "90's");
//   hyphens, underscores, slashes and other punctuation split ("well-known" is two words).
//   ZWJ, ZWNJ and soft hyphens between word characters stay inside too.
// - a number: digits, with '.' or ',' between digits kept ("3.14", "1,000", "1.2.3"). Digits
//   glued to letters make one word ("3pm", "mp3").
// - a URL: "http://" or "https://" (any case) or "www." followed by a host, up to white space
//   or a character URLs do not contain; trailing sentence punctuation and unbalanced closing
//   brackets are left out.
// - an e-mail address: ASCII local part, '@', a dotted domain whose last label is 2+ letters.
// - one ideograph: each CJK ideograph, kana and Hangul letter is a token on its own (these
//   scripts do not mark word boundaries with spaces; unigrams let any substring query match
//   without a dictionary), together with the combining marks that follow it. Thai, Lao,
//   Khmer and Myanmar letters are handled the same way: coarse (a dictionary segmenter would
//   be more precise) but every word stays findable.
// Everything else (white space, punctuation, symbols, emoji and the marks that decorate them)
// separates tokens, and so does
// every byte that is not part of well-formed UTF-8: bad input never crashes or stalls.
//
// Work is linear in the text: each byte is decoded a bounded number of times.
// Thread-safety: a Tokenizer is a cursor over one text, for one thread; Tokenize() is a pure
// function.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace loci::text {

enum class TokenKind : std::uint8_t { kWord, kNumber, kIdeograph, kUrl, kEmail };

struct RawToken {
  std::uint32_t begin = 0;  // byte offset in the original text
  std::uint32_t end = 0;    // one past the last byte
  TokenKind kind = TokenKind::kWord;
  bool ascii = true;           // every byte is < 0x80
  bool latin_or_greek = true;  // no letter outside the Latin and Greek scripts
};

class Tokenizer {
 public:
  // Texts longer than 4 GiB - 1 are cut to that length (offsets are 32-bit).
  explicit Tokenizer(std::string_view text);

  // Stores the next token in `*token` and returns true; returns false at the end of the text.
  bool Next(RawToken* token);

 private:
  void ScanWord(RawToken* token);
  void ScanIdeograph(RawToken* token);
  bool TryUrl(std::size_t start, std::size_t host, RawToken* token);
  bool TryEmail(std::size_t start, RawToken* token);

  std::string_view text_;
  std::size_t pos_ = 0;
};

// All tokens of `text`, in order.
std::vector<RawToken> Tokenize(std::string_view text);

}  // namespace loci::text
