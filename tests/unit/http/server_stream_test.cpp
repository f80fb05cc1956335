// Streamed responses (Response::stream) through the real server on a free port, with the export
// route over the fake service: chunked framing, keep-alive afterwards, HTTP/1.0 and HEAD, a
// failure mid-body, and clients that leave or stop reading.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "api_test_util.h"
#include "fake_memory_service.h"
#include "http/api.h"
#include "http/server.h"

namespace loci::http::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;
using Json = nlohmann::json;

class StreamServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.io_threads = 1;
    options.worker_threads = 2;
    options.write_timeout = milliseconds(1000);
    options.shutdown_timeout = milliseconds(3000);
    server_ = MakeApiServer(options, AuthConfig{}, service_);
    ASSERT_TRUE(server_->Start().ok());
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
  }

  void TearDown() override {
    beast::error_code ignored;
    socket_.close(ignored);
    server_->Stop();
  }

  // `pages` pages of `per_page` messages with `content_bytes` of content each.
  void Script(int pages, int per_page, std::size_t content_bytes = 20) {
    FakeExportScript& script = *service_.export_script;
    script.header.exported_at = 1'796'022'771'123;
    script.header.sessions = {{.session_id = "s1", .message_count = pages * per_page}};
    script.header.message_count = pages * per_page;
    int seq = 0;
    for (int page = 0; page < pages; ++page) {
      std::vector<model::Message> messages;
      for (int i = 0; i < per_page; ++i, ++seq) {
        model::Message message = SampleMessage("m_" + std::to_string(seq), seq + 1);
        message.content = std::string(content_bytes, 'a' + seq % 26);
        messages.push_back(std::move(message));
      }
      script.pages.push_back(std::move(messages));
    }
  }

  void Send(bhttp::verb method, const std::string& target, unsigned version = 11,
            const std::string& accept = "") {
    bhttp::request<bhttp::empty_body> request(method, target, version);
    request.set(bhttp::field::host, "localhost");
    if (!accept.empty()) request.set(bhttp::field::accept, accept);
    bhttp::write(socket_, request);
  }

  // Reads one response; `ec` tells whether it arrived whole.
  bhttp::response<bhttp::string_body> Read(beast::error_code& ec, bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(head);
    bhttp::read(socket_, buffer_, parser, ec);
    chunked_ = parser.chunked();
    return parser.release();
  }

  bhttp::response<bhttp::string_body> Read() {
    beast::error_code ec;
    auto response = Read(ec);
    EXPECT_FALSE(ec) << ec.message();
    return response;
  }

  // Waits up to 5 s for the export to be destroyed (its producer stopped).
  bool WaitForExportDestroyed() {
    for (int i = 0; i < 500 && !service_.export_script->destroyed; ++i) {
      std::this_thread::sleep_for(milliseconds(10));
    }
    return service_.export_script->destroyed;
  }

  FakeMemoryService service_;
  std::unique_ptr<Server> server_;
  asio::io_context io_;
  tcp::socket socket_{io_};
  beast::flat_buffer buffer_;
  bool chunked_ = false;
};

TEST_F(StreamServerTest, JsonExportIsChunkedCompleteAndKeepsTheConnection) {
  Script(5, 3);
  Send(bhttp::verb::get, "/memory/export/u1");
  auto response = Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_TRUE(chunked_);
  EXPECT_EQ(response[bhttp::field::content_type], "application/json");
  EXPECT_FALSE(response["X-Request-Id"].empty());
  EXPECT_TRUE(response.keep_alive());
  const Json body = Json::parse(response.body());
  EXPECT_EQ(body["user_id"], "u1");
  EXPECT_EQ(body["exported_at"], "2026-11-30T07:12:51.123Z");
  ASSERT_EQ(body["sessions"].size(), 1u);
  EXPECT_EQ(body["sessions"][0]["session_id"], "s1");
  ASSERT_EQ(body["messages"].size(), 15u);
  for (int i = 0; i < 15; ++i) EXPECT_EQ(body["messages"][i]["id"], "m_" + std::to_string(i));
  EXPECT_EQ(body["messages"][0]["metadata"], Json({{"dia_id", "D1:3"}}));
  EXPECT_TRUE(WaitForExportDestroyed());

  // The same connection serves the next request.
  Send(bhttp::verb::get, "/healthz");
  EXPECT_EQ(Read().result_int(), 200);
}

TEST_F(StreamServerTest, NdjsonWhenAcceptedOneTypedObjectPerLine) {
  Script(3, 2);
  service_.export_script->header.privacy.redact_pii = true;
  service_.export_script->audit_pages = {
      {{.seq = 4, .action = "store", .user = "ab12", .count = 6}},
      {{.seq = 9, .action = "export", .user = "ab12", .count = 6}}};
  Send(bhttp::verb::get, "/memory/export/u1", 11, "text/html, application/x-ndjson;q=0.9");
  auto response = Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_TRUE(chunked_);
  EXPECT_EQ(response[bhttp::field::content_type], "application/x-ndjson");
  std::istringstream lines(response.body());
  std::vector<Json> objects;
  for (std::string line; std::getline(lines, line);) objects.push_back(Json::parse(line));
  ASSERT_EQ(objects.size(), 1u + 1u + 6u + 1u + 2u + 1u);
  EXPECT_EQ(
      objects[0],
      Json({{"type", "user"}, {"user_id", "u1"}, {"exported_at", "2026-11-30T07:12:51.123Z"}}));
  EXPECT_EQ(objects[1]["type"], "session");
  EXPECT_EQ(objects[1]["message_count"], 6);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(objects[2 + i]["type"], "message");
    EXPECT_EQ(objects[2 + i]["id"], "m_" + std::to_string(i));
    EXPECT_EQ(objects[2 + i]["token_count"], 9);
  }
  EXPECT_EQ(objects[8]["type"], "privacy");
  EXPECT_EQ(objects[8]["redact_pii"], true);
  EXPECT_EQ(objects[9]["type"], "audit_event");
  EXPECT_EQ(objects[9]["seq"], 4);
  EXPECT_EQ(objects[10]["action"], "export");
  EXPECT_EQ(objects.back(),
            Json({{"type", "end"}, {"message_count", 6}, {"audit_event_count", 2}}));
}

