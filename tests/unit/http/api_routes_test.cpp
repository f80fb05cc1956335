// The GET and DELETE routes, health and meta routes, and the pipeline around every route
// (404/405, auth, request ids, the catch-all), through the whole API handler.
#include <gtest/gtest.h>

#include "api_test_util.h"
#include "fake_memory_service.h"

namespace loci::http::testing {
namespace {

using nlohmann::json;

class ApiRoutesTest : public ::testing::Test {
 protected:
  ApiResult Get(std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return CallApi(handler_, "GET", std::move(target), "", std::move(headers));
  }
  ApiResult Delete(std::string target) { return CallApi(handler_, "DELETE", std::move(target)); }

  FakeMemoryService service_;
  RequestHandler handler_ = MakeApiHandler(AuthConfig{}, service_);
};

TEST_F(ApiRoutesTest, ContextPassesParametersAndAnswersEveryField) {
  const ApiResult result =
      Get("/memory/context/u%201?session_id=s1&max_messages=5&max_tokens=300&query=where+to");
  ASSERT_EQ(result.status(), 200) << result.response.body;
  const service::ContextQuery& query = *service_.last_context;
  EXPECT_EQ(query.user_id, "u 1");
  EXPECT_EQ(query.session_id, "s1");
  EXPECT_EQ(query.max_messages, 5);
  EXPECT_EQ(query.max_tokens, 300);
  EXPECT_EQ(query.query, "where to");
  EXPECT_EQ(result.body, json::parse(R"({"user_id": "", "session_id": null, "messages": [],
      "summary": null, "preferences": [], "relevant": [], "token_count": 0, "truncated": false,
      "prompt": ""})"));
}

TEST_F(ApiRoutesTest, ContextDefaultsAreTheServices) {
  ASSERT_EQ(Get("/memory/context/u1").status(), 200);
  const service::ContextQuery& query = *service_.last_context;
  EXPECT_FALSE(query.session_id || query.max_messages || query.max_tokens || query.query);
}

TEST_F(ApiRoutesTest, ContextFullPack) {
  service::ContextPack pack;
  pack.user_id = "u1";
  pack.session_id = "s1";
  pack.messages = {SampleMessage("m_2", 2)};
  pack.summary = service::Summary{"They talked about Lisbon.", "m_1", 120};
  pack.preferences = {{"response_length",
                       "concise",
                       "style",
                       0.86,
                       model::PreferenceSource::kInferred,
                       {"m_1"},
                       0}};
  pack.relevant = {{SampleMessage("m_1", 1), 0.71, {"ignored"}}};
  pack.token_count = 1830;
  pack.truncated = true;
  pack.prompt = "…";
  service_.context_result = pack;
  const ApiResult result = Get("/memory/context/u1");
  ASSERT_EQ(result.status(), 200);
  EXPECT_EQ(result.body["summary"], json::parse(R"({"text": "They talked about Lisbon.",
      "covers_until": "m_1", "message_count": 120})"));
  EXPECT_EQ(result.body["preferences"], json::parse(R"([{"key": "response_length",
      "value": "concise", "category": "style", "confidence": 0.86, "source": "inferred",
      "evidence": ["m_1"], "updated_at": "1970-01-01T00:00:00.000Z"}])"));
  EXPECT_EQ(result.body["relevant"][0]["score"], 0.71);
  EXPECT_FALSE(result.body["relevant"][0].contains("highlights"));
  EXPECT_EQ(result.body["relevant"][0]["message"]["id"], "m_1");
  EXPECT_EQ(result.body["messages"][0]["created_at"], "2026-11-30T07:12:51.123Z");
  EXPECT_EQ(result.body["token_count"], 1830);
  EXPECT_EQ(result.body["truncated"], true);
}

TEST_F(ApiRoutesTest, ContextValidatesIntegers) {
  for (const char* query :
       {"max_messages=0", "max_messages=1001", "max_messages=x", "max_tokens=-5",
        "max_tokens=1000001", "max_tokens=1.5", "max_tokens=1&max_tokens=2", "session_id=%zz"}) {
    const ApiResult result = Get(std::string("/memory/context/u1?") + query);
    EXPECT_EQ(result.status(), 400) << query;
    EXPECT_EQ(ErrorCode(result), "invalid_argument");
    EXPECT_FALSE(ErrorField(result).empty()) << query;
  }
}

TEST_F(ApiRoutesTest, CorruptStoredMetadataIs500WithoutDetail) {
  model::Message broken = SampleMessage("m_1", 1);
  broken.metadata_json = "{not json";
  service::ContextPack pack;
  pack.messages = {broken};
  service_.context_result = pack;
  const ApiResult result = Get("/memory/context/u1");
  EXPECT_EQ(result.status(), 500);
  EXPECT_EQ(result.response.body.find("metadata"), std::string::npos);
}

TEST_F(ApiRoutesTest, StoredMetadataThatIsNotAnObjectIs500) {
  for (const char* metadata : {"", "{", "}", "[]", "null", "\"{}\"", " {}"}) {
    model::Message broken = SampleMessage("m_1", 1);
    broken.metadata_json = metadata;
    service::ContextPack pack;
    pack.messages = {broken};
    service_.context_result = pack;
    EXPECT_EQ(Get("/memory/context/u1").status(), 500) << metadata;
  }
}

TEST_F(ApiRoutesTest, MessageObjectKeepsApiOrderAndEmbedsStoredMetadata) {
  model::Message message = SampleMessage("m_1", 1);
  message.name = "Caroline";
  message.metadata_json = R"({"dia_id":"D1:3","n":[1,2.5,{"x":null}]})";
  service::ContextPack pack;
  pack.messages = {message};
  service_.context_result = pack;
  const ApiResult result = Get("/memory/context/u1");
  ASSERT_EQ(result.status(), 200);
  EXPECT_NE(
      result.response.body.find(
          R"({"id":"m_1","user_id":"u1","session_id":"s1","role":"user","name":"Caroline",)"
          R"("content":"I moved to Lisbon last spring.","created_at":"2026-11-30T07:12:51.123Z",)"
          R"("metadata":{"dia_id":"D1:3","n":[1,2.5,{"x":null}]},"token_count":9})"),
      std::string::npos)
      << result.response.body;
}

TEST_F(ApiRoutesTest, EraseUser) {
  service_.erase_user_result = service::UserErasureResult{"", 412, 3, 7, true};
  const ApiResult result = Delete("/memory/user/u1");
  ASSERT_EQ(result.status(), 200);
  EXPECT_EQ(service_.last_user_id, "u1");
  EXPECT_EQ(result.body, json::parse(R"({"user_id": "u1", "deleted": {"messages": 412,
      "sessions": 3, "preferences": 7}, "key_destroyed": true})"));
}

