// POST /memory/store and POST /memory/search through the whole API handler.
#include <gtest/gtest.h>

#include "api_test_util.h"
#include "fake_memory_service.h"
#include "model/message.h"

namespace loci::http::testing {
namespace {

using nlohmann::json;

class StoreRouteTest : public ::testing::Test {
 protected:
  ApiResult Store(const std::string& body,
                  std::vector<std::pair<std::string, std::string>> headers = {}) {
    return CallApi(handler_, "POST", "/memory/store", body, std::move(headers));
  }

  FakeMemoryService service_;
  RequestHandler handler_ = MakeApiHandler(AuthConfig{}, service_);
};

TEST_F(StoreRouteTest, StoresAndAnswers201) {
  service_.store_result = service::StoreResult{"s1", {"m_01", "m_02"}, 1, 1};
  const ApiResult result = Store(R"({
    "user_id": "u1", "session_id": "s1", "unknown_field": [1, 2],
    "messages": [
      {"role": "user", "content": "I moved to Lisbon.", "name": "Caroline",
       "created_at": "2023-05-08T13:56:00.000Z", "metadata": {"dia_id": "D1:1", "n": 1},
       "idempotency_key": "client-msg-17"},
      {"role": "assistant", "content": "Nice!", "name": null, "metadata": null}]})",
                                 {{"Idempotency-Key", "req-key-1"}});
  ASSERT_EQ(result.status(), 201) << result.response.body;
  EXPECT_EQ(result.body, json::parse(R"({"session_id": "s1", "message_ids": ["m_01", "m_02"],
                                        "stored": 1, "duplicates": 1})"));
  EXPECT_EQ(result.header("Content-Type"), "application/json");

  ASSERT_TRUE(service_.last_store.has_value());
  const service::StoreCommand& command = *service_.last_store;
  EXPECT_EQ(command.user_id, "u1");
  EXPECT_EQ(command.session_id, "s1");
  EXPECT_EQ(command.request_key, "req-key-1");
  ASSERT_EQ(command.messages.size(), 2u);
  const service::IncomingMessage& first = command.messages[0];
  EXPECT_EQ(first.role, model::Role::kUser);
  EXPECT_EQ(first.content, "I moved to Lisbon.");
  EXPECT_EQ(first.name, "Caroline");
  EXPECT_EQ(first.created_at, ParseRfc3339("2023-05-08T13:56:00.000Z"));
  EXPECT_EQ(json::parse(first.metadata_json), json::parse(R"({"dia_id": "D1:1", "n": 1})"));
  EXPECT_EQ(first.metadata_attributes,
            (std::vector<std::string>{model::MetadataAttribute("dia_id", "\"D1:1\""),
                                      model::MetadataAttribute("n", "1")}));
  EXPECT_EQ(first.idempotency_key, "client-msg-17");
  const service::IncomingMessage& second = command.messages[1];
  EXPECT_EQ(second.role, model::Role::kAssistant);
  EXPECT_FALSE(second.name.has_value());
  EXPECT_FALSE(second.created_at.has_value());
  EXPECT_EQ(second.metadata_json, "{}");
  EXPECT_TRUE(second.metadata_attributes.empty());
  EXPECT_FALSE(command.messages[1].idempotency_key.has_value());
}

TEST_F(StoreRouteTest, AnswersWithTheMembersInNameOrder) {
  service_.store_result = service::StoreResult{"s\"1", {"m_01", "m_02"}, 1, 1};
  const std::string body = R"({"user_id": "u1", "messages": [{"role": "user", "content": "x"}]})";
  EXPECT_EQ(Store(body).response.body,
            R"({"duplicates":1,"message_ids":["m_01","m_02"],"session_id":"s\"1","stored":1})");
  service_.store_result =
      service::StoreResult{"s1", {}, 0, 0, 2, std::string(service::kDiscardStoreMessagesDisabled)};
  EXPECT_EQ(Store(body).response.body,
            std::string(R"({"discarded":2,"duplicates":0,"message_ids":[],"reason":")") +
                service::kDiscardStoreMessagesDisabled + R"(","session_id":"s1","stored":0})");
}

TEST_F(StoreRouteTest, SessionIsOptional) {
  ASSERT_EQ(Store(R"({"user_id": "u1", "messages": [{"role": "tool", "content": "x"}]})").status(),
            201);
  EXPECT_FALSE(service_.last_store->session_id.has_value());
  EXPECT_FALSE(service_.last_store->request_key.has_value());
}

TEST_F(StoreRouteTest, AnswersFromTheServiceCompletionThread) {
  service_.store_on_other_thread = true;
  EXPECT_EQ(Store(R"({"user_id": "u1", "messages": [{"role": "user", "content": "x"}]})").status(),
            201);
}

TEST_F(StoreRouteTest, UnknownRoleMessageIsExactlyAsApiMd) {
  const ApiResult result = Store(R"({"user_id": "u1", "messages": [
      {"role": "user", "content": "a"}, {"role": "robot", "content": "b"}]})");
  EXPECT_EQ(result.status(), 400);
  EXPECT_EQ(result.body, json::parse(R"({"error": {"code": "invalid_argument",
      "message": "messages[1].role must be one of user, assistant, system, tool",
      "field": "messages[1].role"}})"));
  EXPECT_FALSE(service_.last_store.has_value());
}

