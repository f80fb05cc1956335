// Cards, phone numbers and national ids: the PII written mostly in digits.

#include <array>

#include "text/pii_internal.h"
#include "text/unicode.h"

namespace loci::text::pii_internal {
namespace {

constexpr int kMaxGroups = 8;
// Longer digit runs are neither cards nor phones; the cap bounds the look-ahead.
constexpr std::size_t kMaxGroupDigits = 19;

// One group of digits of a card or phone number, such as "415" or "(0)".
struct Group {
  std::size_t begin = 0;  // the first digit
  std::size_t end = 0;    // one past the last digit, or past ')'
  std::size_t digits = 0;
  char sep = 0;  // the separator before the next group; 0 when it follows directly or none does
  bool paren = false;
};

struct Groups {
  std::array<Group, kMaxGroups> at{};
  int count = 0;
};

bool IsGroupSeparator(char c) { return c == ' ' || c == '-' || c == '.'; }

// Reads up to kMaxGroups digit groups from `pos`, each optionally in parentheses, joined by
// one separator (or nothing after ')', as in "(0)20"). Validation happens afterwards, on the
// first k groups for each k, so that a number followed by another ("at 415 555 0132 2024")
// is still found.
Groups ReadGroups(std::string_view text, std::size_t pos) {
  const std::size_t n = text.size();
  Groups groups;
  std::size_t i = pos;
  while (groups.count < kMaxGroups) {
    Group g;
    g.paren = i < n && text[i] == '(';
    g.begin = g.paren ? i + 1 : i;
    std::size_t j = g.begin;
    while (j < n && IsAsciiDigit(text[j]) && j - g.begin < kMaxGroupDigits) ++j;
    g.digits = j - g.begin;
    if (g.digits == 0) break;
    if (g.paren) {
      if (j >= n || text[j] != ')') break;
      ++j;
    }
    g.end = j;
    groups.at[groups.count++] = g;
    if (g.paren && j < n && IsAsciiDigit(text[j])) {
      i = j;
      continue;
    }
    if (j + 1 >= n || !IsGroupSeparator(text[j])) break;
    if (!IsAsciiDigit(text[j + 1]) && text[j + 1] != '(') break;
    groups.at[groups.count - 1].sep = text[j];
    i = j + 1;
  }
  return groups;
}

char First(std::string_view text, const Group& g) { return text[g.begin]; }

int ValueOf(std::string_view text, const Group& g) {
  int value = 0;
  for (std::size_t i = g.begin; i < g.begin + g.digits; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

std::size_t TotalDigits(const Groups& g, int k) {
  std::size_t total = 0;
  for (int i = 0; i < k; ++i) total += g.at[i].digits;
  return total;
}

bool AnyParen(const Groups& g, int first, int k) {
  for (int i = first; i < k; ++i) {
    if (g.at[i].paren) return true;
  }
  return false;
}

// True when the first k groups are joined by one kind of separator.
bool SameSeparators(const Groups& g, int k) {
  for (int i = 1; i + 1 < k; ++i) {
    if (g.at[i].sep != g.at[0].sep) return false;
  }
  return true;
}

bool PassesLuhn(std::string_view text, std::size_t begin, std::size_t end) {
  int sum = 0;
  bool twice = false;
  for (std::size_t i = end; i-- > begin;) {
    if (!IsAsciiDigit(text[i])) continue;
    int d = text[i] - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

// Contiguous, or fours with a shorter last group, or 4-6-5 (Amex) and 4-6-4 (Diners).
bool IsCardGrouping(const Groups& g, int k) {
  if (k == 1) return true;
  if ((g.at[0].sep != ' ' && g.at[0].sep != '-') || !SameSeparators(g, k)) return false;
  if (k == 3 && g.at[0].digits == 4 && g.at[1].digits == 6) {
    return g.at[2].digits == 4 || g.at[2].digits == 5;
  }
  for (int i = 0; i + 1 < k; ++i) {
    if (g.at[i].digits != 4) return false;
  }
  return g.at[k - 1].digits <= 4;
}

bool IsCard(std::string_view text, const Groups& g, int k) {
  const std::size_t total = TotalDigits(g, k);
  // Issuer numbers start with 2-6 (Mastercard, Amex, Diners, JCB, Visa, Discover,
  // UnionPay), which also rules out Luhn-valid fillers such as "0000 0000 0000 0000".
  const char first = First(text, g.at[0]);
  return total >= 13 && total <= 19 && first >= '2' && first <= '6' && !AnyParen(g, 0, k) &&
         IsCardGrouping(g, k) && PassesLuhn(text, g.at[0].begin, g.at[k - 1].end);
}

// ddd-dd-dddd outside the ranges the Social Security Administration never issues.
bool IsSsn(std::string_view text, const Groups& g, int k) {
  if (k != 3 || g.at[0].sep != '-' || g.at[1].sep != '-' || AnyParen(g, 0, k)) return false;
  if (g.at[0].digits != 3 || g.at[1].digits != 2 || g.at[2].digits != 4) return false;
  const int area = ValueOf(text, g.at[0]);
  return area != 0 && area != 666 && area < 900 && ValueOf(text, g.at[1]) != 0 &&
         ValueOf(text, g.at[2]) != 0;
}

// North American: an optional 1, then area code and exchange (3 digits each, never starting with
// 0 or 1), then 4 digits.
bool IsNorthAmerican(std::string_view text, const Groups& g, int k) {
  int i = 0;
  if (k == 4 && g.at[0].digits == 1 && First(text, g.at[0]) == '1' && !g.at[0].paren) i = 1;
  if (k - i != 3 || AnyParen(g, i + 1, k)) return false;
  const Group& area = g.at[i];
  const Group& exchange = g.at[i + 1];
  return area.digits == 3 && exchange.digits == 3 && g.at[i + 2].digits == 4 &&
         First(text, area) >= '2' && First(text, exchange) >= '2';
}

// A national number dialled with a trunk prefix 0: "030 1234567", "(020) 7946 0958".
bool IsTrunkNational(std::string_view text, const Groups& g, int k) {
  // "00" starts an international call, and "0000 ..." is no number at all.
  if (k < 2 || g.at[0].digits < 2 || g.at[0].digits > 5 || First(text, g.at[0]) != '0' ||
      text[g.at[0].begin + 1] == '0' || AnyParen(g, 1, k)) {
    return false;
  }
  for (int i = 0; i < k; ++i) {
    if (g.at[i].digits < 2) return false;
  }
  // "01 05 2024 ..." is a date, whatever follows it.
  if (k >= 3 && g.at[0].digits == 2 && g.at[1].digits == 2 && g.at[2].digits == 4) return false;
  const std::size_t total = TotalDigits(g, k);
  return total >= 9 && total <= 13 && SameSeparators(g, k);
}

// After '+': a country code of 1-3 digits, then the national number, or all digits at once.
bool IsInternational(std::string_view text, const Groups& g, int k) {
  const std::size_t total = TotalDigits(g, k);
  if (total < 8 || total > 15 || g.at[0].paren) return false;
  if (k == 1) return true;
  if (g.at[0].digits > 3) return false;
  // The area code (after an optional "(0)" trunk prefix) may be a single digit, as in
  // "+33 1 23 45 67 89"; later groups have two or more.
  const bool trunk = g.at[1].paren && g.at[1].digits == 1 && First(text, g.at[1]) == '0';
  const int area = trunk ? 2 : 1;
  if (AnyParen(g, area + 1, k) || (trunk && k < 3)) return false;
  for (int i = area + 1; i < k; ++i) {
    if (g.at[i].digits < 2) return false;
  }
  return true;
}

bool IsNationalPhone(std::string_view text, const Groups& g, int k) {
  return IsNorthAmerican(text, g, k) || IsTrunkNational(text, g, k);
}

bool EndsNumber(std::string_view text, std::size_t end) {
  return !IsGlue(text, end) && !NumberContinuesAt(text, end);
}

// The largest k for which the first k groups end cleanly and pass `valid`, or 0.
template <typename Valid>
int LongestPrefix(std::string_view text, const Groups& g, Valid valid) {
  for (int k = g.count; k > 0; --k) {
    if (EndsNumber(text, g.at[k - 1].end) && valid(text, g, k)) return k;
  }
  return 0;
}

constexpr std::string_view kSpanishCheckLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

// `digits` digits at `pos`, an optional '-', and the letter that checks `prefix` followed by
// those digits (Spanish DNI and NIE).
std::size_t MatchCheckLetter(std::string_view text, std::size_t pos, int digits, long prefix) {
  const std::size_t n = text.size();
  long value = prefix;
  std::size_t i = pos;
  for (int d = 0; d < digits; ++d, ++i) {
    if (i >= n || !IsAsciiDigit(text[i])) return 0;
    value = value * 10 + (text[i] - '0');
  }
  if (i < n && text[i] == '-') ++i;
  if (i >= n || AsciiLower(text[i]) != AsciiLower(kSpanishCheckLetters[value % 23])) return 0;
  ++i;
  return IsGlue(text, i) ? 0 : i;
}

// HMRC never allocates these first letters, second letters and prefixes.
bool IsNinoPrefix(char first, char second) {
  const char a = AsciiLower(first);
  const char b = AsciiLower(second);
  if (!IsAsciiAlpha(a) || !IsAsciiAlpha(b)) return false;
  if (std::string_view("dfiquv").find(a) != std::string_view::npos) return false;
  if (std::string_view("dfioquv").find(b) != std::string_view::npos) return false;
  for (const std::string_view unused : {"bg", "gb", "kn", "nk", "nt", "tn", "zz"}) {
    if (a == unused[0] && b == unused[1]) return false;
  }
  return true;
}

// "AB123456C" or "AB 12 34 56 C", any case.
std::size_t MatchNino(std::string_view text, std::size_t pos) {
  const std::size_t n = text.size();
  if (pos + 9 > n || !IsNinoPrefix(text[pos], text[pos + 1])) return 0;
  std::size_t i = pos + 2;
  const bool spaced = text[i] == ' ';
  const auto take_space = [&] { return !spaced || (i < n && text[i++] == ' '); };
  for (int pair = 0; pair < 3; ++pair) {
    if (!take_space()) return 0;
    for (int d = 0; d < 2; ++d, ++i) {
      if (i >= n || !IsAsciiDigit(text[i])) return 0;
    }
  }
  if (!take_space() || i >= n) return 0;
  const char suffix = AsciiLower(text[i]);
  if (suffix < 'a' || suffix > 'd') return 0;
  ++i;
  return IsGlue(text, i) ? 0 : i;
}

}  // namespace

Found MatchNumber(std::string_view text, std::size_t pos) {
  if (NumberContinuesBefore(text, pos)) return {};
  if (IsAsciiDigit(text[pos])) {
    if (const std::size_t end = MatchCheckLetter(text, pos, 8, 0)) {
      return {PiiKind::kNationalId, end};
    }
  }
  // A group after a space that follows digits was read with the groups before it, from
  // their start: "01 05 2024 1030" holds no phone number "05 2024 1030".
  if (pos >= 2 && text[pos - 1] == ' ' && (IsAsciiDigit(text[pos - 2]) || text[pos - 2] == ')')) {
    return {};
  }
  const Groups g = ReadGroups(text, pos);
  if (const int k = LongestPrefix(text, g, IsCard)) return {PiiKind::kCard, g.at[k - 1].end};
  if (const int k = LongestPrefix(text, g, IsSsn)) return {PiiKind::kNationalId, g.at[k - 1].end};
  if (const int k = LongestPrefix(text, g, IsNationalPhone)) {
    return {PiiKind::kPhone, g.at[k - 1].end};
  }
  return {};
}

std::size_t MatchInternationalPhone(std::string_view text, std::size_t pos) {
  if (pos + 1 >= text.size() || !IsAsciiDigit(text[pos + 1])) return 0;
  const Groups g = ReadGroups(text, pos + 1);
  const int k = LongestPrefix(text, g, IsInternational);
  return k == 0 ? 0 : g.at[k - 1].end;
}

std::size_t MatchLetteredId(std::string_view text, std::size_t pos) {
  if (const std::size_t end = MatchNino(text, pos)) return end;
  // NIE: X, Y or Z stand for a leading 0, 1 or 2 in the checksum.
  const char first = AsciiLower(text[pos]);
  if (first < 'x') return 0;
  return MatchCheckLetter(text, pos + 1, 7, first - 'x');
}

}  // namespace loci::text::pii_internal
