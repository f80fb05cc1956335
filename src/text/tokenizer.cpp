#include "text/tokenizer.h"

#include <algorithm>
#include <cstddef>
#include <limits>

#include "text/unicode.h"

namespace loci::text {
namespace {

constexpr std::size_t kMaxEmailLocal = 64;    // RFC 5321 limits; they also bound the
constexpr std::size_t kMaxEmailDomain = 253;  // look-ahead, which keeps scanning linear

bool IsWordClass(CharClass cls) {
  return cls == CharClass::kLetter || cls == CharClass::kNumber || cls == CharClass::kMark;
}

// The class of the code point at `pos`, or kOther for the end of the text or a bad byte.
CharClass ClassAt(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return CharClass::kOther;
  const Decoded d = DecodeAt(text, pos);
  return d.length == 0 ? CharClass::kOther : ClassOf(d.cp);
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// ASCII characters a URL may contain (RFC 3986 unreserved, reserved and '%').
bool IsUrlByte(unsigned char c) {
  if (IsAsciiAlnum(c)) return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':
    case ':':
    case '/':
    case '?':
    case '#':
    case '[':
    case ']':
    case '@':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case '%':
      return true;
    default:
      return false;
  }
}

bool IsEmailLocalByte(unsigned char c) {
  return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
}

bool MayStartEmail(unsigned char c) {
  return c == '@' || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

}  // namespace

Tokenizer::Tokenizer(std::string_view text)
    : text_(text.substr(
          0, std::min<std::size_t>(text.size(), std::numeric_limits<std::uint32_t>::max()))) {}

bool Tokenizer::Next(RawToken* token) {
  while (pos_ < text_.size()) {
    const Decoded d = DecodeAt(text_, pos_);
    if (d.length == 0) {  // a bad byte separates
      ++pos_;
      continue;
    }
    const CharClass cls = ClassOf(d.cp);
    // A word starts with a letter or digit; a mark on its own (a variation selector after an
    // emoji, a stray accent) decorates nothing worth indexing.
    if (cls == CharClass::kLetter || cls == CharClass::kNumber) {
      ScanWord(token);
      return true;
    }
    if (cls == CharClass::kIdeograph) {
      ScanIdeograph(token);
      return true;
    }
    pos_ += static_cast<std::size_t>(d.length);
  }
  return false;
}

void Tokenizer::ScanWord(RawToken* token) {
  const std::size_t start = pos_;
  bool ascii = true;
  bool latin_or_greek = true;
  bool has_letter = false;
  // The class of the last letter or digit (marks and joiners extend it).
  CharClass last_base = CharClass::kMark;
  while (pos_ < text_.size()) {
    const Decoded d = DecodeAt(text_, pos_);
    if (d.length == 0) break;
    const CharClass cls = ClassOf(d.cp);
    const auto next = pos_ + static_cast<std::size_t>(d.length);
    bool take = false;
    if (IsWordClass(cls)) {
      take = true;
    } else if (cls == CharClass::kJoiner) {
      take = pos_ > start && IsWordClass(ClassAt(text_, next));
    } else if (IsApostrophe(d.cp)) {
      take = (last_base == CharClass::kLetter || last_base == CharClass::kNumber) &&
             ClassAt(text_, next) == CharClass::kLetter;
    } else if (d.cp == U'.' || d.cp == U',') {
      take = last_base == CharClass::kNumber && ClassAt(text_, next) == CharClass::kNumber;
    }
    if (!take) break;
    if (d.length > 1) ascii = false;
    if (cls == CharClass::kLetter) {
      has_letter = true;
      if (latin_or_greek && !IsLatinOrGreek(d.cp)) latin_or_greek = false;
    }
    if (cls == CharClass::kLetter || cls == CharClass::kNumber) last_base = cls;
    pos_ = next;
  }

  // URLs and e-mail addresses begin like words; look at what follows the word to decide
  // whether to read one instead. Only plain ASCII words can start them.
  if (ascii && pos_ < text_.size()) {
    const auto follower = static_cast<unsigned char>(text_[pos_]);
    const std::string_view word = text_.substr(start, pos_ - start);
    if (follower == ':' && text_.substr(pos_, 3) == "://" &&
        (EqualsIgnoreAsciiCase(word, "http") || EqualsIgnoreAsciiCase(word, "https"))) {
      if (TryUrl(start, pos_ + 3, token)) return;
    } else if (follower == '.' && EqualsIgnoreAsciiCase(word, "www")) {
      if (TryUrl(start, pos_ + 1, token)) return;
    }
    if (MayStartEmail(follower) && TryEmail(start, token)) return;
  }

  token->begin = static_cast<std::uint32_t>(start);
  token->end = static_cast<std::uint32_t>(pos_);
  token->kind =
      has_letter || last_base != CharClass::kNumber ? TokenKind::kWord : TokenKind::kNumber;
  token->ascii = ascii;
  token->latin_or_greek = latin_or_greek;
}

void Tokenizer::ScanIdeograph(RawToken* token) {
  const std::size_t start = pos_;
  pos_ += static_cast<std::size_t>(DecodeAt(text_, pos_).length);
  // Combining marks (and the half-width voiced sound marks) belong to the character.
  while (pos_ < text_.size()) {
    const Decoded d = DecodeAt(text_, pos_);
    if (d.length == 0) break;
    if (ClassOf(d.cp) != CharClass::kMark && d.cp != 0xFF9E && d.cp != 0xFF9F) break;
    pos_ += static_cast<std::size_t>(d.length);
  }
  token->begin = static_cast<std::uint32_t>(start);
  token->end = static_cast<std::uint32_t>(pos_);
  token->kind = TokenKind::kIdeograph;
  token->ascii = false;
  token->latin_or_greek = false;
}

bool Tokenizer::TryUrl(std::size_t start, std::size_t host, RawToken* token) {
  const std::size_t n = text_.size();
  if (host >= n) return false;
  const Decoded first = DecodeAt(text_, host);
  if (first.length == 0) return false;
  const CharClass first_class = ClassOf(first.cp);
  if (first_class != CharClass::kLetter && first_class != CharClass::kNumber) return false;

  std::size_t p = host;
  bool ascii = true;
  while (p < n) {
    const auto c = static_cast<unsigned char>(text_[p]);
    if (c < 0x80) {
      if (!IsUrlByte(c)) break;
      ++p;
      continue;
    }
    // Internationalized URLs: letters, marks and digits of any script.
    const Decoded d = DecodeAt(text_, p);
    if (d.length == 0) break;
    const CharClass cls = ClassOf(d.cp);
    if (!IsWordClass(cls) && cls != CharClass::kIdeograph) break;
    ascii = false;
    p += static_cast<std::size_t>(d.length);
  }

  // Leave out trailing sentence punctuation and closing brackets that close nothing inside.
  std::size_t end = p;
  while (end > host) {
    const char last = text_[end - 1];
    if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!' || last == '?' ||
        last == '\'' || last == '*') {
      --end;
      continue;
    }
    if (last == ')' || last == ']') {
      const char open = last == ')' ? '(' : '[';
      const std::string_view url = text_.substr(start, end - start);
      if (std::count(url.begin(), url.end(), last) > std::count(url.begin(), url.end(), open)) {
        --end;
        continue;
      }
    }
    break;
  }
  if (end <= host) return false;