TEST_F(StreamServerTest, AcceptQualityZeroOrOtherTypesGetTheDocument) {
  Script(1, 1);
  Send(bhttp::verb::get, "/memory/export/u1", 11, "application/x-ndjson;q=0, */*");
  auto response = Read();
  EXPECT_EQ(response[bhttp::field::content_type], "application/json");
  EXPECT_TRUE(Json::accept(response.body()));
}

TEST_F(StreamServerTest, Http10GetsTheBodyUntilTheConnectionCloses) {
  Script(4, 2);
  Send(bhttp::verb::get, "/memory/export/u1", 10);
  auto response = Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_FALSE(chunked_);
  EXPECT_EQ(Json::parse(response.body())["messages"].size(), 8u);
  char byte;
  beast::error_code ec;
  socket_.read_some(asio::buffer(&byte, 1), ec);
  EXPECT_EQ(ec, asio::error::eof);
}

TEST_F(StreamServerTest, HeadSendsTheHeaderOnlyAndReadsNothing) {
  Script(2, 2);
  Send(bhttp::verb::head, "/memory/export/u1");
  beast::error_code ec;
  auto head = Read(ec, /*head=*/true);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(service_.export_script->pages_read, 0);
  Send(bhttp::verb::get, "/healthz");
  EXPECT_EQ(Read().result_int(), 200);
}

TEST_F(StreamServerTest, FailureMidBodyLeavesTheBodyUnfinished) {
  Script(5, 2);
  service_.export_script->fail_at_page = 2;
  Send(bhttp::verb::get, "/memory/export/u1", 11, "application/x-ndjson");
  beast::error_code ec;
  auto response = Read(ec);
  EXPECT_TRUE(ec) << "the body ended cleanly although the export failed";
  EXPECT_EQ(response.body().find("\"end\""), std::string::npos);
  EXPECT_TRUE(WaitForExportDestroyed());
}

TEST_F(StreamServerTest, NotFoundIsAnOrdinaryErrorBeforeAnyBody) {
  service_.export_status = NotFound("no data is held about this user");
  Send(bhttp::verb::get, "/memory/export/nobody");
  auto response = Read();
  EXPECT_EQ(response.result_int(), 404);
  EXPECT_FALSE(chunked_);
  EXPECT_EQ(Json::parse(response.body())["error"]["code"], "not_found");
  Send(bhttp::verb::get, "/healthz");
  EXPECT_EQ(Read().result_int(), 200);
}

TEST_F(StreamServerTest, ClientThatLeavesStopsTheProducer) {
  constexpr int kPages = 20'000;  // 160 MB if nothing stopped it
  Script(kPages, 1, 8 * 1024);
  Send(bhttp::verb::get, "/memory/export/u1");
  std::vector<char> some(64 * 1024);
  asio::read(socket_, asio::buffer(some));
  socket_.close();
  ASSERT_TRUE(WaitForExportDestroyed());
  EXPECT_LT(service_.export_script->pages_read, kPages / 2);
  // The server goes on serving.
  tcp::socket other(io_);
  other.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
  bhttp::request<bhttp::empty_body> request(bhttp::verb::get, "/healthz", 11);
  bhttp::write(other, request);
  bhttp::response<bhttp::string_body> response;
  beast::flat_buffer buffer;
  bhttp::read(other, buffer, response);
  EXPECT_EQ(response.result_int(), 200);
}

TEST_F(StreamServerTest, ClientThatStopsReadingIsCutOffByTheWriteTimeout) {
  constexpr int kPages = 20'000;
  Script(kPages, 1, 8 * 1024);
  Send(bhttp::verb::get, "/memory/export/u1");
  // Read nothing: the socket buffers fill, the next write waits past write_timeout (1 s).
  ASSERT_TRUE(WaitForExportDestroyed());
  EXPECT_LT(service_.export_script->pages_read, kPages / 2);
}

TEST(ExportRouteTest, PassesTheCallerAndUserToTheService) {
  FakeMemoryService service;
  service.export_status = NotFound("nothing held");
  RequestHandler handler = MakeApiHandler(AuthConfig{}, service);
  ApiResult result = CallApi(handler, "GET", "/memory/export/u%2F1");
  EXPECT_EQ(result.status(), 404);
  EXPECT_EQ(ErrorCode(result), "not_found");
  EXPECT_EQ(service.last_user_id, "u/1");
  EXPECT_EQ(service.last_caller.tenant, "default");
}

}  // namespace
}  // namespace loci::http::testing
