// A small blocking Beast client for tests that speak to the real server through sockets.
#pragma once

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <string>
#include <string_view>

namespace loci::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;
using HttpResponse = bhttp::response<bhttp::string_body>;

// A blocking client whose reads give up after `read_timeout` instead of hanging the test.
class Client {
 public:
  explicit Client(int port, milliseconds read_timeout = milliseconds(5000)) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    timeval tv{};
    tv.tv_sec = read_timeout.count() / 1000;
    tv.tv_usec = (read_timeout.count() % 1000) * 1000;
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }

  void Send(const bhttp::request<bhttp::string_body>& request) { bhttp::write(socket_, request); }

  // Writes bytes, ignoring errors (the server may close while a large upload is in progress).
  void SendRaw(std::string_view bytes) {
    beast::error_code ec;
    asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
  }

  HttpResponse Read() {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    beast::error_code ec;
    bhttp::read(socket_, buffer_, parser, ec);
    EXPECT_FALSE(ec) << ec.message();
    return parser.release();
  }

  // For answers to HEAD: a header that announces a body which does not follow.
  HttpResponse ReadHeaderOnly() {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(true);
    beast::error_code ec;
    bhttp::read(socket_, buffer_, parser, ec);
    EXPECT_FALSE(ec) << ec.message();
    return parser.release();
  }

  HttpResponse RoundTrip(const bhttp::request<bhttp::string_body>& request) {
    Send(request);
    return Read();
  }

  // True when the server has closed the connection (a read sees end of stream or a reset).
  bool SeesClose() {
    if (buffer_.size() > 0) return false;
    char byte;
    beast::error_code ec;
    socket_.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

inline bhttp::request<bhttp::string_body> MakeRequest(bhttp::verb method, std::string target,
                                                      std::string body = "",
                                                      unsigned version = 11) {
  bhttp::request<bhttp::string_body> request(method, target, version);
  request.set(bhttp::field::host, "localhost");
  if (!body.empty()) {
    request.set(bhttp::field::content_type, "application/json");
    request.body() = std::move(body);
  }
  request.prepare_payload();
  return request;
}

}  // namespace loci::http::testing
