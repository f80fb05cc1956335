// Bad input over real HTTP: each is refused with the API's error shape and the right status,
// and the server stays up.

#include <chrono>

#include "integration/raw_connection.h"
#include "integration/test_util.h"

namespace loci::integration {
namespace {

class ErrorsTest : public ServerTest {
 protected:
  HttpResponse PostRaw(const std::string& body, const std::string& target = "/memory/store") {
    return client().Post(target, body);
  }

  HttpResponse PostStore(const json& body) { return client().PostJson("/memory/store", body); }

  // A store body whose single message is `message`.
  static json WithMessage(const json& message) {
    return {{"user_id", "u1"}, {"session_id", "s1"}, {"messages", {message}}};
  }

  // Sends raw bytes on a new connection and returns whatever comes back before the server
  // closes the connection or `timeout` passes.
  std::string RawExchange(const std::string& bytes, std::chrono::milliseconds timeout) {
    RawConnection connection(server_->host(), server_->port());
    if (!connection.connected()) return "<connect failed>";
    connection.Send(bytes);
    return connection.ReadUntil([](const std::string&) { return false; }, timeout);
  }
};

TEST_F(ErrorsTest, MalformedJson) {
  for (std::string body : {"{\"user_id\": \"u1\",", "{", "", "not json", "{\"user_id\": 'u1'}",
                           "{\"a\":1}}", "{\"user_id\":\"u1\",\"messages\":[]}garbage", "nul"}) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(IsError(PostRaw(body), 400, "invalid_argument"));
    EXPECT_TRUE(IsError(PostRaw(body, "/memory/search"), 400, "invalid_argument"));
  }
  ExpectHealthy();
}

TEST_F(ErrorsTest, BodyThatIsNotAnObject) {
  for (std::string body : {"[]", "\"text\"", "null", "42", "true"}) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(IsError(PostRaw(body), 400, "invalid_argument"));
    EXPECT_TRUE(IsError(PostRaw(body, "/memory/search"), 400, "invalid_argument"));
  }
  ExpectHealthy();
}

TEST_F(ErrorsTest, WrongTypes) {
  EXPECT_TRUE(IsError(PostStore({{"user_id", 5}, {"messages", {Message("user", "x")}}}), 400,
                      "invalid_argument", "user_id"));
  EXPECT_TRUE(IsError(PostStore({{"user_id", nullptr}, {"messages", {Message("user", "x")}}}), 400,
                      "invalid_argument", "user_id"));
  EXPECT_TRUE(IsError(
      PostStore({{"user_id", "u1"}, {"session_id", 7}, {"messages", {Message("user", "x")}}}), 400,
      "invalid_argument", "session_id"));
  EXPECT_TRUE(IsError(PostStore({{"user_id", "u1"}, {"messages", "hello"}}), 400,
                      "invalid_argument", "messages"));
  EXPECT_TRUE(IsError(PostStore({{"user_id", "u1"}, {"messages", {"hello"}}}), 400,
                      "invalid_argument", "messages[0]"));
  EXPECT_TRUE(IsError(PostStore(WithMessage({{"role", "user"}, {"content", 42}})), 400,
                      "invalid_argument", "messages[0].content"));
  EXPECT_TRUE(IsError(PostStore(WithMessage({{"role", 1}, {"content", "x"}})), 400,
                      "invalid_argument", "messages[0].role"));
  EXPECT_TRUE(IsError(PostStore(WithMessage(Message("user", "x", {{"name", 3}}))), 400,
                      "invalid_argument", "messages[0].name"));
  EXPECT_TRUE(IsError(PostStore(WithMessage(Message("user", "x", {{"idempotency_key", 3}}))), 400,
                      "invalid_argument", "messages[0].idempotency_key"));
  EXPECT_TRUE(IsError(client().PostJson("/memory/search", {{"user_id", 5}, {"query", "x"}}), 400,
                      "invalid_argument", "user_id"));
  EXPECT_TRUE(IsError(client().PostJson("/memory/search", {{"user_id", "u1"}, {"query", 5}}), 400,
                      "invalid_argument", "query"));
  ExpectHealthy();
}

TEST_F(ErrorsTest, MissingFields) {
  EXPECT_TRUE(IsError(PostStore({{"messages", {Message("user", "x")}}}), 400, "invalid_argument",
                      "user_id"));
  EXPECT_TRUE(IsError(PostStore({{"user_id", "u1"}}), 400, "invalid_argument", "messages"));
  EXPECT_TRUE(IsError(PostStore(WithMessage({{"role", "user"}})), 400, "invalid_argument",
                      "messages[0].content"));
  EXPECT_TRUE(IsError(PostStore(WithMessage({{"content", "x"}})), 400, "invalid_argument",
                      "messages[0].role"));
  EXPECT_TRUE(IsError(PostRaw("{}"), 400, "invalid_argument"));
  ExpectHealthy();
}