TEST_F(ApiRoutesTest, EraseSessionAndMessage) {
  service_.erase_session_result = std::int64_t{12};
  ApiResult result = Delete("/memory/session/u1/s%2F1");
  ASSERT_EQ(result.status(), 200);
  EXPECT_EQ(service_.last_session_id, "s/1");
  EXPECT_EQ(result.body, json::parse(R"({"user_id": "u1", "session_id": "s/1",
      "deleted": {"messages": 12}})"));

  result = Delete("/memory/message/u1/m_9");
  ASSERT_EQ(result.status(), 200);
  EXPECT_EQ(result.body, json::parse(R"({"user_id": "u1", "message_id": "m_9", "deleted": true})"));
  service_.erase_message_status = NotFound("no such message");
  result = Delete("/memory/message/u1/m_9");
  EXPECT_EQ(result.status(), 404);
  EXPECT_EQ(ErrorCode(result), "not_found");
}

TEST_F(ApiRoutesTest, Sessions) {
  service_.sessions_result =
      std::vector<model::SessionInfo>{{"s1", 4, 1'796'022'771'123, 1'796'022'771'124}};
  const ApiResult result = Get("/memory/sessions/u1");
  ASSERT_EQ(result.status(), 200);
  EXPECT_EQ(result.body, json::parse(R"({"user_id": "u1", "sessions": [{"session_id": "s1",
      "message_count": 4, "first_at": "2026-11-30T07:12:51.123Z",
      "last_at": "2026-11-30T07:12:51.124Z"}]})"));
}

