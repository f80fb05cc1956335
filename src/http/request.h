// The HTTP layer's own view of a request and a response: plain values with no Beast types, so
// that routing, auth and handlers compile (and are tested) without the server's heavy headers.
// Thread-safety: plain values; safe to move between threads, not to share mutably.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/status.h"

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

// A response body made piece by piece, for bodies too large to hold in memory at once (an
// export). The server calls Next on a worker thread, never two calls at once, and asks for the
// next piece only once the previous one has been written to the socket: a connection holds one
// piece at a time however slow its client. When the client goes away (or the write timeout
// cuts it off) Next is not called again and the stream is destroyed.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Replaces the content of `out` with the next piece and returns true (an empty piece is
  // allowed and skipped), or returns false once the body is complete. An error aborts the
  // response mid-body: the connection closes without ending the body, so the client sees it
  // cut short rather than complete.
  virtual Result<bool> Next(std::string& out) = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the body instead of `body`: bytes shared with others (a cached rendering), sent
  // from where they are, without a copy.
  std::shared_ptr<const std::string> shared_body;
  // When set, the body comes from here instead of `body`: sent with chunked transfer-encoding
  // (HTTP/1.1) or until the connection closes (HTTP/1.0). Not sent for HEAD.
  std::shared_ptr<BodyStream> stream;
  bool close = false;  // close the connection after writing this response
  // Why a 5xx happened, for the server's log only; never sent to the client.
  std::string log_note;

  // The body held in memory: `shared_body` when set, else `body`.
  std::string_view body_text() const { return shared_body ? *shared_body : body; }
};

// True for ASCII letters equal regardless of case; the comparison HTTP uses for names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace loci::http
