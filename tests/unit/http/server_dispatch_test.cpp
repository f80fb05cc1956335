// Where the real server runs a request handler: on the connection's I/O thread, with a Defer
// onto the worker pool, and an exception escaping either part answered 500; and how it writes
// a shared body.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "http/server.h"
#include "test_client.h"

namespace loci::http::testing {
namespace {

// Which threads ran the handler and the work it deferred.
struct Threads {
  std::mutex mutex;
  std::thread::id handler;
  std::thread::id deferred;
};

Response TextResponse(std::string body) {
  Response response;
  response.status = 200;
  response.headers.Set("Content-Type", "text/plain");
  response.body = std::move(body);
  return response;
}

class ServerDispatchTest : public ::testing::Test {
 protected:
  void StartServer(RequestHandler handler) {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.io_threads = 1;
    options.worker_threads = 2;
    server_ = std::make_unique<Server>(options, std::move(handler));
    const Status status = server_->Start();
    ASSERT_TRUE(status.ok()) << status.ToString();
    port_ = server_->port();
  }

  std::unique_ptr<Server> server_;
  int port_ = 0;
};

TEST_F(ServerDispatchTest, HandlerAnswersOnTheIoThreadAndDefersToAWorker) {
  auto threads = std::make_shared<Threads>();
  StartServer([threads](Request request, Responder respond, const Defer& defer) {
    {
      std::lock_guard lock(threads->mutex);
      threads->handler = std::this_thread::get_id();
    }
    if (request.target == "/now") return respond(TextResponse("now"));
    defer([threads, respond] {
      {
        std::lock_guard lock(threads->mutex);
        threads->deferred = std::this_thread::get_id();
      }
      respond(TextResponse("later"));
    });
  });
  Client client(port_);
  // On one connection, answers at once and deferred ones alternate and stay in order.
  for (int i = 0; i < 3; ++i) {
    HttpResponse now = client.RoundTrip(MakeRequest(bhttp::verb::get, "/now"));
    EXPECT_EQ(now.result_int(), 200);
    EXPECT_EQ(now.body(), "now");
    EXPECT_TRUE(now.keep_alive());
    HttpResponse later = client.RoundTrip(MakeRequest(bhttp::verb::get, "/later"));
    EXPECT_EQ(later.body(), "later");
  }
  std::lock_guard lock(threads->mutex);
  EXPECT_NE(threads->handler, std::thread::id());
  EXPECT_NE(threads->deferred, std::thread::id());
  EXPECT_NE(threads->handler, threads->deferred);
  EXPECT_NE(threads->handler, std::this_thread::get_id());
}

TEST_F(ServerDispatchTest, PipelinedRequestsAnsweredAtOnceStayInOrder) {
  StartServer([](Request request, Responder respond, const Defer&) {
    respond(TextResponse(request.target));
  });
  Client client(port_);
  std::string pipelined;
  for (const char* target : {"/a", "/b", "/c"}) {
    std::ostringstream out;
    out << MakeRequest(bhttp::verb::get, target);
    pipelined += out.str();
  }
  client.SendRaw(pipelined);
  EXPECT_EQ(client.Read().body(), "/a");
  EXPECT_EQ(client.Read().body(), "/b");
  EXPECT_EQ(client.Read().body(), "/c");
}

TEST_F(ServerDispatchTest, ExceptionOnTheIoThreadIs500AndTheServerGoesOn) {
  StartServer([](Request request, Responder respond, const Defer&) {
    if (request.target == "/throw") throw std::runtime_error("secret detail");
    respond(TextResponse("fine"));
  });
  Client client(port_);
  HttpResponse failed = client.RoundTrip(MakeRequest(bhttp::verb::get, "/throw"));
  EXPECT_EQ(failed.result_int(), 500);
  EXPECT_EQ(failed.body().find("secret"), std::string::npos);
  EXPECT_EQ(client.RoundTrip(MakeRequest(bhttp::verb::get, "/ok")).body(), "fine");
}

TEST_F(ServerDispatchTest, ExceptionInDeferredWorkIs500) {
  auto ran = std::make_shared<std::atomic<int>>(0);
  StartServer([ran](Request, Responder, const Defer& defer) {
    defer([ran] {
      ++*ran;
      throw std::runtime_error("secret detail");
    });
  });
  Client client(port_);
  HttpResponse failed = client.RoundTrip(MakeRequest(bhttp::verb::get, "/work"));
  EXPECT_EQ(failed.result_int(), 500);
  EXPECT_EQ(failed.body().find("secret"), std::string::npos);
  EXPECT_EQ(ran->load(), 1);
}

TEST_F(ServerDispatchTest, SharedBodyIsSentWholeAndHeadGetsOnlyItsLength) {
  const auto shared = std::make_shared<const std::string>(std::string(20'000, 'x') + "end");
  StartServer([shared](Request, Responder respond, const Defer&) {
    Response response;
    response.shared_body = shared;
    respond(std::move(response));
  });
  Client client(port_);
  EXPECT_EQ(client.RoundTrip(MakeRequest(bhttp::verb::get, "/big")).body(), *shared);
  client.Send(MakeRequest(bhttp::verb::head, "/big"));
  HttpResponse head = client.ReadHeaderOnly();
  EXPECT_EQ(head[bhttp::field::content_length], "20003");
  // No stray body bytes followed the HEAD answer.
  EXPECT_EQ(client.RoundTrip(MakeRequest(bhttp::verb::get, "/big")).body(), *shared);
}

TEST_F(ServerDispatchTest, AnswerLargerThanTheSocketTakesAtOnceArrivesWhole) {
  // More than the socket buffers hold while the client is not reading: the write the server
  // tries at once goes only part of the way, and the rest follows asynchronously.
  std::string big(12 * 1024 * 1024, 'x');
  for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>('a' + i % 26);
  StartServer([big](Request, Responder respond, const Defer&) { respond(TextResponse(big)); });
  Client client(port_);
  client.Send(MakeRequest(bhttp::verb::get, "/big"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(client.Read().body(), big);
  EXPECT_EQ(client.RoundTrip(MakeRequest(bhttp::verb::get, "/big")).body(), big);
}

}  // namespace
}  // namespace loci::http::testing
