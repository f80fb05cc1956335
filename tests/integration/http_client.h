// HttpClient: a small synchronous HTTP/1.1 client for the integration tests.
//
// It keeps one connection open between requests (keep-alive) and reconnects when the server
// closed it. Bodies are raw bytes, so tests can send invalid UTF-8 or broken JSON. A request
// that fails at the transport level (refused, reset, timed out) does not throw: it returns a
// response with status 0 and `error` set, so a test can assert on it and print why.
//
// Thread-safety: one client per thread. Beast stays inside http_client.cpp so that test files
// do not pay for its headers.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loci::integration {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;  // 0 when no response arrived; see `error`
  std::string error;
  HeaderList headers;  // as received
  std::string body;

  // The value of the first header named `name` (case-insensitive), or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
  // The body parsed as JSON; a discarded value when it is not JSON.
  nlohmann::json Json() const;
  // "status 400, body {...}" (or the transport error), for assertion messages.
  std::string Describe() const;
};

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  HeaderList headers;
  std::optional<std::string> body;  // sent with Content-Length when set
  // Content-Type sent with a body unless `headers` names one; empty sends none.
  std::string content_type = "application/json";
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
};

class HttpClient {
 public:
  HttpClient(std::string host, int port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request and returns the response; never throws for transport failures.
  HttpResponse Send(const HttpRequest& request);

  HttpResponse Get(const std::string& target, const HeaderList& headers = {});
  HttpResponse Delete(const std::string& target, const HeaderList& headers = {});
  HttpResponse Post(const std::string& target, std::string body, const HeaderList& headers = {});
  HttpResponse PostJson(const std::string& target, const nlohmann::json& body,
                        const HeaderList& headers = {});

  // A header sent with every request (unless the request names it), e.g. Authorization.
  void SetDefaultHeader(std::string name, std::string value);

  // Drops the kept-alive connection; the next request opens a new one.
  void Close();

  // How many TCP connections this client opened so far (to check keep-alive).
  int connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loci::integration
