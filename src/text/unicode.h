// Unicode helpers shared by the text layer: decoding one code point at a time (invalid bytes
// reported, never trusted) and the character classes the tokenizer, sentence splitter and
// token counter reason with. ASCII takes a table-driven fast path; everything else asks
// utf8proc. Thread-safety: pure functions over immutable tables.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace loci::text {

// What a code point is, as far as splitting text is concerned.
enum class CharClass : std::uint8_t {
  kSpace,      // white space, line and paragraph separators, controls
  kLetter,     // L* outside the unigram scripts
  kMark,       // M* (combining marks)
  kNumber,     // N* (decimal digits, letter numbers, other numbers)
  kIdeograph,  // a letter of a script written without spaces: CJK ideographs, kana, Hangul
  kJoiner,     // format characters that live inside words: ZWNJ, ZWJ, soft hyphen, WJ
  kPunct,      // P*
  kSymbol,     // S* (emoji included) and other format characters
  kOther,      // unassigned, private use
};

// One decoded code point: `cp` is valid only when `length` > 0; `length` == 0 means the byte
// at the position does not start a well-formed UTF-8 sequence (it counts as one bad byte).
struct Decoded {
  char32_t cp = 0;
  int length = 0;
};

// Decodes the code point at `pos`. REQUIRES: pos < text.size().
inline Decoded DecodeAt(std::string_view text, std::size_t pos);

// The class of a (valid) code point.
inline CharClass ClassOf(char32_t cp);

// True for a letter of the Latin or Greek script (ASCII included, full-width Latin too).
// Used to decide whether diacritics may be stripped from a token.
bool IsLatinOrGreek(char32_t cp);

// True for a code point of the Latin script (letters only), after normalization: decides
// whether a term is handed to the English stemmer.
bool IsLatinLetter(char32_t cp);

// True for a lower-case letter (general category Ll).
bool IsLowerCase(char32_t cp);

// True for the apostrophes that may sit inside a word: ' (U+0027), ’ (U+2019), ʼ (U+02BC),
// ＇ (U+FF07).
inline bool IsApostrophe(char32_t cp) {
  return cp == U'\'' || cp == 0x2019 || cp == 0x02BC || cp == 0xFF07;
}

// ASCII helpers that do not depend on the locale.
inline bool IsAsciiAlpha(unsigned char c) { return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }
inline bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlnum(unsigned char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }
inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

namespace internal {
// Decodes a multi-byte sequence starting at `pos` (the first byte is >= 0x80).
Decoded DecodeMultiByte(std::string_view text, std::size_t pos);

// ClassOf beyond ASCII (utf8proc's categories).
CharClass ClassOfNonAscii(char32_t cp);

constexpr std::array<CharClass, 128> BuildAsciiTable() {
  std::array<CharClass, 128> table{};
  for (int c = 0; c < 128; ++c) {
    CharClass cls = CharClass::kPunct;
    if (c < 0x20 || c == 0x7F || c == ' ') {
      cls = CharClass::kSpace;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      cls = CharClass::kLetter;
    } else if (c >= '0' && c <= '9') {
      cls = CharClass::kNumber;
    } else if (c == '$' || c == '+' || c == '<' || c == '=' || c == '>' || c == '^' || c == '`' ||
               c == '|' || c == '~') {
      cls = CharClass::kSymbol;
    }
    table[c] = cls;
  }
  return table;
}

inline constexpr std::array<CharClass, 128> kAsciiClass = BuildAsciiTable();
}  // namespace internal

// Inline: the tokenizer and the token counter ask it for every character.
inline CharClass ClassOf(char32_t cp) {
  return cp < 0x80 ? internal::kAsciiClass[cp] : internal::ClassOfNonAscii(cp);
}

inline Decoded DecodeAt(std::string_view text, std::size_t pos) {
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) return {c, 1};
  return internal::DecodeMultiByte(text, pos);
}

}  // namespace loci::text