TEST_F(ErrorsTest, UnknownRoleHasTheDocumentedMessage) {
  for (const char* role : {"robot", "User", "", "assistant "}) {
    SCOPED_TRACE(role);
    HttpResponse response = PostStore(WithMessage(Message(role, "x")));
    ASSERT_TRUE(IsError(response, 400, "invalid_argument", "messages[0].role"));
    EXPECT_EQ(response.Json()["error"]["message"],
              "messages[0].role must be one of user, assistant, system, tool");
  }
  ExpectHealthy();
}

TEST_F(ErrorsTest, InvalidUtf8) {
  const std::string cases[] = {
      "{\"user_id\":\"u\xff"
      "1\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
      "{\"user_id\":\"u1\",\"messages\":[{\"role\":\"user\",\"content\":\"a\xc3\"}]}",
      "{\"user_id\":\"u1\",\"messages\":[{\"role\":\"user\",\"content\":\"\xc0\xaf\"}]}",
      "{\"user_id\":\"u1\",\"messages\":[{\"role\":\"user\",\"content\":\"\xed\xa0\x80\"}]}",
      "{\"user_id\":\"u1\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}",
      "{\"user_id\":\"u1\",\"messages\":[{\"role\":\"user\",\"content\":\"x\","
      "\"metadata\":{\"k\xfe\":1}}]}",
  };
  for (const std::string& body : cases) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(IsError(PostRaw(body), 400, "invalid_argument"));
  }
  EXPECT_TRUE(
      IsError(client().Post("/memory/search",
                            "{\"user_id\":\"u1\",\"query\":\"caf\xe9\",\"mode\":\"fulltext\"}"),
              400, "invalid_argument"));
  // Percent-encoded invalid UTF-8 in the path.
  EXPECT_TRUE(IsError(client().Get("/memory/context/u%FF1"), 400, "invalid_argument", "user_id"));
  EXPECT_TRUE(client().Get("/memory/sessions/u1").status == 200);
  // Nothing was stored.
  EXPECT_TRUE(client().Get("/memory/sessions/u1").Json()["sessions"].empty());
  ExpectHealthy();
}

TEST_F(ErrorsTest, DeeplyNestedJsonIsRefusedQuickly) {
  for (const char* open_close : {"[]", "{}"}) {
    std::string body = "{\"user_id\":\"u1\",\"messages\":";
    const int depth = 100000;
    for (int i = 0; i < depth; ++i) {
      if (open_close[0] == '[') {
        body += "[";
      } else {
        body += "{\"a\":";
      }
    }
    body += open_close[0] == '[' ? "" : "1";
    for (int i = 0; i < depth; ++i) body += open_close[1];
    body += "}";
    SCOPED_TRACE(std::string(open_close) + ", " + std::to_string(body.size()) + " bytes");
    auto start = std::chrono::steady_clock::now();
    HttpRequest request;
    request.method = "POST";
    request.target = "/memory/store";
    request.body = body;
    request.timeout = std::chrono::seconds(10);
    HttpResponse response = client().Send(request);
    auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(IsError(response, 400, "invalid_argument"));
    EXPECT_LT(elapsed, std::chrono::seconds(5));
    ExpectHealthy();
  }
}

TEST_F(ErrorsTest, NestingLimitIsSixtyFourLevels) {
  auto nested = [](int levels) {
    json value = "leaf";
    for (int i = 0; i < levels; ++i) value = json{{"k", value}};
    return value;
  };
  // Body (1) > messages (2) > message (3) > metadata (4) > ... : 70 extra levels is too deep.
  EXPECT_TRUE(IsError(PostStore(WithMessage(Message("user", "x", {{"metadata", nested(70)}}))), 400,
                      "invalid_argument"));
  HttpResponse shallow = PostStore(WithMessage(Message("user", "x", {{"metadata", nested(20)}})));
  EXPECT_EQ(shallow.status, 201) << shallow.Describe();
  ExpectHealthy();
}

TEST_F(ErrorsTest, OversizeBodyIs413) {
  std::string filler(2 * 1024 * 1024, 'a');
  std::string body =
      "{\"user_id\":\"u1\",\"messages\":[{\"role\":\"user\",\"content\":\"" + filler + "\"}]}";
  HttpResponse response = client().Post("/memory/store", body);
  EXPECT_TRUE(IsError(response, 413, "payload_too_large"));
  ExpectHealthy();
  // The same client goes on working (reconnecting if the server closed the connection).
  Store("u1", "s1", {Message("user", "after the big one")});
  EXPECT_EQ(SessionMessages("u1", "s1").size(), 1u);
}