TEST_F(ApiRoutesTest, SessionPages) {
  service_.page_result =
      std::vector<model::Message>{SampleMessage("m_3", 3), SampleMessage("m_4", 4)};
  ApiResult result = Get("/memory/session/u1/s1?limit=2&before=m_5");
  ASSERT_EQ(result.status(), 200);
  EXPECT_EQ(service_.last_page->limit, 2);
  EXPECT_EQ(service_.last_page->before, "m_5");
  EXPECT_EQ(result.body["next_before"], "m_3");  // a full page: older ones may follow
  EXPECT_EQ(result.body["messages"].size(), 2u);
  EXPECT_EQ(result.body["session_id"], "s1");

  result = Get("/memory/session/u1/s1");
  EXPECT_EQ(service_.last_page->limit, 50);
  EXPECT_FALSE(service_.last_page->before.has_value());
  EXPECT_TRUE(result.body["next_before"].is_null());  // a short page is the last

  EXPECT_EQ(ErrorField(Get("/memory/session/u1/s1?limit=0")), "limit");
  EXPECT_EQ(ErrorField(Get("/memory/session/u1/s1?before=")), "before");
}

TEST_F(ApiRoutesTest, HealthAndReadiness) {
  ApiResult result = Get("/healthz");
  EXPECT_EQ(result.status(), 200);
  EXPECT_EQ(result.body, json::parse(R"({"status": "ok"})"));
  result = Get("/readyz");
  EXPECT_EQ(result.body, json::parse(R"({"status": "ready", "components": {}})"));
  service_.components = {{.name = "semantic_search", .ok = false, .detail = "no vectors file"}};
  result = Get("/readyz");
  EXPECT_EQ(result.status(), 200);  // an optional part that does not work leaves it ready
  EXPECT_EQ(result.body["components"]["semantic_search"],
            json::parse(R"({"status": "unavailable", "detail": "no vectors file"})"));
  service_.ready = Unavailable("sqlite: cannot open /secret/path");
  result = Get("/readyz");
  EXPECT_EQ(result.status(), 503);
  EXPECT_EQ(ErrorCode(result), "unavailable");
  EXPECT_EQ(result.response.body.find("secret"), std::string::npos);
}

