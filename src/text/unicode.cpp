#include "text/unicode.h"

#include <utf8proc.h>

#include <array>

namespace loci::text {
namespace {

// Blocks of the scripts written without spaces between words, whose letters the tokenizer
// emits one by one (Korean has spaces, but its words carry particles, so it gets the same). Only
// letters and numbers in these blocks count (their punctuation and symbols keep their own class).
bool InUnigramBlock(char32_t cp) {
  if (cp < 0x0E00) return false;
  return (cp <= 0x0EFF) ||                    // Thai, Lao
         (cp >= 0x1000 && cp <= 0x109F) ||    // Myanmar
         (cp >= 0x1100 && cp <= 0x11FF) ||    // Hangul Jamo
         (cp >= 0x1780 && cp <= 0x17FF) ||    // Khmer
         (cp >= 0x3005 && cp <= 0x3007) ||    // 々 〆 〇
         (cp >= 0x3021 && cp <= 0x3029) ||    // Hangzhou numerals
         (cp >= 0x3031 && cp <= 0x3035) ||    // kana repeat marks
         (cp >= 0x303B && cp <= 0x303C) ||    // 〻 〼
         (cp >= 0x3040 && cp <= 0x31FF) ||    // kana, Bopomofo, Hangul compatibility jamo
         (cp >= 0x3400 && cp <= 0x4DBF) ||    // CJK extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK unified ideographs
         (cp >= 0xA960 && cp <= 0xA97F) ||    // Hangul Jamo extended A
         (cp >= 0xAC00 && cp <= 0xD7FF) ||    // Hangul syllables, Jamo extended B
         (cp >= 0xF900 && cp <= 0xFAFF) ||    // CJK compatibility ideographs
         (cp >= 0xFF66 && cp <= 0xFFDC) ||    // half-width katakana and Hangul
         (cp >= 0x1AFF0 && cp <= 0x1B16F) ||  // kana supplement and extensions
         (cp >= 0x20000 && cp <= 0x3FFFF);    // CJK extensions B and later
}

}  // namespace

namespace internal {

Decoded DecodeMultiByte(std::string_view text, std::size_t pos) {
  utf8proc_int32_t cp = 0;
  const utf8proc_ssize_t n =
      utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                       static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
  if (n <= 0 || cp < 0) return {0, 0};
  return {static_cast<char32_t>(cp), static_cast<int>(n)};
}

}  // namespace internal

CharClass internal::ClassOfNonAscii(char32_t cp) {
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  switch (category) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return InUnigramBlock(cp) ? CharClass::kIdeograph : CharClass::kLetter;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return CharClass::kMark;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return InUnigramBlock(cp) ? CharClass::kIdeograph : CharClass::kNumber;
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
      return CharClass::kPunct;
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
      return CharClass::kSymbol;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
      return CharClass::kSpace;
    case UTF8PROC_CATEGORY_CF:
      if (cp == 0x00AD || cp == 0x200C || cp == 0x200D || cp == 0x2060) {
        return CharClass::kJoiner;
      }
      return CharClass::kOther;
    default:
      return CharClass::kOther;
  }
}

bool IsLatinOrGreek(char32_t cp) {
  return cp < 0x0400 ||                     // ASCII, Latin-1, Latin extended, IPA, Greek
         (cp >= 0x1D00 && cp <= 0x1DBF) ||  // phonetic extensions
         (cp >= 0x1E00 && cp <= 0x1FFF) ||  // Latin extended additional, Greek extended
         (cp >= 0x2C60 && cp <= 0x2C7F) ||  // Latin extended C
         (cp >= 0xA720 && cp <= 0xA7FF) ||  // Latin extended D
         (cp >= 0xAB30 && cp <= 0xAB6F) ||  // Latin extended E
         (cp >= 0xFB00 && cp <= 0xFB06) ||  // Latin ligatures
         (cp >= 0xFF21 && cp <= 0xFF5A);    // full-width Latin
}

bool IsLowerCase(char32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_LL;
}

bool IsLatinLetter(char32_t cp) {
  if (cp < 0x80) return IsAsciiAlpha(static_cast<unsigned char>(cp));
  if (cp == 0xD7 || cp == 0xF7) return false;  // × ÷
  return (cp >= 0x00C0 && cp <= 0x024F) || (cp >= 0x1E00 && cp <= 0x1EFF) ||
         (cp >= 0x2C60 && cp <= 0x2C7F) || (cp >= 0xA720 && cp <= 0xA7FF) ||
         (cp >= 0xAB30 && cp <= 0xAB6F);
}

}  // namespace loci::text
