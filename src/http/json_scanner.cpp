#include "http/json_scanner.h"

#include <cstdint>
#include <string>
#include <vector>

#include "util/strings.h"

namespace loci::http {
namespace {

using Sax = nlohmann::json_sax<nlohmann::json>;

// What nlohmann's parser passes for the element count of a container it starts.
constexpr std::size_t kUnknownSize = static_cast<std::size_t>(-1);
// Every integer of this many digits fits an int64_t and a uint64_t.
constexpr std::size_t kMaxIntegerDigits = 18;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The value of a hexadecimal digit, or -1.
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Scanner {
 public:
  Scanner(std::string_view text, Sax& sax) : text_(text), sax_(sax) {}

  ScanOutcome Run() {
    std::vector<char> open;  // the closing bracket of each container being read, innermost last
    bool want_value = true;
    for (;;) {
      SkipSpace();
      if (want_value) {
        opened_ = false;
        if (!Value(&open)) return outcome_;
        want_value = opened_;  // a container just opened wants its first member
        continue;
      }
      if (open.empty()) return pos_ == text_.size() ? ScanOutcome::kRead : ScanOutcome::kUndecided;
      if (pos_ == text_.size()) return ScanOutcome::kUndecided;
      const char c = text_[pos_++];
      if (c == ',') {
        if (open.back() == '}' && !Key()) return outcome_;
        want_value = true;
      } else if (c == open.back()) {
        const bool ok = c == '}' ? sax_.end_object() : sax_.end_array();
        open.pop_back();
        if (!ok) return ScanOutcome::kRefused;
      } else {
        return ScanOutcome::kUndecided;
      }
    }
  }

 private:
  bool Stop(ScanOutcome outcome) {
    outcome_ = outcome;
    return false;
  }
  bool Told(bool handler_went_on) { return handler_went_on || Stop(ScanOutcome::kRefused); }

  void SkipSpace() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  // Reads one value at pos_. Of a container, only the opening: opened_ is then set, its closing
  // bracket pushed on `open` and, of an object, its first key read; an empty one is read whole.
  bool Value(std::vector<char>* open) {
    if (pos_ == text_.size()) return Stop(ScanOutcome::kUndecided);
    switch (text_[pos_]) {
      case '{':
        ++pos_;
        if (!Told(sax_.start_object(kUnknownSize))) return false;
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_] == '}') {
          ++pos_;
          return Told(sax_.end_object());
        }
        open->push_back('}');
        opened_ = true;
        return Key();
      case '[':
        ++pos_;
        if (!Told(sax_.start_array(kUnknownSize))) return false;
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_] == ']') {
          ++pos_;
          return Told(sax_.end_array());
        }
        open->push_back(']');
        opened_ = true;
        return true;
      case '"':
        if (!String()) return false;
        return Told(sax_.string(string_));
      case 't':
        return Word("true") && Told(sax_.boolean(true));
      case 'f':
        return Word("false") && Told(sax_.boolean(false));
      case 'n':
        return Word("null") && Told(sax_.null());
      default:
        return Integer();
    }
  }

  // Reads `"key"`, tells it, then reads the ':' after it (nlohmann's order).
  bool Key() {
    SkipSpace();
    if (pos_ == text_.size() || text_[pos_] != '"' || !String()) {
      return Stop(ScanOutcome::kUndecided);
    }
    if (!Told(sax_.key(string_))) return false;
    SkipSpace();
    if (pos_ == text_.size() || text_[pos_] != ':') return Stop(ScanOutcome::kUndecided);
    ++pos_;
    return true;
  }

  bool Word(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return Stop(ScanOutcome::kUndecided);
    pos_ += word.size();
    return true;
  }

  bool Integer() {
    const bool negative = text_[pos_] == '-';
    std::size_t end = pos_ + (negative ? 1 : 0);
    const std::size_t digits_begin = end;
    while (end < text_.size() && IsDigit(text_[end])) ++end;
    const std::size_t digits = end - digits_begin;
    if (digits == 0 || digits > kMaxIntegerDigits || (digits > 1 && text_[digits_begin] == '0')) {
      return Stop(ScanOutcome::kUndecided);
    }
    if (end < text_.size() && (text_[end] == '.' || text_[end] == 'e' || text_[end] == 'E')) {
      return Stop(ScanOutcome::kUndecided);  // a fraction or exponent: nlohmann's to convert
    }
    std::uint64_t value = 0;
    for (std::size_t i = digits_begin; i < end; ++i) value = value * 10 + (text_[i] - '0');
    pos_ = end;
    if (negative) return Told(sax_.number_integer(-static_cast<std::int64_t>(value)));
    return Told(sax_.number_unsigned(value));
  }

  // Reads the string at pos_ (its opening quote) into string_.
  bool String() {
    string_.clear();
    ++pos_;
    for (;;) {
      const std::size_t run = pos_;
      while (pos_ < text_.size()) {
        const auto c = static_cast<unsigned char>(text_[pos_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++pos_;
      }
      string_.append(text_.data() + run, pos_ - run);
      if (pos_ == text_.size()) return Stop(ScanOutcome::kUndecided);
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return Stop(ScanOutcome::kUndecided);
      if (c >= 0x80) {
        bool valid = false;
        const std::size_t length = ScanUtf8(text_, pos_, &valid);
        if (!valid) return Stop(ScanOutcome::kUndecided);
        string_.append(text_.data() + pos_, length);
        pos_ += length;
        continue;
      }
      if (!Escape()) return Stop(ScanOutcome::kUndecided);
    }
  }

  // Reads the escape at pos_ (its backslash) onto string_; false when it is not a valid one.
  bool Escape() {
    if (pos_ + 1 >= text_.size()) return false;
    const char kind = text_[pos_ + 1];
    pos_ += 2;
    switch (kind) {
      case '"':
      case '\\':
      case '/':
        string_.push_back(kind);
        return true;
      case 'b':
        string_.push_back('\b');
        return true;
      case 'f':
        string_.push_back('\f');
        return true;
      case 'n':
        string_.push_back('\n');
        return true;
      case 'r':
        string_.push_back('\r');
        return true;
      case 't':
        string_.push_back('\t');
        return true;
      case 'u':
        break;
      default:
        return false;
    }
    const int high = Hex4();
    if (high < 0 || (high >= 0xDC00 && high <= 0xDFFF)) return false;
    if (high < 0xD800 || high > 0xDBFF) {
      AppendUtf8(static_cast<char32_t>(high), &string_);
      return true;
    }
    // A high surrogate: a low one must follow at once.
    if (text_.substr(pos_, 2) != "\\u") return false;
    pos_ += 2;
    const int low = Hex4();
    if (low < 0xDC00 || low > 0xDFFF) return false;
    AppendUtf8(0x10000 + ((static_cast<char32_t>(high) - 0xD800) << 10) +
                   (static_cast<char32_t>(low) - 0xDC00),
               &string_);
    return true;
  }

  // The four hexadecimal digits at pos_ as a number (pos_ moves past them), or -1.
  int Hex4() {
    if (pos_ + 4 > text_.size()) return -1;
    int value = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = HexValue(text_[pos_ + i]);
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    pos_ += 4;
    return value;
  }

  std::string_view text_;
  Sax& sax_;
  std::size_t pos_ = 0;
  std::string string_;   // the string or key just read
  bool opened_ = false;  // the value just read opened a container
  ScanOutcome outcome_ = ScanOutcome::kUndecided;
};

}  // namespace

ScanOutcome ScanJson(std::string_view text, nlohmann::json_sax<nlohmann::json>& sax) {
  return Scanner(text, sax).Run();
}

}  // namespace loci::http
