#include "text/token_counter.h"

#include <algorithm>
#include <cmath>

#include "text/unicode.h"

// How the estimate works
// ======================
// Tokenizers of the cl100k/o200k family work in two steps: a regular expression cuts the text
// into pre-tokens (a letter run with the one space or punctuation mark before it; digit runs
// of up to 3; a punctuation run with its trailing newlines; white-space runs; the contraction
// suffixes 's 't 're 've 'm 'll 'd), then byte-pair merges split each pre-token into
// vocabulary entries. Merges never cross pre-tokens, so the count is the sum over pre-tokens.
// We follow the first step exactly and model the second by length and script:
//
// - Latin words (the leading space is free): 1 token up to 4 letters, then +0.15 per letter
//   up to 10 and +0.25 per letter beyond (common long words are one token, rare ones split
//   into 3-4 letter pieces; the slopes are the average). +0.2 per capital after the first
//   ("iPhone", "HTTP": capitals split words), +0.3 per accented letter.
// - Cyrillic words: 1 + 0.33 per letter beyond 3. Greek, Armenian, Georgian, Hebrew, Arabic:
//   1 + 0.45 per letter beyond 2. Other scripts (Indic, Ethiopic, ...): 0.6 per code point,
//   marks included.
// - CJK ideographs, Hangul syllables, Thai, Lao, Khmer and Myanmar letters: 1 each; kana:
//   0.8 each; combining marks after them 0.3.
// - Digits: one token per group of up to 3 ("1,000,000" is 5: 1 , 000 , 000); the space
//   before a number is a token of its own.
// - Punctuation: a run of ASCII marks costs 1 + 0.4 per extra mark ("..." and "?!" are single
//   tokens, "----" is not much more); other punctuation and symbols 1 each; emoji and other
//   characters outside the BMP 2 each (byte fallback); variation selectors and joiners 1.
//   An apostrophe before a 1-2 letter suffix ("'s", "'t", "’ll") merges with it.
// - White space: a single space before a word or punctuation is free; a run of 2+ spaces or
//   tabs is 1; a run containing line breaks is 1; a space before a number or at the very end
//   is 1.
// - A byte that is not valid UTF-8 is 1.
// The sum is rounded up; any non-empty text counts at least 1.
//
// How close it is
// ===============
// The reference point is the published rule of thumb for these tokenizers: English prose runs
// about 4 characters, or 0.75 words, per token (cl100k and o200k do slightly better on clean
// prose, about 4.2-4.5). On the seven English prose and chat samples in
// tests/unit/text/token_counter_test.cpp this model gives 4.1-4.6 characters per token, 4.3
// overall, and it matches the counts that can be checked by hand ("The quick brown fox jumps
// over the lazy dog." is 10 in cl100k, 11 here; "1,000,000" is 5 in both). No real vocabulary
// was run against it, so the error is an informed estimate: about ±10-15% per English
// message, with ceil() adding up to 1 token (short messages are overcounted rather than
// undercounted). Code, tables and unusual vocabulary are looser (±25%). Other scripts are
// where cl100k and o200k differ most (o200k needs 30-50% fewer tokens for Cyrillic, Indic and
// CJK text); the rates above sit between the two, so expect ±30-40% there. Emoji sequences
// are rough (±50%).
// The estimate is never a hard limit: callers should keep a safety margin on the budget.

namespace loci::text {
namespace {

enum class Script { kLatin, kCyrillic, kAlphabetic, kOther };

Script ScriptOf(char32_t cp) {
  if (IsLatinLetter(cp)) return Script::kLatin;
  if ((cp >= 0x0400 && cp <= 0x052F) || (cp >= 0x1C80 && cp <= 0x1C8F) ||
      (cp >= 0x2DE0 && cp <= 0x2DFF) || (cp >= 0xA640 && cp <= 0xA69F)) {
    return Script::kCyrillic;
  }
  if ((cp >= 0x0370 && cp <= 0x03FF) || (cp >= 0x1F00 && cp <= 0x1FFF) ||  // Greek
      (cp >= 0x0530 && cp <= 0x06FF) ||  // Armenian, Hebrew, Arabic
      (cp >= 0x0750 && cp <= 0x077F) || (cp >= 0x08A0 && cp <= 0x08FF) ||  // Arabic
      (cp >= 0x10A0 && cp <= 0x10FF) ||                                    // Georgian
      (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF)) {  // presentation forms
    return Script::kAlphabetic;
  }
  return Script::kOther;
}

bool IsKana(char32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
         (cp >= 0xFF66 && cp <= 0xFF9F);
}

bool IsNewline(char32_t cp) {
  return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 ||
         cp == 0x2029;
}

class Counter {
 public:
  explicit Counter(std::string_view text) : text_(text) {}

  double Run() {
    while (pos_ < text_.size()) {
      const Decoded d = DecodeAt(text_, pos_);
      if (d.length == 0) {
        total_ += 1;
        ++pos_;
        continue;
      }
      switch (ClassOf(d.cp)) {
        case CharClass::kSpace:
          WhiteSpace();
          break;
        case CharClass::kLetter:
        case CharClass::kMark:
        case CharClass::kJoiner:
          Letters();
          break;
        case CharClass::kNumber:
          Digits();
          break;
        case CharClass::kIdeograph:
          total_ += IsKana(d.cp) ? 0.8 : 1.0;
          pos_ += static_cast<std::size_t>(d.length);
          break;
        default:
          Punctuation();
          break;
      }
    }
    return total_;
  }

