#include "integration/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <optional>

namespace loci::integration {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool HasHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

nlohmann::json HttpResponse::Json() const {
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

std::string HttpResponse::Describe() const {
  if (status == 0) return "no response: " + error;
  std::string shown = body.size() > 2000 ? body.substr(0, 2000) + "…" : body;
  return "status " + std::to_string(status) + ", body " + shown;
}

struct HttpClient::Impl {
  std::string host;
  int port = 0;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  HeaderList defaults;
  int connections = 0;

  void CloseStream() {
    if (stream) {
      beast::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->socket().close(ignored);
      stream.reset();
    }
    buffer.clear();
  }

  // Opens a connection when none is kept; returns an error text or "".
  std::string Connect(std::chrono::milliseconds timeout) {
    if (stream) return "";
    boost::system::error_code ec;
    net::ip::address address = net::ip::make_address(host, ec);
    if (ec) return "bad host " + host;
    stream.emplace(ioc);
    stream->expires_after(timeout);
    beast::error_code result = net::error::would_block;
    stream->async_connect(tcp::endpoint(address, static_cast<unsigned short>(port)),
                          [&result](beast::error_code e) { result = e; });
    ioc.restart();
    ioc.run();
    if (result) {
      CloseStream();
      return "connect: " + result.message();
    }
    ++connections;
    return "";
  }

  // One attempt over the current (or a new) connection. `retryable` is set when the failure
  // happened before any byte of a response arrived on a reused connection.
  HttpResponse Attempt(const HttpRequest& request, bool* retryable) {
    *retryable = false;
    HttpResponse response;
    const bool reused = stream.has_value();
    if (std::string error = Connect(request.timeout); !error.empty()) {
      response.error = error;
      return response;
    }

    http::request<http::string_body> message;
    message.version(11);
    message.method_string(request.method);
    message.target(request.target);
    message.set(http::field::host, host + ":" + std::to_string(port));
    for (const auto& [name, value] : defaults) {
      if (!HasHeader(request.headers, name)) message.set(name, value);
    }
    for (const auto& [name, value] : request.headers) message.insert(name, value);
    if (request.body) {
      if (!request.content_type.empty() && !HasHeader(request.headers, "Content-Type")) {
        message.set(http::field::content_type, request.content_type);
      }
      message.body() = *request.body;
      message.prepare_payload();
    }

    // Read and write at once: a server may answer (413, 415) before it reads the whole body,
    // and a client that only reads after writing everything may miss that answer.
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    parser.header_limit(1024 * 1024);
    http::request_serializer<http::string_body> serializer(message);
    beast::error_code write_ec = net::error::would_block;
    beast::error_code read_ec = net::error::would_block;
    bool write_done = false;
    bool read_done = false;
    stream->expires_after(request.timeout);
    http::async_write(*stream, serializer, [&](beast::error_code e, std::size_t) {
      write_ec = e;
      write_done = true;
    });
    http::async_read(*stream, buffer, parser, [&](beast::error_code e, std::size_t) {
      read_ec = e;
      read_done = true;
      if (!write_done) {  // answered before the body was written: stop writing
        beast::error_code ignored;
        stream->socket().cancel(ignored);
      }
    });
    ioc.restart();
    ioc.run();

    if (read_ec) {
      response.error = "read: " + read_ec.message();
      if (write_ec) response.error += " (write: " + write_ec.message() + ")";
      const bool nothing_received = !parser.got_some();
      CloseStream();
      *retryable = reused && nothing_received && read_ec != beast::error::timeout;
      return response;
    }
    const auto& got = parser.get();
    response.status = static_cast<int>(got.result_int());
    for (const auto& field : got) {
      response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    response.body = got.body();
    if (!got.keep_alive() || write_ec || !write_done) CloseStream();
    return response;
  }
};

HttpClient::HttpClient(std::string host, int port) : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
}

HttpClient::~HttpClient() { impl_->CloseStream(); }

HttpResponse HttpClient::Send(const HttpRequest& request) {
  bool retryable = false;
  HttpResponse response = impl_->Attempt(request, &retryable);
  if (retryable) response = impl_->Attempt(request, &retryable);
  return response;
}

HttpResponse HttpClient::Get(const std::string& target, const HeaderList& headers) {
  HttpRequest request;
  request.method = "GET";
  request.target = target;
  request.headers = headers;
  return Send(request);
}

HttpResponse HttpClient::Delete(const std::string& target, const HeaderList& headers) {
  HttpRequest request;
  request.method = "DELETE";
  request.target = target;
  request.headers = headers;
  return Send(request);
}

HttpResponse HttpClient::Post(const std::string& target, std::string body,
                              const HeaderList& headers) {
  HttpRequest request;
  request.method = "POST";
  request.target = target;
  request.headers = headers;
  request.body = std::move(body);
  return Send(request);
}

HttpResponse HttpClient::PostJson(const std::string& target, const nlohmann::json& body,
                                  const HeaderList& headers) {
  return Post(target, body.dump(), headers);
}

void HttpClient::SetDefaultHeader(std::string name, std::string value) {
  for (auto& [key, existing] : impl_->defaults) {
    if (EqualsIgnoreCase(key, name)) {
      existing = std::move(value);
      return;
    }
  }
  impl_->defaults.emplace_back(std::move(name), std::move(value));
}

void HttpClient::Close() { impl_->CloseStream(); }

int HttpClient::connections_opened() const { return impl_->connections; }

}  // namespace loci::integration