TEST_F(ErrorsTest, WrongContentTypeIs415) {
  std::string body = WithMessage(Message("user", "x")).dump();
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x", "application/jsonx"}) {
    SCOPED_TRACE(type);
    HttpRequest request;
    request.method = "POST";
    request.target = "/memory/store";
    request.body = body;
    request.content_type = type;
    EXPECT_TRUE(IsError(client().Send(request), 415, "unsupported_media_type"));
  }
  HttpRequest without;
  without.method = "POST";
  without.target = "/memory/store";
  without.body = body;
  without.content_type = "";
  EXPECT_TRUE(IsError(client().Send(without), 415, "unsupported_media_type"));

  HttpRequest with_charset = without;
  with_charset.content_type = "application/json; charset=utf-8";
  HttpResponse ok = client().Send(with_charset);
  EXPECT_EQ(ok.status, 201) << ok.Describe();
  EXPECT_EQ(SessionMessages("u1", "s1").size(), 1u);
  ExpectHealthy();
}

TEST_F(ErrorsTest, UnknownRouteIs404) {
  for (const char* target : {"/", "/nope", "/memory", "/memory/stor", "/memory/store/extra",
                             "/memory/context", "/memory/context/", "/memory/user/",
                             "/memory/session/u1", "/healthz/x", "/memory/search/x"}) {
    SCOPED_TRACE(target);
    HttpResponse response = client().Get(target);
    EXPECT_TRUE(IsError(response, 404, "not_found") || IsError(response, 400, "invalid_argument") ||
                (response.status == 405 && response.Json().contains("error")))
        << response.Describe();
  }
  EXPECT_TRUE(IsError(client().Get("/nope"), 404, "not_found"));
  EXPECT_TRUE(IsError(client().Post("/nope", "{}"), 404, "not_found"));
  ExpectHealthy();
}

TEST_F(ErrorsTest, WrongMethodIs405) {
  struct Case {
    const char* method;
    const char* target;
  };
  for (Case c :
       {Case{"GET", "/memory/store"}, Case{"PUT", "/memory/store"},
        Case{"DELETE", "/memory/context/u1"}, Case{"POST", "/memory/context/u1"},
        Case{"GET", "/memory/search"}, Case{"GET", "/memory/user/u1"}, Case{"POST", "/healthz"},
        Case{"PATCH", "/memory/sessions/u1"}, Case{"DELETE", "/memory/sessions/u1"}}) {
    SCOPED_TRACE(std::string(c.method) + " " + c.target);
    HttpRequest request;
    request.method = c.method;
    request.target = c.target;
    HttpResponse response = client().Send(request);
    ASSERT_EQ(response.status, 405) << response.Describe();
    json body = response.Json();
    EXPECT_TRUE(body.contains("error") && body["error"]["code"].is_string()) << response.Describe();
    EXPECT_TRUE(response.Header("Allow").has_value()) << "405 should say what is allowed";
  }
  ExpectHealthy();
}

TEST_F(ErrorsTest, BadIdentifiers) {
  const std::string long_id(257, 'u');
  const std::string max_id(256, 'u');
  for (std::string bad : {std::string(""), std::string("u\x01"), std::string("tab\there"),
                          std::string("new\nline"), std::string("del\x7f"), long_id}) {
    SCOPED_TRACE(json(bad).dump());
    EXPECT_TRUE(IsError(PostStore({{"user_id", bad}, {"messages", {Message("user", "x")}}}), 400,
                        "invalid_argument", "user_id"));
    EXPECT_TRUE(IsError(
        PostStore({{"user_id", "u1"}, {"session_id", bad}, {"messages", {Message("user", "x")}}}),
        400, "invalid_argument", "session_id"));
    EXPECT_TRUE(IsError(client().PostJson("/memory/search",
                                          {{"user_id", bad}, {"query", "x"}, {"mode", "fulltext"}}),
                        400, "invalid_argument", "user_id"));
    if (!bad.empty()) {
      EXPECT_TRUE(IsError(client().Get("/memory/context/" + Encode(bad)), 400, "invalid_argument",
                          "user_id"));
      EXPECT_TRUE(IsError(client().Delete("/memory/user/" + Encode(bad)), 400, "invalid_argument",
                          "user_id"));
      EXPECT_TRUE(IsError(client().Get("/memory/sessions/" + Encode(bad)), 400, "invalid_argument",
                          "user_id"));
    }
  }
  HttpResponse ok = PostStore({{"user_id", max_id}, {"messages", {Message("user", "x")}}});
  EXPECT_EQ(ok.status, 201) << "256 bytes is allowed: " << ok.Describe();
  EXPECT_TRUE(client().Get("/memory/sessions/u1").Json()["sessions"].empty());
  ExpectHealthy();
}