 private:
  // Decodes at `p`; a bad byte or the end reads as kOther with length 1 (or 0 at the end).
  CharClass ClassAt(std::size_t p, Decoded* d) const {
    if (p >= text_.size()) {
      *d = {0, 0};
      return CharClass::kOther;
    }
    *d = DecodeAt(text_, p);
    if (d->length == 0) return CharClass::kOther;
    return ClassOf(d->cp);
  }

  void WhiteSpace() {
    bool newline = false;
    int trailing = 0;  // spaces after the last line break
    Decoded d;
    while (ClassAt(pos_, &d) == CharClass::kSpace) {
      if (IsNewline(d.cp)) {
        newline = true;
        trailing = 0;
      } else {
        ++trailing;
      }
      pos_ += static_cast<std::size_t>(d.length);
    }
    if (newline) total_ += 1;
    if (trailing >= 2) total_ += 1;
    if (trailing >= 1) {
      const bool at_end = pos_ >= text_.size();
      if (at_end && trailing == 1) total_ += 1;
      if (!at_end && ClassAt(pos_, &d) == CharClass::kNumber) total_ += 1;
    }
  }

  void Letters() {
    int latin = 0, capitals = 0, accents = 0, cyrillic = 0, alphabetic = 0, other = 0;
    Script last = Script::kLatin;
    Decoded d;
    for (CharClass cls = ClassAt(pos_, &d);
         cls == CharClass::kLetter || cls == CharClass::kMark || cls == CharClass::kJoiner;
         cls = ClassAt(pos_, &d)) {
      pos_ += static_cast<std::size_t>(d.length);
      if (cls != CharClass::kLetter) {  // a mark or joiner belongs to the letter before it
        if (last == Script::kOther) {
          ++other;
        } else {
          ++accents;
        }
        continue;
      }
      last = ScriptOf(d.cp);
      switch (last) {
        case Script::kLatin:
          ++latin;
          if (d.cp >= 0x80) ++accents;
          if (d.cp < 0x80 ? (d.cp >= 'A' && d.cp <= 'Z') : !IsLowerCase(d.cp)) ++capitals;
          break;
        case Script::kCyrillic:
          ++cyrillic;
          break;
        case Script::kAlphabetic:
          ++alphabetic;
          break;
        case Script::kOther:
          ++other;
          break;
      }
    }
    if (latin > 0) {
      total_ += 1 + 0.15 * std::max(0, latin - 4) + 0.1 * std::max(0, latin - 10) +
                0.2 * std::max(0, capitals - 1);
    }
    if (cyrillic > 0) total_ += 1 + 0.33 * std::max(0, cyrillic - 3);
    if (alphabetic > 0) total_ += 1 + 0.45 * std::max(0, alphabetic - 2);
    if (other > 0) total_ += std::max(1.0, 0.6 * other);
    total_ += 0.3 * accents;
  }

  void Digits() {
    int digits = 0;
    Decoded d;
    while (ClassAt(pos_, &d) == CharClass::kNumber) {
      ++digits;
      pos_ += static_cast<std::size_t>(d.length);
    }
    const int groups = (digits + 2) / 3;  // whole groups of up to 3 digits
    total_ += static_cast<double>(groups);
  }

  // A run of punctuation, symbols, and the marks and joiners that decorate them.
  void Punctuation() {
    const std::size_t start = pos_;
    int ascii = 0;
    double other = 0;
    Decoded d;
    for (CharClass cls = ClassAt(pos_, &d); pos_ < text_.size(); cls = ClassAt(pos_, &d)) {
      if (d.length == 0 || cls == CharClass::kSpace || cls == CharClass::kLetter ||
          cls == CharClass::kNumber || cls == CharClass::kIdeograph) {
        break;
      }
      if ((cls == CharClass::kMark || cls == CharClass::kJoiner) && pos_ == start) break;
      if (d.cp < 0x80) {
        ++ascii;
      } else {
        other += d.cp >= 0x10000 ? 2.0 : 1.0;
      }
      pos_ += static_cast<std::size_t>(d.length);
    }
    if (pos_ == start) {  // a lone mark at the start of the text or after a bad byte
      total_ += 1;
      pos_ += static_cast<std::size_t>(std::max(1, d.length));
      return;
    }
    if (ascii + other == 1 && IsApostrophe(DecodeAt(text_, start).cp) && ShortSuffixFollows()) {
      return;  // "'s", "'t", "'ll": one token with the letters after it, counted there
    }
    if (ascii > 0) total_ += 1 + 0.4 * (ascii - 1);
    total_ += other;
  }

  // True when 1-2 ASCII letters and then a non-letter follow the current position.
  bool ShortSuffixFollows() const {
    std::size_t p = pos_;
    while (p < text_.size() && p - pos_ <= 2 &&
           IsAsciiAlpha(static_cast<unsigned char>(text_[p]))) {
      ++p;
    }
    const std::size_t letters = p - pos_;
    if (letters == 0 || letters > 2) return false;
    Decoded d;
    return ClassAt(p, &d) != CharClass::kLetter;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  double total_ = 0;
};

}  // namespace

int CountTokens(std::string_view text) {
  if (text.empty()) return 0;
  const double total = Counter(text).Run();
  const double rounded = std::ceil(total - 1e-9);
  if (rounded >= 2e9) return 2000000000;
  return std::max(1, static_cast<int>(rounded));
}

}  // namespace loci::text
