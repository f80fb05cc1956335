// The HTTP layer's own view of a request and a response: plain values with no Beast types, so
// that routing, auth and handlers compile (and are tested) without the server's heavy headers.
// Thread-safety: plain values; safe to move between threads, not to share mutably.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loci::http {

// Header fields in arrival order. Names compare case-insensitively, as HTTP requires.
class Headers {
 public:
  // The value of the first field named `name`, or nullopt.
  std::optional<std::string_view> Find(std::string_view name) const;
  // Appends a field (a repeated name keeps every value).
  void Add(std::string name, std::string value);
  // Replaces every field named `name` with one field.
  void Set(std::string name, std::string value);
  bool Has(std::string_view name) const { return Find(name).has_value(); }

  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

struct Request {
  std::string method;  // as sent: "GET", "POST", ...
  std::string target;  // the raw request target: "/memory/context/u%201?max_tokens=10"
  int version = 11;    // 10 for HTTP/1.0, 11 for HTTP/1.1
  Headers headers;
  std::string body;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  bool close = false;  // close the connection after writing this response
  // Why a 5xx happened, for the server's log only; never sent to the client.
  std::string log_note;
};

// True for ASCII letters equal regardless of case; the comparison HTTP uses for names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace loci::http
