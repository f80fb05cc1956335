#include "http/json_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "util/strings.h"

namespace loci::http {
namespace {

// A misused writer is a bug in the route code, not something input can cause.
void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "JsonWriter misuse: %s\n", what);
  std::abort();
}

// What a byte needs inside a string literal: nothing, an escape, or UTF-8 validation.
enum ByteClass : std::uint8_t { kPlain, kEscape, kMultiByte };

constexpr std::array<std::uint8_t, 256> MakeByteClasses() {
  std::array<std::uint8_t, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    if (c < 0x20 || c == '"' || c == '\\') {
      classes[c] = kEscape;
    } else if (c >= 0x80) {
      classes[c] = kMultiByte;
    } else {
      classes[c] = kPlain;
    }
  }
  return classes;
}
constexpr std::array<std::uint8_t, 256> kByteClasses = MakeByteClasses();

// Whether any of the 8 bytes in `word` is not kPlain (< 0x20, '"', '\\' or >= 0x80): the
// classic "has a zero byte" / "has a byte less than n" bit tricks, exact for "any". Lets plain
// ASCII text be skipped a word at a time.
bool AnyNotPlain(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101;
  constexpr std::uint64_t kHighs = 0x8080808080808080;
  const std::uint64_t quote = word ^ (kOnes * '"');
  const std::uint64_t backslash = word ^ (kOnes * '\\');
  const std::uint64_t flags = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                              ((word - kOnes * 0x20) & ~word) | word;
  return (flags & kHighs) != 0;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

void AppendEscape(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out.append("\\\"", 2);
      return;
    case '\\':
      out.append("\\\\", 2);
      return;
    case '\b':
      out.append("\\b", 2);
      return;
    case '\f':
      out.append("\\f", 2);
      return;
    case '\n':
      out.append("\\n", 2);
      return;
    case '\r':
      out.append("\\r", 2);
      return;
    case '\t':
      out.append("\\t", 2);
      return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(escape, sizeof escape);
      return;
    }
  }
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view value) {
  const auto* data = reinterpret_cast<const unsigned char*>(value.data());
  const std::size_t size = value.size();
  out.push_back('"');
  std::size_t run_start = 0;  // bytes [run_start, i) are still to be copied as they are
  std::size_t i = 0;
  while (i < size) {
    while (i + 8 <= size) {
      std::uint64_t word;
      std::memcpy(&word, data + i, sizeof word);
      if (AnyNotPlain(word)) break;
      i += 8;
    }
    if (i >= size) break;
    const std::uint8_t byte_class = kByteClasses[data[i]];
    if (byte_class == kPlain) {
      ++i;
      continue;
    }
    if (byte_class == kMultiByte) {
      bool valid = false;
      const std::size_t length = ScanUtf8(value, i, &valid);
      if (valid) {  // part of the run
        i += length;
        continue;
      }
      out.append(value.data() + run_start, i - run_start);
      out.append(kReplacement);
      i += length;
      run_start = i;
      continue;
    }
    out.append(value.data() + run_start, i - run_start);
    AppendEscape(out, data[i]);
    ++i;
    run_start = i;
  }
  out.append(value.data() + run_start, size - run_start);
  out.push_back('"');
}

JsonWriter::JsonWriter(std::size_t reserve_bytes) {
  out_.reserve(reserve_bytes);
  stack_.reserve(8);
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) {
    Check(first_, "a second top-level value");
  } else {
    Check(stack_.back() == Frame::kArray, "a value in an object without a key");
    if (!first_) out_.push_back(',');
  }
  first_ = false;
}

void JsonWriter::BeginObject() {
  BeforeValue();
  out_.push_back('{');
  stack_.push_back(Frame::kObject);
  first_ = true;
}

void JsonWriter::EndObject() {
  Check(!stack_.empty() && stack_.back() == Frame::kObject && !after_key_,
        "EndObject without an open object, or after a key");
  stack_.pop_back();
  out_.push_back('}');
  first_ = false;
}

void JsonWriter::BeginArray() {
  BeforeValue();
  out_.push_back('[');
  stack_.push_back(Frame::kArray);
  first_ = true;
}

void JsonWriter::EndArray() {
  Check(!stack_.empty() && stack_.back() == Frame::kArray, "EndArray without an open array");
  stack_.pop_back();
  out_.push_back(']');
  first_ = false;
}

void JsonWriter::Key(std::string_view key) {
  Check(!stack_.empty() && stack_.back() == Frame::kObject && !after_key_,
        "a key outside an object, or two keys in a row");
  if (!first_) out_.push_back(',');
  first_ = false;
  AppendJsonString(out_, key);
  out_.push_back(':');
  after_key_ = true;
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(out_, value);
}

void JsonWriter::Int(std::int64_t value) {
  BeforeValue();
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, end);
}

void JsonWriter::Double(double value) {
  BeforeValue();
  if (!std::isfinite(value)) {
    out_.append("null", 4);
    return;
  }
  char buf[40];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, end);
  if (std::string_view(buf, end - buf).find_first_of(".e") == std::string_view::npos) {
    out_.append(".0", 2);
  }
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  if (value) {
    out_.append("true", 4);
  } else {
    out_.append("false", 5);
  }
}

void JsonWriter::Null() {
  BeforeValue();
  out_.append("null", 4);
}

void JsonWriter::OptionalString(const std::optional<std::string>& value) {
  if (value) {
    String(*value);
  } else {
    Null();
  }
}

void JsonWriter::OptionalInt(std::optional<std::int64_t> value) {
  if (value) {
    Int(*value);
  } else {
    Null();
  }
}

void JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json);
}

}  // namespace loci::http