TEST_F(ErrorsTest, ContentSizeLimit) {
  HttpResponse too_big = PostStore(WithMessage(Message("user", std::string(64 * 1024 + 1, 'x'))));
  EXPECT_TRUE(IsError(too_big, 400, "invalid_argument", "messages[0].content"));
  HttpResponse just_fits = PostStore(WithMessage(Message("user", std::string(64 * 1024, 'x'))));
  EXPECT_EQ(just_fits.status, 201) << just_fits.Describe();
  ExpectHealthy();
}

TEST_F(ErrorsTest, BadMetadata) {
  for (json metadata : {json::array({1}), json("topic"), json(3)}) {
    SCOPED_TRACE(metadata.dump());
    EXPECT_TRUE(IsError(PostStore(WithMessage(Message("user", "x", {{"metadata", metadata}}))), 400,
                        "invalid_argument", "messages[0].metadata"));
  }
  json big = {{"blob", std::string(17 * 1024, 'm')}};
  EXPECT_TRUE(IsError(PostStore(WithMessage(Message("user", "x", {{"metadata", big}}))), 400,
                      "invalid_argument", "messages[0].metadata"));
  ExpectHealthy();
}

TEST_F(ErrorsTest, BadCreatedAt) {
  for (json created_at :
       {json("yesterday"), json("2023-13-01T00:00:00Z"), json("2023-05-08 13:56:00"),
        json("2023-05-08"), json("2023-02-30T00:00:00Z"), json("2023-05-08T25:00:00Z"),
        json(1683554160), json(""), json("2023-05-08T13:56:00.000Zjunk")}) {
    SCOPED_TRACE(created_at.dump());
    EXPECT_TRUE(IsError(PostStore(WithMessage(Message("user", "x", {{"created_at", created_at}}))),
                        400, "invalid_argument", "messages[0].created_at"));
  }
  EXPECT_TRUE(client().Get("/memory/sessions/u1").Json()["sessions"].empty());
  ExpectHealthy();
}

TEST_F(ErrorsTest, DuplicateIdempotencyKeyInsideOneRequest) {
  HttpResponse response = PostStore({{"user_id", "u1"},
                                     {"messages",
                                      {Message("user", "a", {{"idempotency_key", "same"}}),
                                       Message("user", "b", {{"idempotency_key", "same"}})}}});
  EXPECT_TRUE(IsError(response, 400, "invalid_argument") || response.status == 201)
      << response.Describe();
  ExpectHealthy();
}

TEST_F(ErrorsTest, RequestIdOnEveryResponse) {
  std::vector<HttpResponse> responses = {
      client().Get("/healthz"),
      client().Get("/nope"),
      client().Post("/memory/store", "{"),
      client().Get("/memory/context/u1"),
      client().PostJson("/memory/store", WithMessage(Message("user", "x"))),
  };
  for (const HttpResponse& response : responses) {
    auto id = response.Header("X-Request-Id");
    ASSERT_TRUE(id.has_value()) << response.Describe();
    EXPECT_FALSE(id->empty());
  }
  EXPECT_NE(responses[0].Header("X-Request-Id"), responses[1].Header("X-Request-Id"));

  for (const char* target : {"/healthz", "/nope", "/memory/context/u1"}) {
    HttpResponse echoed = client().Get(target, {{"X-Request-Id", "my-request-17"}});
    EXPECT_EQ(echoed.Header("X-Request-Id").value_or(""), "my-request-17") << target;
  }
  HttpResponse bad = client().Post("/memory/store", "{", {{"X-Request-Id", "bad-request-1"}});
  EXPECT_EQ(bad.Header("X-Request-Id").value_or(""), "bad-request-1");
  ExpectHealthy();
}

TEST_F(ErrorsTest, GarbageOnTheWire) {
  for (std::string bytes :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
        std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11),
        std::string("POST /memory/store HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
        std::string("POST /memory/store HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{")}) {
    std::string reply = RawExchange(bytes, std::chrono::seconds(3));
    if (!reply.empty()) {
      EXPECT_EQ(reply.rfind("HTTP/1.1 4", 0), 0u) << reply;
    }
    ExpectHealthy();
  }
}

}  // namespace
}  // namespace loci::integration