struct BadStore {
  const char* body;
  const char* field;
  const char* message;
};

TEST_F(StoreRouteTest, WrongShapesNameTheirField) {
  const std::vector<BadStore> cases = {
      {R"([])", "", "request body must be a JSON object"},
      {R"({"messages": [{"role": "user", "content": "x"}]})", "user_id", "user_id is required"},
      {R"({"user_id": 7, "messages": []})", "user_id", "user_id must be a string"},
      {R"({"user_id": "u1", "session_id": ["s"], "messages": []})", "session_id",
       "session_id must be a string"},
      {R"({"user_id": "u1"})", "messages", "messages is required"},
      {R"({"user_id": "u1", "messages": {}})", "messages", "messages must be an array"},
      {R"({"user_id": "u1", "messages": []})", "messages",
       "messages must hold at least one message"},
      {R"({"user_id": "u1", "messages": ["hi"]})", "messages[0]", "messages[0] must be an object"},
      {R"({"user_id": "u1", "messages": [{"content": "x"}]})", "messages[0].role",
       "messages[0].role is required"},
      {R"({"user_id": "u1", "messages": [{"role": 1, "content": "x"}]})", "messages[0].role",
       "messages[0].role must be one of user, assistant, system, tool"},
      {R"({"user_id": "u1", "messages": [{"role": "user"}]})", "messages[0].content",
       "messages[0].content is required"},
      {R"({"user_id": "u1", "messages": [{"role": "user", "content": {"t": 1}}]})",
       "messages[0].content", "messages[0].content must be a string"},
      {R"({"user_id": "u1", "messages": [{"role": "user", "content": "x", "name": 3}]})",
       "messages[0].name", "messages[0].name must be a string"},
      {R"({"user_id": "u1", "messages": [{"role": "user", "content": "x", "metadata": [1]}]})",
       "messages[0].metadata", "messages[0].metadata must be an object"},
      {R"({"user_id": "u1", "messages": [{"role": "user", "content": "x",
           "idempotency_key": 5}]})",
       "messages[0].idempotency_key", "messages[0].idempotency_key must be a string"},
  };
  for (const BadStore& bad : cases) {
    const ApiResult result = Store(bad.body);
    EXPECT_EQ(result.status(), 400) << bad.body;
    EXPECT_EQ(ErrorCode(result), "invalid_argument") << bad.body;
    EXPECT_EQ(ErrorField(result), bad.field) << bad.body;
    EXPECT_EQ(ErrorMessage(result), bad.message) << bad.body;
    if (std::string(bad.field).empty()) {
      EXPECT_FALSE(result.body["error"].contains("field"));
    }
  }
}

TEST_F(StoreRouteTest, BadTimestampNamesItsField) {
  for (const char* stamp : {"\"yesterday\"", "\"2023-13-01T00:00:00Z\"", "1683554160000"}) {
    const ApiResult result = Store(std::string(R"({"user_id": "u1", "messages": [
        {"role": "user", "content": "a"}, {"role": "user", "content": "b", "created_at": )") +
                                   stamp + "}]}");
    EXPECT_EQ(result.status(), 400) << stamp;
    EXPECT_EQ(ErrorField(result), "messages[1].created_at");
  }
}

TEST_F(StoreRouteTest, AtMostAThousandMessages) {
  json body = {{"user_id", "u1"}, {"messages", json::array()}};
  for (int i = 0; i < 1001; ++i) body["messages"].push_back({{"role", "user"}, {"content", "x"}});
  const ApiResult result = Store(body.dump());
  EXPECT_EQ(result.status(), 400);
  EXPECT_EQ(ErrorField(result), "messages");
  body["messages"].erase(0);
  EXPECT_EQ(Store(body.dump()).status(), 201);
}

TEST_F(StoreRouteTest, BodyProblems) {
  EXPECT_EQ(Store("{not json").status(), 400);
  EXPECT_EQ(Store(std::string(100'000, '[')).status(), 400);
  const ApiResult wrong_type = Store(R"({"user_id": "u1"})", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(wrong_type.status(), 415);
  EXPECT_EQ(ErrorCode(wrong_type), "unsupported_media_type");
  EXPECT_EQ(Store("{\"user_id\": \"\xC3\x28\"}").status(), 400);
}

TEST_F(StoreRouteTest, ServiceErrorsPassThrough) {
  service_.store_result =
      InvalidArgument("messages[0].content exceeds 65536 bytes", "messages[0].content");
  const ApiResult result = Store(R"({"user_id": "u1", "messages": [{"role": "user",
                                    "content": "x"}]})");
  EXPECT_EQ(result.status(), 400);
  EXPECT_EQ(ErrorField(result), "messages[0].content");

  service_.store_result = Unavailable("storage is down");
  EXPECT_EQ(Store(R"({"user_id": "u1", "messages": [{"role": "user", "content": "x"}]})").status(),
            503);
}

class SearchRouteTest : public StoreRouteTest {
 protected:
  ApiResult Search(const std::string& body) {
    return CallApi(handler_, "POST", "/memory/search", body);
  }
};

TEST_F(SearchRouteTest, DefaultsAndResultShape) {
  service::SearchResult found;
  found.mode = service::SearchMode::kHybrid;
  found.took_ms = 1.5;
  found.results.push_back({SampleMessage("m_1", 1), 0.83, {"… <mark>Lisbon</mark> …"}});
  service_.search_result = found;
  const ApiResult result = Search(R"({"user_id": "u1", "query": "where did Caroline move"})");
  ASSERT_EQ(result.status(), 200) << result.response.body;
  const service::SearchQuery& query = *service_.last_search;
  EXPECT_EQ(query.user_id, "u1");
  EXPECT_EQ(query.query, "where did Caroline move");
  EXPECT_EQ(query.mode, service::SearchMode::kHybrid);
  EXPECT_EQ(query.limit, 10);
  EXPECT_EQ(query.offset, 0);
  EXPECT_TRUE(query.roles.empty());
  EXPECT_EQ(result.body, json::parse(R"({"results": [{"message": {"id": "m_1", "user_id": "u1",
      "session_id": "s1", "role": "user", "name": null, "content": "I moved to Lisbon last spring.",
      "created_at": "2026-11-30T07:12:51.123Z", "metadata": {"dia_id": "D1:3"}, "token_count": 9},
      "score": 0.83, "highlights": ["… <mark>Lisbon</mark> …"]}], "mode": "hybrid",
      "took_ms": 1.5})"));
}

