// The real server on a free port, with the API handler over the fake service, spoken to through
// real sockets by a small Beast client.
#include "http/server.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "fake_memory_service.h"
#include "http/api.h"
#include "test_client.h"

namespace loci::http::testing {
namespace {

using Clock = std::chrono::steady_clock;

const char kStoreBody[] = R"({"user_id": "u1", "messages": [{"role": "user", "content": "hi"}]})";

class ServerTest : public ::testing::Test {
 protected:
  static ServerOptions TestOptions() {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.io_threads = 1;
    options.worker_threads = 2;
    options.read_timeout = milliseconds(300);
    options.write_timeout = milliseconds(1000);
    options.idle_timeout = milliseconds(2000);
    options.shutdown_timeout = milliseconds(3000);
    return options;
  }

  void StartServer(const ServerOptions& options = TestOptions()) {
    server_ = MakeApiServer(options, AuthConfig{}, service_);
    const Status status = server_->Start();
    ASSERT_TRUE(status.ok()) << status.ToString();
    port_ = server_->port();
    ASSERT_GT(port_, 0);
  }

  FakeMemoryService service_;
  std::unique_ptr<Server> server_;
  int port_ = 0;
};

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  Client client(port_);
  for (int i = 0; i < 3; ++i) {
    HttpResponse response = client.RoundTrip(MakeRequest(bhttp::verb::get, "/healthz"));
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_TRUE(response.keep_alive());
    EXPECT_EQ(response[bhttp::field::content_type], "application/json");
    EXPECT_FALSE(response["X-Request-Id"].empty());
    response = client.RoundTrip(MakeRequest(bhttp::verb::post, "/memory/store", kStoreBody));
    EXPECT_EQ(response.result_int(), 201) << response.body();
  }
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  Client client(port_);
  client.SendRaw(
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: one\r\n\r\n"
      "GET /nope HTTP/1.1\r\nHost: x\r\nX-Request-Id: two\r\n\r\n"
      "DELETE /memory/user/u1 HTTP/1.1\r\nHost: x\r\nX-Request-Id: three\r\n\r\n");
  HttpResponse first = client.Read();
  HttpResponse second = client.Read();
  HttpResponse third = client.Read();
  EXPECT_EQ(first.result_int(), 200);
  EXPECT_EQ(first["X-Request-Id"], "one");
  EXPECT_EQ(second.result_int(), 404);
  EXPECT_EQ(second["X-Request-Id"], "two");
  EXPECT_EQ(third.result_int(), 200);
  EXPECT_EQ(third["X-Request-Id"], "three");
}

TEST_F(ServerTest, Http10ClosesAfterTheResponse) {
  StartServer();
  Client client(port_);
  HttpResponse response = client.RoundTrip(MakeRequest(bhttp::verb::get, "/healthz", "", 10));
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.version(), 10u);
  EXPECT_TRUE(client.SeesClose());
}

TEST_F(ServerTest, HeadAnswersWithoutABodyAndKeepsFraming) {
  StartServer();
  Client client(port_);
  client.Send(MakeRequest(bhttp::verb::head, "/healthz"));
  HttpResponse head = client.ReadHeaderOnly();
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_NE(head[bhttp::field::content_length], "0");  // the GET body's length, not the body
  // The next response on the connection parses cleanly: no stray body bytes came before it.
  EXPECT_EQ(client.RoundTrip(MakeRequest(bhttp::verb::get, "/healthz")).result_int(), 200);
}

TEST_F(ServerTest, OversizedBodyIs413ThenClose) {
  StartServer();
  Client client(port_);
  const std::string body(2 * 1024 * 1024, 'x');
  client.SendRaw(
      "POST /memory/store HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "X-Request-Id: big-one\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n");
  client.SendRaw(body);
  HttpResponse response = client.Read();
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_NE(response.body().find(R"("code":"payload_too_large")"), std::string::npos);
  EXPECT_EQ(response["X-Request-Id"], "big-one");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.SeesClose());
  EXPECT_FALSE(service_.last_store.has_value());
}

TEST_F(ServerTest, OversizedChunkedBodyIs413) {
  StartServer();
  Client client(port_);
  client.SendRaw(
      "POST /memory/store HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n");
  const std::string chunk(256 * 1024, 'x');
  char size_line[32];
  std::snprintf(size_line, sizeof(size_line), "%zx\r\n", chunk.size());
  for (int i = 0; i < 8; ++i) client.SendRaw(std::string(size_line) + chunk + "\r\n");
  EXPECT_EQ(client.Read().result_int(), 413);
}

TEST_F(ServerTest, OversizedHeaderIs431) {
  StartServer();
  Client client(port_);
  client.SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(20'000, 'a') +
                 "\r\n\r\n");
  HttpResponse response = client.Read();
  EXPECT_EQ(response.result_int(), 431);
  EXPECT_NE(response.body().find(R"("code":"header_too_large")"), std::string::npos);
  EXPECT_FALSE(response["X-Request-Id"].empty());
}

TEST_F(ServerTest, MalformedRequestIs400ThenClose) {
  StartServer();
  Client client(port_);
  client.SendRaw("THIS IS NOT HTTP\r\n\r\n");
  HttpResponse response = client.Read();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_NE(response.body().find(R"("code":"invalid_argument")"), std::string::npos);
  EXPECT_TRUE(client.SeesClose());
}