TEST_F(ApiRoutesTest, MetricsAreLabelledByPattern) {
  ASSERT_EQ(Get("/memory/context/alice-secret-id").status(), 200);
  Get("/nope");
  const ApiResult result = Get("/metrics");
  ASSERT_EQ(result.status(), 200);
  EXPECT_EQ(result.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = result.response.body;
  const std::string context_labels = R"x(method="GET",route="/memory/context/{user_id}")x";
  EXPECT_NE(text.find("loci_http_requests_total{" + context_labels + ",status=\"2xx\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"x(route="(unmatched)",status="4xx"} 1)x"), std::string::npos);
  EXPECT_NE(text.find("loci_http_request_duration_seconds_count{" + context_labels + "} 1"),
            std::string::npos);
  EXPECT_NE(text.find(R"x(le="+Inf"})x"), std::string::npos);
  EXPECT_EQ(text.find("alice"), std::string::npos);
}

TEST_F(ApiRoutesTest, OpenApiDocumentDescribesTheRoutes) {
  const ApiResult result = Get("/openapi.json");
  ASSERT_EQ(result.status(), 200);
  ASSERT_TRUE(result.body.is_object()) << "not JSON";
  EXPECT_EQ(result.body["openapi"], "3.1.0");
  const json& paths = result.body["paths"];
  for (const char* path :
       {"/memory/store", "/memory/context/{user_id}", "/memory/search", "/memory/user/{user_id}",
        "/memory/sessions/{user_id}", "/memory/session/{user_id}/{session_id}",
        "/memory/message/{user_id}/{message_id}", "/memory/export/{user_id}", "/healthz", "/readyz",
        "/metrics", "/openapi.json"}) {
    EXPECT_TRUE(paths.contains(path)) << path;
  }
}

TEST_F(ApiRoutesTest, UnknownPathIs404AndWrongMethodIs405) {
  ApiResult result = Get("/memory/nothing");
  EXPECT_EQ(result.status(), 404);
  EXPECT_EQ(ErrorCode(result), "not_found");
  result = CallApi(handler_, "PUT", "/memory/user/u1");
  EXPECT_EQ(result.status(), 405);
  EXPECT_EQ(ErrorCode(result), "method_not_allowed");
  EXPECT_EQ(result.header("Allow"), "DELETE");
  EXPECT_FALSE(result.header("X-Request-Id").empty());
}

TEST_F(ApiRoutesTest, BadPercentEncodingInPathIs400) {
  const ApiResult result = Get("/memory/context/bad%G0");
  EXPECT_EQ(result.status(), 400);
  EXPECT_EQ(ErrorField(result), "user_id");
}

TEST_F(ApiRoutesTest, RequestIdIsEchoedOrMade) {
  EXPECT_EQ(Get("/healthz", {{"X-Request-Id", "trace-42"}}).header("X-Request-Id"), "trace-42");
  const std::string made =
      Get("/healthz", {{"X-Request-Id", std::string(200, 'a')}}).header("X-Request-Id");
  EXPECT_EQ(made.rfind("req_", 0), 0u);
  EXPECT_EQ(Get("/nope").header("X-Request-Id").rfind("req_", 0), 0u);
}

TEST_F(ApiRoutesTest, HandlerExceptionIs500WithRequestIdOnly) {
  service_.throw_in_context = true;
  const ApiResult result = Get("/memory/context/u1", {{"X-Request-Id", "trace-7"}});
  EXPECT_EQ(result.status(), 500);
  EXPECT_EQ(ErrorCode(result), "internal");
  EXPECT_NE(ErrorMessage(result).find("trace-7"), std::string::npos);
  EXPECT_EQ(result.response.body.find("secret"), std::string::npos);
  EXPECT_EQ(result.header("X-Request-Id"), "trace-7");
}

TEST_F(ApiRoutesTest, ServiceInternalErrorHidesDetail) {
  service_.context_result = Internal("sqlite: disk I/O error at /data/loci.db");
  const ApiResult result = Get("/memory/context/u1");
  EXPECT_EQ(result.status(), 500);
  EXPECT_EQ(result.response.body.find("sqlite"), std::string::npos);
}

class ApiAuthTest : public ::testing::Test {
 protected:
  ApiAuthTest() {
    auto config = ParseApiKeys("app-key-1234567890:acme:app,admin-key-1234567890:acme:admin");
    handler_ = MakeApiHandler(*config, service_);
  }
  ApiResult Get(std::string target, std::string key = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
    return CallApi(handler_, "GET", std::move(target), "", std::move(headers));
  }

  FakeMemoryService service_;
  RequestHandler handler_;
};

TEST_F(ApiAuthTest, KeysAreRequiredOnceConfigured) {
  ApiResult result = Get("/memory/sessions/u1");
  EXPECT_EQ(result.status(), 401);
  EXPECT_EQ(ErrorCode(result), "unauthenticated");
  EXPECT_EQ(result.header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(Get("/memory/sessions/u1", "wrong-key").status(), 401);
  EXPECT_EQ(Get("/openapi.json").status(), 401);

  ASSERT_EQ(Get("/memory/sessions/u1", "app-key-1234567890").status(), 200);
  EXPECT_EQ(service_.last_caller.tenant, "acme");
  EXPECT_EQ(service_.last_caller.key_id, KeyId("app-key-1234567890"));
  EXPECT_FALSE(service_.last_caller.request_id.empty());
}

TEST_F(ApiAuthTest, HealthNeedsNoKey) {
  EXPECT_EQ(Get("/healthz").status(), 200);
  EXPECT_EQ(Get("/readyz").status(), 200);
}

TEST_F(ApiAuthTest, MetricsNeedAnAdminKey) {
  const ApiResult result = Get("/metrics", "app-key-1234567890");
  EXPECT_EQ(result.status(), 403);
  EXPECT_EQ(ErrorCode(result), "permission_denied");
  EXPECT_EQ(Get("/metrics", "admin-key-1234567890").status(), 200);
}

TEST_F(ApiAuthTest, DevelopmentModeIsTenantDefault) {
  FakeMemoryService service;
  const RequestHandler handler = MakeApiHandler(AuthConfig{}, service);
  ASSERT_EQ(CallApi(handler, "GET", "/memory/sessions/u1").status(), 200);
  EXPECT_EQ(service.last_caller.tenant, "default");
  EXPECT_EQ(service.last_caller.key_id, "");
}

}  // namespace
}  // namespace loci::http::testing