TEST_F(SearchRouteTest, AllFilters) {
  const ApiResult result = Search(R"({"user_id": "u1", "query": "q", "mode": "fulltext",
      "limit": 100, "offset": 20, "session_id": "s1", "roles": ["user", "tool"],
      "since": "2023-01-01T00:00:00.000Z", "until": "2024-01-01T00:00:00Z",
      "metadata": {"topic": "travel", "n": 1.5, "o": {"b": 1, "a": 2}}})");
  ASSERT_EQ(result.status(), 200) << result.response.body;
  const service::SearchQuery& query = *service_.last_search;
  EXPECT_EQ(query.mode, service::SearchMode::kFulltext);
  EXPECT_EQ(query.limit, 100);
  EXPECT_EQ(query.offset, 20);
  EXPECT_EQ(query.session_id, "s1");
  EXPECT_EQ(query.roles, (std::vector<model::Role>{model::Role::kUser, model::Role::kTool}));
  EXPECT_EQ(query.since, ParseRfc3339("2023-01-01T00:00:00Z"));
  EXPECT_EQ(query.until, ParseRfc3339("2024-01-01T00:00:00Z"));
  EXPECT_EQ(query.metadata_attributes,
            (std::vector<std::string>{model::MetadataAttribute("n", "1.5"),
                                      model::MetadataAttribute("o", R"({"a":2,"b":1})"),
                                      model::MetadataAttribute("topic", "\"travel\"")}));
  EXPECT_EQ(result.body["mode"], "hybrid");  // what the service says it did
}

TEST_F(SearchRouteTest, InvalidFieldsAreNamed) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {R"({"query": "q"})", "user_id"},
      {R"({"user_id": "u1"})", "query"},
      {R"({"user_id": "u1", "query": "q", "mode": "fuzzy"})", "mode"},
      {R"({"user_id": "u1", "query": "q", "limit": 0})", "limit"},
      {R"({"user_id": "u1", "query": "q", "limit": 101})", "limit"},
      {R"({"user_id": "u1", "query": "q", "limit": 2.5})", "limit"},
      {R"({"user_id": "u1", "query": "q", "limit": "10"})", "limit"},
      {R"({"user_id": "u1", "query": "q", "offset": -1})", "offset"},
      {R"({"user_id": "u1", "query": "q", "roles": "user"})", "roles"},
      {R"({"user_id": "u1", "query": "q", "roles": ["user", "bot"]})", "roles[1]"},
      {R"({"user_id": "u1", "query": "q", "since": "soon"})", "since"},
      {R"({"user_id": "u1", "query": "q", "since": "2024-01-01T00:00:00Z",
           "until": "2023-01-01T00:00:00Z"})",
       "since"},
      {R"({"user_id": "u1", "query": "q", "metadata": "x"})", "metadata"},
  };
  for (const auto& [body, field] : cases) {
    const ApiResult result = Search(body);
    EXPECT_EQ(result.status(), 400) << body;
    EXPECT_EQ(ErrorField(result), field) << body;
  }
  EXPECT_EQ(ErrorMessage(Search(R"({"user_id": "u1", "query": "q", "mode": "x"})")),
            "mode must be one of hybrid, fulltext, semantic");
  EXPECT_EQ(ErrorMessage(Search(R"({"user_id": "u1", "query": "q", "limit": 0})")),
            "limit must be an integer from 1 to 100");
}

}  // namespace
}  // namespace loci::http::testing
