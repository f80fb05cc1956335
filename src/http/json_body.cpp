#include "http/json_body.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "http/json_fields.h"
#include "http/json_scanner.h"
#include "util/strings.h"

namespace loci::http {
namespace {

using Json = nlohmann::json;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

Status Unsupported() {
  return {StatusCode::kUnsupportedMediaType, "Content-Type must be application/json"};
}

// Builds the document from SAX events with an explicit stack (never recursing), refusing to
// open a container past the depth bound and refusing repeated keys.
class BoundedBuilder final : public nlohmann::json_sax<Json> {
 public:
  BoundedBuilder(Json* root, int max_depth) : root_(root), max_depth_(max_depth) {}

  bool null() override { return Put(nullptr) != nullptr; }
  bool boolean(bool value) override { return Put(value) != nullptr; }
  bool number_integer(number_integer_t value) override { return Put(value) != nullptr; }
  bool number_unsigned(number_unsigned_t value) override { return Put(value) != nullptr; }
  bool number_float(number_float_t value, const string_t& /*text*/) override {
    return Put(value) != nullptr;
  }
  bool string(string_t& value) override { return Put(std::move(value)) != nullptr; }
  bool binary(binary_t& value) override { return Put(Json::binary(std::move(value))) != nullptr; }

  bool start_object(std::size_t /*elements*/) override { return Open(Json::object()); }
  bool start_array(std::size_t /*elements*/) override { return Open(Json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& key) override {
    if (stack_.back()->contains(key)) {
      error_ = InvalidArgument("request body repeats the key \"" + key + "\" in one object");
      return false;
    }
    pending_key_ = std::move(key);
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*ex*/) override {
    // The parser's message quotes the input; the byte offset is enough and echoes nothing.
    error_ = InvalidArgument("request body is not valid JSON (error at byte " +
                             std::to_string(position) + ")");
    return false;
  }

  const Status& error() const { return error_; }

 private:
  // Stores `value` where the parser is, returning where it went.
  Json* Put(Json value) {
    if (stack_.empty()) {
      *root_ = std::move(value);
      return root_;
    }
    Json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(value));
      return &top.back();
    }
    Json& slot = top[pending_key_];
    slot = std::move(value);
    return &slot;
  }

  bool Open(Json container) {
    if (static_cast<int>(stack_.size()) >= max_depth_) {
      error_ = InvalidArgument("request body is nested deeper than " + std::to_string(max_depth_) +
                               " levels");
      return false;
    }
    // Pointers stay valid: a container is only appended to while it is the innermost open one,
    // and the pointers below it on the stack name elements of containers not touched meanwhile.
    stack_.push_back(Put(std::move(container)));
    return true;
  }

  bool Close() {
    stack_.pop_back();
    return true;
  }

  Json* root_;
  int max_depth_;
  std::vector<Json*> stack_;
  std::string pending_key_;
  Status error_;
};

}  // namespace

Status CheckJsonContentType(const Headers& headers) {
  const auto content_type = headers.Find("Content-Type");
  if (!content_type) return Unsupported();
  std::string_view rest = *content_type;
  size_t semicolon = rest.find(';');
  if (!EqualsIgnoreCase(Trim(rest.substr(0, semicolon)), "application/json")) return Unsupported();
  while (semicolon != std::string_view::npos) {
    rest = rest.substr(semicolon + 1);
    semicolon = rest.find(';');
    const std::string_view parameter = Trim(rest.substr(0, semicolon));
    const size_t eq = parameter.find('=');
    if (eq == std::string_view::npos ||
        !EqualsIgnoreCase(Trim(parameter.substr(0, eq)), "charset")) {
      continue;
    }
    std::string_view charset = Trim(parameter.substr(eq + 1));
    if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') {
      charset = charset.substr(1, charset.size() - 2);
    }
    if (!EqualsIgnoreCase(charset, "utf-8") && !EqualsIgnoreCase(charset, "utf8")) {
      return {StatusCode::kUnsupportedMediaType, "request body must be UTF-8 JSON"};
    }
  }
  return Status::Ok();
}

Status ParseJson(std::string_view text, nlohmann::json* out, int max_depth) {
  if (Trim(text).empty()) return InvalidArgument("request body is empty; expected JSON");
  if (!IsValidUtf8(text)) return InvalidArgument("request body is not valid UTF-8");
  bool ok = false;
  try {
    {
      BoundedBuilder builder(out, max_depth);
      switch (ScanJson(text, builder)) {
        case ScanOutcome::kRead:
          return Status::Ok();
        case ScanOutcome::kRefused:  // the builder refuses only with its reason
          return builder.error().ok() ? InvalidArgument("request body is not valid JSON")
                                      : builder.error();
        case ScanOutcome::kUndecided:
          break;
      }
    }
    // The rest of JSON, and the errors: nlohmann's parser reads the text afresh.
    *out = Json();
    BoundedBuilder builder(out, max_depth);
    ok = Json::sax_parse(text.begin(), text.end(), &builder);
    if (!ok && !builder.error().ok()) return builder.error();
  } catch (const std::exception&) {  // the parser reports through the SAX; this is a backstop
    return InvalidArgument("request body is not valid JSON");
  }
  if (ok) return Status::Ok();
  return InvalidArgument("request body is not valid JSON");
}

Status ParseJsonBody(const Request& request, nlohmann::json* out) {
  RETURN_IF_ERROR(CheckJsonContentType(request.headers));
  return ParseJson(request.body, out);
}

Status ParseJsonObjectBody(const Request& request, nlohmann::json* out) {
  RETURN_IF_ERROR(ParseJsonBody(request, out));
  return RequireObject(*out, "");
}

}  // namespace loci::http