TEST_F(ServerTest, SlowClientIsDroppedWithoutBlockingOthers) {
  ServerOptions options = TestOptions();
  options.worker_threads = 1;
  StartServer(options);
  Client slow(port_);
  slow.SendRaw("GET /healthz HTTP/1.1\r\nHo");  // ...and stalls
  const auto start = Clock::now();

  Client other(port_);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(other.RoundTrip(MakeRequest(bhttp::verb::get, "/healthz")).result_int(), 200);
  }
  EXPECT_LT(Clock::now() - start, milliseconds(250));  // served while the slow one stalls

  EXPECT_TRUE(slow.SeesClose());
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, milliseconds(250));   // the read timeout, not before
  EXPECT_LT(waited, milliseconds(2000));  // and not much after
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions options = TestOptions();
  options.idle_timeout = milliseconds(200);
  StartServer(options);
  Client client(port_);
  EXPECT_EQ(client.RoundTrip(MakeRequest(bhttp::verb::get, "/healthz")).result_int(), 200);
  const auto start = Clock::now();
  EXPECT_TRUE(client.SeesClose());
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
}

TEST_F(ServerTest, AnswersFromAnotherThreadReachTheClient) {
  service_.store_on_other_thread = true;
  StartServer();
  Client client(port_);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        client.RoundTrip(MakeRequest(bhttp::verb::post, "/memory/store", kStoreBody)).result_int(),
        201);
  }
}

TEST_F(ServerTest, ExpectContinueGetsAnInterimResponse) {
  StartServer();
  Client client(port_);
  const std::string body = kStoreBody;
  client.SendRaw(
      "POST /memory/store HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n");
  HttpResponse interim = client.Read();
  EXPECT_EQ(interim.result_int(), 100);
  client.SendRaw(body);
  EXPECT_EQ(client.Read().result_int(), 201);
}

TEST_F(ServerTest, RequestArrivingInPiecesIsAnswered) {
  StartServer();
  Client client(port_);
  const std::string body = kStoreBody;
  const std::string request =
      "POST /memory/store HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  // Cut inside the header, then inside the body: each piece is read before the next is sent.
  const std::size_t in_header = 20;
  const std::size_t in_body = request.size() - body.size() / 2;
  client.SendRaw(request.substr(0, in_header));
  std::this_thread::sleep_for(milliseconds(30));
  client.SendRaw(request.substr(in_header, in_body - in_header));
  std::this_thread::sleep_for(milliseconds(30));
  client.SendRaw(request.substr(in_body));
  EXPECT_EQ(client.Read().result_int(), 201);
  // The connection serves the next request as usual.
  EXPECT_EQ(
      client.RoundTrip(MakeRequest(bhttp::verb::post, "/memory/store", kStoreBody)).result_int(),
      201);
}

TEST_F(ServerTest, ConnectionsPastTheLimitGet503) {
  ServerOptions options = TestOptions();
  options.max_connections = 1;
  StartServer(options);
  Client first(port_);
  EXPECT_EQ(first.RoundTrip(MakeRequest(bhttp::verb::get, "/healthz")).result_int(), 200);
  Client second(port_);
  HttpResponse response = second.Read();
  EXPECT_EQ(response.result_int(), 503);
  EXPECT_NE(response.body().find(R"("code":"unavailable")"), std::string::npos);
}

TEST_F(ServerTest, GracefulStopLetsInFlightRequestFinish) {
  std::promise<void> entered;
  service_.on_context = [&entered] {
    entered.set_value();
    std::this_thread::sleep_for(milliseconds(400));
  };
  StartServer();
  Client idle(port_);
  EXPECT_EQ(idle.RoundTrip(MakeRequest(bhttp::verb::get, "/healthz")).result_int(), 200);
  Client busy(port_);
  busy.Send(MakeRequest(bhttp::verb::get, "/memory/context/u1"));
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);

  const auto start = Clock::now();
  std::future<void> stopped = std::async(std::launch::async, [this] { server_->Stop(); });
  // The idle connection closes at once; the busy one gets its answer, marked as the last.
  EXPECT_TRUE(idle.SeesClose());
  HttpResponse response = busy.Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_FALSE(response.keep_alive());
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_LT(Clock::now() - start, milliseconds(3000));  // well before the shutdown timeout
  EXPECT_TRUE(busy.SeesClose());

  // No longer accepting.
  asio::io_context io;
  tcp::socket socket(io);
  beast::error_code ec;
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
  EXPECT_TRUE(ec);
}

TEST_F(ServerTest, StopIsBoundedWhenAHandlerNeverFinishes) {
  std::promise<void> entered;
  service_.on_context = [&entered] {
    entered.set_value();
    std::this_thread::sleep_for(milliseconds(1500));
  };
  ServerOptions options = TestOptions();
  options.shutdown_timeout = milliseconds(200);
  StartServer(options);
  Client busy(port_);
  busy.Send(MakeRequest(bhttp::verb::get, "/memory/context/u1"));
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
  server_->Stop();  // waits 200 ms, then for the running handler; its late answer is dropped
  EXPECT_TRUE(busy.SeesClose());
}

TEST_F(ServerTest, BadListenAddressIsRefused) {
  ServerOptions options = TestOptions();
  options.listen = "no-port-here";
  Server server(options, [](Request, Responder, const Defer&) {});
  EXPECT_EQ(server.Start().code(), StatusCode::kInvalidArgument);
}

TEST_F(ServerTest, PortInUseIsUnavailable) {
  StartServer();
  ServerOptions options = TestOptions();
  options.listen = "127.0.0.1:" + std::to_string(port_);
  Server second(options, [](Request, Responder, const Defer&) {});
  EXPECT_EQ(second.Start().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace loci::http::testing
