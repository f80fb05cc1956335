// A small streaming JSON writer for the responses that carry many messages (context, search,
// session pages): it appends compact JSON straight to one std::string instead of building a
// nlohmann::json tree and dumping it, which dominated the server's CPU on those routes.
//
// The writer places commas and colons itself; the caller only says what comes next. Strings are
// escaped as nlohmann's dump does (\" \\ \b \f \n \r \t, other control characters \u00xx,
// UTF-8 passed through) and invalid UTF-8 becomes U+FFFD, as with
// nlohmann::json::error_handler_t::replace, so the output is always valid JSON.
//
// Misuse (a key outside an object, a value where a key is due, unbalanced End*) is a
// programming error: it is checked with a fatal check, never produced by user input.
// Thread-safety: a JsonWriter is a plain value; use one per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loci::http {

class JsonWriter {
 public:
  // Reserves `reserve_bytes` in the output up front.
  explicit JsonWriter(std::size_t reserve_bytes = 256);

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();

  // The key of the next member. REQUIRES: inside an object, where a key is due.
  void Key(std::string_view key);

  void String(std::string_view value);
  void Int(std::int64_t value);
  // Shortest form that reads back as the same double, with ".0" when it would otherwise look
  // like an integer (as nlohmann writes it); NaN and infinities become null.
  void Double(double value);
  void Bool(bool value);
  void Null();
  // The value, or null when there is none.
  void OptionalString(const std::optional<std::string>& value);
  void OptionalInt(std::optional<std::int64_t> value);
  // Already-serialized JSON, appended as is. REQUIRES: `json` is one valid JSON value.
  void Raw(std::string_view json);

  // The output so far. Complete once every Begin* has its End*.
  const std::string& str() const { return out_; }
  // Moves the output out; the writer is then spent.
  std::string Take() { return std::move(out_); }
  // Replaces `out` with the output written so far and goes on from an empty output, keeping
  // its place in the document (and reusing out's old storage): a long document can be sent in
  // pieces, each written once its predecessor has been handed on.
  void MoveOutputTo(std::string& out) {
    out.swap(out_);
    out_.clear();
  }

 private:
  enum class Frame : std::uint8_t { kObject, kArray };

  // Writes the comma before a value (or key) when one is due.
  void BeforeValue();

  std::string out_;
  std::vector<Frame> stack_;
  bool first_ = true;       // no element yet in the innermost container
  bool after_key_ = false;  // a key was written and its value is due
};

// Appends `value` as a JSON string literal (quotes included) to `out`.
void AppendJsonString(std::string& out, std::string_view value);

}  // namespace loci::http