  pos_ = end;
  token->begin = static_cast<std::uint32_t>(start);
  token->end = static_cast<std::uint32_t>(end);
  token->kind = TokenKind::kUrl;
  token->ascii = ascii;
  token->latin_or_greek = false;  // kept as written, apart from case
  return true;
}

bool Tokenizer::TryEmail(std::size_t start, RawToken* token) {
  const std::size_t n = text_.size();
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text_[i]); };

  std::size_t at = start;
  const std::size_t local_limit = std::min(n, start + kMaxEmailLocal);
  while (at < local_limit && IsEmailLocalByte(byte(at))) ++at;
  if (at == start || at >= n || byte(at) != '@') return false;

  const std::size_t domain = at + 1;
  const std::size_t domain_limit = std::min(n, domain + kMaxEmailDomain);
  std::size_t end = domain;
  while (end < domain_limit && (IsAsciiAlnum(byte(end)) || byte(end) == '-' || byte(end) == '.')) {
    ++end;
  }
  while (end > domain && (byte(end - 1) == '.' || byte(end - 1) == '-')) --end;
  if (end == domain || !IsAsciiAlnum(byte(domain))) return false;

  // Labels are non-empty, and the last one (the top-level domain) is 2+ letters.
  std::size_t last_dot = 0;
  for (std::size_t i = domain; i < end; ++i) {
    if (byte(i) != '.') continue;
    if (byte(i - 1) == '.') return false;
    last_dot = i;
  }
  if (last_dot == 0 || end - last_dot - 1 < 2) return false;
  for (std::size_t i = last_dot + 1; i < end; ++i) {
    if (!IsAsciiAlpha(byte(i))) return false;
  }

  pos_ = end;
  token->begin = static_cast<std::uint32_t>(start);
  token->end = static_cast<std::uint32_t>(end);
  token->kind = TokenKind::kEmail;
  token->ascii = true;
  token->latin_or_greek = false;
  return true;
}

std::vector<RawToken> Tokenize(std::string_view text) {
  std::vector<RawToken> tokens;
  tokens.reserve(text.size() / 6 + 1);
  Tokenizer tokenizer(text);
  RawToken token;
  while (tokenizer.Next(&token)) tokens.push_back(token);
  return tokens;
}

}  // namespace loci::text
