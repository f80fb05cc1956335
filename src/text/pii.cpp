#include "text/pii.h"

#include <algorithm>

#include "text/pii_internal.h"
#include "text/unicode.h"

namespace loci::text {
namespace pii_internal {

bool IsGlue(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return false;
  const Decoded d = DecodeAt(text, pos);
  if (d.length == 0) return false;
  const CharClass cls = ClassOf(d.cp);
  return cls == CharClass::kLetter || cls == CharClass::kNumber || cls == CharClass::kMark;
}

bool GluedBefore(std::string_view text, std::size_t pos) {
  if (pos == 0) return false;
  // Step back over at most three UTF-8 continuation bytes to the start of the code point.
  std::size_t start = pos - 1;
  while (start > 0 && pos - start < 4 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  const Decoded d = DecodeAt(text, start);
  return start + static_cast<std::size_t>(d.length) == pos && IsGlue(text, start);
}

namespace {

bool IsNumberJoiner(char c) { return c == '.' || c == '-' || c == '/' || c == ':'; }

}  // namespace

bool NumberContinuesAt(std::string_view text, std::size_t pos) {
  return pos + 1 < text.size() && IsNumberJoiner(text[pos]) && IsAsciiDigit(text[pos + 1]);
}

bool NumberContinuesBefore(std::string_view text, std::size_t pos) {
  return pos >= 2 && IsNumberJoiner(text[pos - 1]) && IsAsciiDigit(text[pos - 2]);
}

}  // namespace pii_internal

namespace {

using pii_internal::Found;
using pii_internal::GluedBefore;
using pii_internal::IsGlue;

constexpr std::size_t kMaxEmailLocal = 64;    // RFC 5321 limits; they also bound the
constexpr std::size_t kMaxEmailDomain = 253;  // look-ahead, which keeps scanning linear
constexpr std::size_t kMaxIpv6Text = 45;      // "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"

bool IsEmailLocalByte(char c) {
  return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool IsHex(char c) { return IsAsciiDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

bool IsIpv6Byte(char c) { return IsHex(c) || c == ':' || c == '.'; }

// Labels are 1+ letters, digits and inner hyphens; the last of 2+ labels is 2+ letters.
bool IsEmailDomain(std::string_view domain) {
  std::size_t labels = 0;
  std::size_t start = 0;
  while (start <= domain.size()) {
    const std::size_t dot = std::min(domain.find('.', start), domain.size());
    const std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    ++labels;
    if (dot == domain.size()) {
      return labels >= 2 && label.size() >= 2 &&
             std::all_of(label.begin(), label.end(), [](char c) { return IsAsciiAlpha(c); });
    }
    start = dot + 1;
  }
  return false;
}

// An address whose local part begins at `pos`.
std::size_t MatchEmail(std::string_view text, std::size_t pos) {
  const std::size_t n = text.size();
  std::size_t at = pos;
  const std::size_t local_limit = std::min(n, pos + kMaxEmailLocal);
  while (at < local_limit && IsEmailLocalByte(text[at])) ++at;
  if (at == pos || at >= n || text[at] != '@' || text[at - 1] == '.') return 0;

  const std::size_t domain = at + 1;
  const std::size_t domain_limit = std::min(n, domain + kMaxEmailDomain);
  std::size_t end = domain;
  while (end < domain_limit && (IsAsciiAlnum(text[end]) || text[end] == '-' || text[end] == '.')) {
    ++end;
  }
  // A full stop or dash after the address belongs to the sentence.
  while (end > domain && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
  if (!IsEmailDomain(text.substr(domain, end - domain)) || IsGlue(text, end)) return 0;
  return end;
}

// The end of a dotted quad at `pos`, or 0. Octets are 1-3 digits up to 255.
std::size_t ParseIpv4(std::string_view text, std::size_t pos) {
  std::size_t i = pos;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (i >= text.size() || text[i] != '.') return 0;
      ++i;
    }
    int value = 0;
    const std::size_t digits = i;
    while (i < text.size() && IsAsciiDigit(text[i]) && i - digits < 3) {
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    if (i == digits || value > 255 || (i < text.size() && IsAsciiDigit(text[i]))) return 0;
  }
  return i;
}

std::size_t MatchIpv4(std::string_view text, std::size_t pos) {
  // "1.2.3.4.5" and "host.1.2.3.4" are longer dotted names, not addresses.
  if (pos >= 2 && text[pos - 1] == '.' && IsAsciiAlnum(text[pos - 2])) return 0;
  const std::size_t end = ParseIpv4(text, pos);
  if (end == 0 || IsGlue(text, end)) return 0;
  if (end + 1 < text.size() && text[end] == '.' && IsAsciiAlnum(text[end + 1])) return 0;
  return end;
}

// Counts the 16-bit pieces of a colon-separated part of an IPv6 address (a trailing dotted
// quad counts two when `dotted_tail` allows it), or -1 when the part is malformed.
int CountIpv6Pieces(std::string_view part, bool dotted_tail) {
  if (part.empty()) return 0;
  int pieces = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = std::min(part.find(':', start), part.size());
    const std::string_view piece = part.substr(start, colon - start);
    const bool last = colon == part.size();
    if (last && dotted_tail && piece.find('.') != std::string_view::npos) {
      return ParseIpv4(piece, 0) == piece.size() ? pieces + 2 : -1;
    }
    if (piece.empty() || piece.size() > 4 || !std::all_of(piece.begin(), piece.end(), IsHex)) {
      return -1;
    }
    ++pieces;
    if (last) return pieces;
    start = colon + 1;
  }
}

bool IsIpv6(std::string_view s) {
  // Without a digit, "A::B" and "add:bad:..." are far more likely code or words.
  if (std::none_of(s.begin(), s.end(), [](char c) { return IsAsciiDigit(c); })) return false;
  const std::size_t gap = s.find("::");
  if (gap == std::string_view::npos) return CountIpv6Pieces(s, true) == 8;
  if (s.find("::", gap + 1) != std::string_view::npos) return false;
  const int head = CountIpv6Pieces(s.substr(0, gap), false);
  const int tail = CountIpv6Pieces(s.substr(gap + 2), true);
  return head >= 0 && tail >= 0 && head + tail >= 1 && head + tail <= 7;
}

std::size_t MatchIpv6(std::string_view text, std::size_t pos) {
  const std::size_t n = text.size();
  // Only at the start of a run of address characters, or after a single colon that follows
  // a word ("ip:fe80::1"); a later start would cut an address or a longer run short.
  if (pos > 0 && IsIpv6Byte(text[pos - 1])) {
    const bool after_label =
        text[pos - 1] == ':' && text[pos] != ':' && (pos == 1 || !IsIpv6Byte(text[pos - 2]));
    if (!after_label) return 0;
  }
  std::size_t end = pos;
  while (end < n && end - pos <= kMaxIpv6Text && IsIpv6Byte(text[end])) ++end;
  if (end - pos > kMaxIpv6Text) return 0;
  // A full stop or a single colon after the address belongs to the sentence.
  if (end > pos && text[end - 1] == '.') --end;
  if (end - pos >= 2 && text[end - 1] == ':' && text[end - 2] != ':') --end;
  if (!IsIpv6(text.substr(pos, end - pos)) || IsGlue(text, end)) return 0;
  return end;
}

// Every match starts with one of these ASCII bytes ('_', '%' and '-' only for e-mail).
bool MayStartMatch(char c) {
  return IsAsciiAlnum(c) || c == '+' || c == '(' || c == ':' || c == '_' || c == '%' || c == '-';
}

Found MatchAt(std::string_view text, std::size_t pos) {
  const char c = text[pos];
  if (!MayStartMatch(c) || GluedBefore(text, pos)) return {};
  if (IsEmailLocalByte(c) && (pos == 0 || !IsEmailLocalByte(text[pos - 1]))) {
    if (const std::size_t end = MatchEmail(text, pos)) return {PiiKind::kEmail, end};
  }
  if (IsHex(c) || c == ':') {
    if (const std::size_t end = MatchIpv6(text, pos)) return {PiiKind::kIpAddress, end};
  }
  if (IsAsciiDigit(c)) {
    if (const std::size_t end = MatchIpv4(text, pos)) return {PiiKind::kIpAddress, end};
  }
  if (IsAsciiDigit(c) || c == '(') return pii_internal::MatchNumber(text, pos);
  if (c == '+') {
    if (const std::size_t end = pii_internal::MatchInternationalPhone(text, pos)) {
      return {PiiKind::kPhone, end};
    }
  }
  if (IsAsciiAlpha(c)) {
    if (const std::size_t end = pii_internal::MatchLetteredId(text, pos)) {
      return {PiiKind::kNationalId, end};
    }
  }
  return {};
}

}  // namespace

std::vector<PiiMatch> FindPii(std::string_view text) {
  std::vector<PiiMatch> matches;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Found found = MatchAt(text, pos);
    if (found.end == 0) {
      ++pos;  // matches start with an ASCII byte, so stepping into a code point is harmless
      continue;
    }
    matches.push_back({found.kind, pos, found.end});
    pos = found.end;
  }
  return matches;
}

Redaction RedactPii(std::string_view text) {
  Redaction out;
  out.text.reserve(text.size());
  std::size_t copied = 0;
  for (const PiiMatch& m : FindPii(text)) {
    out.text.append(text.substr(copied, m.begin - copied));
    out.text.append(PiiPlaceholder(m.kind));
    copied = m.end;
    ++out.replaced;
  }
  out.text.append(text.substr(copied));
  return out;
}

std::string_view PiiPlaceholder(PiiKind kind) {
  switch (kind) {
    case PiiKind::kEmail:
      return "[EMAIL]";
    case PiiKind::kPhone:
      return "[PHONE]";
    case PiiKind::kCard:
      return "[CARD]";
    case PiiKind::kNationalId:
      return "[NATIONAL_ID]";
    case PiiKind::kIpAddress:
      return "[IP_ADDRESS]";
  }
  return "[PII]";
}

}  // namespace loci::text
