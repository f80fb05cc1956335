// POST /memory/store over real HTTP: the response shape, defaults, what is stored and returned,
// idempotency, the per-request limit and atomicity.
#include <set>
#include <thread>

#include "integration/test_util.h"

namespace loci::integration {
namespace {

using StoreTest = ServerTest;

TEST_F(StoreTest, ReturnsCreatedWithIdsAndCounts) {
  HttpResponse response = client().PostJson(
      "/memory/store", {{"user_id", "u1"},
                        {"session_id", "s1"},
                        {"messages", {Message("user", "hello"), Message("assistant", "hi!")}}});
  ASSERT_EQ(response.status, 201) << response.Describe();
  EXPECT_NE(response.Header("Content-Type").value_or("").find("application/json"),
            std::string::npos);
  json body = response.Json();
  ASSERT_TRUE(body.is_object()) << response.Describe();
  EXPECT_EQ(body["session_id"], "s1");
  ASSERT_TRUE(body["message_ids"].is_array());
  ASSERT_EQ(body["message_ids"].size(), 2u);
  EXPECT_TRUE(body["message_ids"][0].is_string()) << "ids must be strings, never numbers";
  EXPECT_TRUE(body["message_ids"][1].is_string());
  EXPECT_NE(body["message_ids"][0], body["message_ids"][1]);
  EXPECT_EQ(body["stored"], 2);
  EXPECT_EQ(body["duplicates"], 0);
}

TEST_F(StoreTest, WithoutSessionGoesToDefault) {
  json body = Store("u1", std::nullopt, {Message("user", "no session given")});
  EXPECT_EQ(body["session_id"], "default");
  json messages = SessionMessages("u1", "default");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["content"], "no session given");
  EXPECT_EQ(messages[0]["session_id"], "default");
}

TEST_F(StoreTest, ReturnsEveryFieldAsStored) {
  json metadata = {{"dia_id", "D1:3"},
                   {"nested", {{"a", {1, 2, {{"b", nullptr}}}}}},
                   {"n", 1.5},
                   {"flag", true},
                   {"text", "ü 😀 \"quoted\" \\ slash"}};
  const std::string content = "I moved to Lisbon last spring. Ünïcödé 😀 “quotes” \t tab";
  json stored = Store("u1", "s1",
                      {Message("user", content,
                               {{"name", "Caroline"},
                                {"created_at", "2023-05-08T13:56:00.123Z"},
                                {"metadata", metadata}})});
  json messages = SessionMessages("u1", "s1");
  ASSERT_EQ(messages.size(), 1u);
  const json& message = messages[0];
  EXPECT_EQ(message["id"], stored["message_ids"][0]);
  EXPECT_EQ(message["user_id"], "u1");
  EXPECT_EQ(message["session_id"], "s1");
  EXPECT_EQ(message["role"], "user");
  EXPECT_EQ(message["name"], "Caroline");
  EXPECT_EQ(message["content"], content);
  EXPECT_EQ(message["created_at"], "2023-05-08T13:56:00.123Z");
  EXPECT_EQ(message["metadata"], metadata);
  ASSERT_TRUE(message["token_count"].is_number_integer()) << message.dump();
  EXPECT_GT(message["token_count"].get<int>(), 0);
}

TEST_F(StoreTest, CreatedAtIsReturnedInUtcWithMilliseconds) {
  Store("u1", "s1",
        {Message("user", "offset", {{"created_at", "2023-05-08T15:56:00+02:00"}}),
         Message("user", "no millis", {{"created_at", "2023-05-08T14:00:00Z"}})});
  json messages = SessionMessages("u1", "s1");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0]["created_at"], "2023-05-08T13:56:00.000Z");
  EXPECT_EQ(messages[1]["created_at"], "2023-05-08T14:00:00.000Z");
}

TEST_F(StoreTest, ServerTimeWhenCreatedAtIsAbsent) {
  Store("u1", "s1", {Message("user", "now")});
  json messages = SessionMessages("u1", "s1");
  ASSERT_EQ(messages.size(), 1u);
  std::string created_at = messages[0]["created_at"];
  // RFC 3339 UTC with milliseconds, e.g. 2026-11-30T07:12:51.123Z, and not in the distant past.
  ASSERT_EQ(created_at.size(), 24u) << created_at;
  EXPECT_EQ(created_at.back(), 'Z');
  EXPECT_EQ(created_at[19], '.');
  EXPECT_GE(created_at.substr(0, 4), "2024");
}

TEST_F(StoreTest, MetadataIsOptionalAndEmptyObjectByDefault) {
  Store("u1", "s1", {Message("user", "plain")});
  json messages = SessionMessages("u1", "s1");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(!messages[0].contains("metadata") || messages[0]["metadata"].is_null() ||
              messages[0]["metadata"] == json::object())
      << messages[0].dump();
}

TEST_F(StoreTest, PerMessageIdempotencyKeysStoreNothingTwice) {
  json messages = {Message("user", "first", {{"idempotency_key", "k1"}}),
                   Message("assistant", "second", {{"idempotency_key", "k2"}})};
  json first = Store("u1", "s1", messages);
  json again = Store("u1", "s1", messages);
  EXPECT_EQ(again["message_ids"], first["message_ids"]);
  EXPECT_EQ(again["stored"], 0);
  EXPECT_EQ(again["duplicates"], 2);

  // One old key and one new: only the new one is stored.
  json mixed = Store("u1", "s1",
                     {Message("user", "first", {{"idempotency_key", "k1"}}),
                      Message("user", "third", {{"idempotency_key", "k3"}})});
  ASSERT_EQ(mixed["message_ids"].size(), 2u);
  EXPECT_EQ(mixed["message_ids"][0], first["message_ids"][0]);
  EXPECT_NE(mixed["message_ids"][1], first["message_ids"][1]);
  EXPECT_EQ(mixed["stored"], 1);
  EXPECT_EQ(mixed["duplicates"], 1);

  json stored = SessionMessages("u1", "s1");
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0]["content"], "first");
  EXPECT_EQ(stored[1]["content"], "second");
  EXPECT_EQ(stored[2]["content"], "third");
}

TEST_F(StoreTest, IdempotencyKeysBelongToOneUser) {
  json a = Store("u1", "s1", {Message("user", "mine", {{"idempotency_key", "same"}})});
  json b = Store("u2", "s1", {Message("user", "yours", {{"idempotency_key", "same"}})});
  EXPECT_EQ(b["stored"], 1);
  EXPECT_NE(a["message_ids"][0], b["message_ids"][0]);
  json messages = SessionMessages("u2", "s1");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["content"], "yours");
}

TEST_F(StoreTest, IdempotencyKeyHeaderReplaysTheWholeRequest) {
  json body = {{"user_id", "u1"},
               {"session_id", "s1"},
               {"messages", {Message("user", "one"), Message("assistant", "two")}}};
  HeaderList headers = {{"Idempotency-Key", "request-42"}};
  HttpResponse first = client().PostJson("/memory/store", body, headers);
  ASSERT_EQ(first.status, 201) << first.Describe();
  HttpResponse second = client().PostJson("/memory/store", body, headers);
  ASSERT_TRUE(second.status == 201 || second.status == 200) << second.Describe();
  EXPECT_EQ(second.Json()["message_ids"], first.Json()["message_ids"]);
  EXPECT_EQ(second.Json()["stored"], 0);
  EXPECT_EQ(second.Json()["duplicates"], 2);
  EXPECT_EQ(SessionMessages("u1", "s1").size(), 2u);

  // Another key stores again.
  HttpResponse third = client().PostJson("/memory/store", body, {{"Idempotency-Key", "other"}});
  ASSERT_EQ(third.status, 201) << third.Describe();
  EXPECT_EQ(third.Json()["stored"], 2);
  EXPECT_EQ(SessionMessages("u1", "s1").size(), 4u);
}

TEST_F(StoreTest, AThousandMessagesInOneRequest) {
  json messages = json::array();
  for (int i = 0; i < 1000; ++i) {
    messages.push_back(
        Message(i % 2 ? "assistant" : "user", "message number " + std::to_string(i)));
  }
  json body = Store("u1", "bulk", messages);
  ASSERT_EQ(body["message_ids"].size(), 1000u);
  EXPECT_EQ(body["stored"], 1000);
  std::set<std::string> ids;
  for (const auto& id : body["message_ids"]) ids.insert(id.get<std::string>());
  EXPECT_EQ(ids.size(), 1000u);
  json stored = SessionMessages("u1", "bulk");
  ASSERT_EQ(stored.size(), 1000u);
  // Request order is kept.
  EXPECT_EQ(stored[0]["content"], "message number 0");
  EXPECT_EQ(stored[999]["content"], "message number 999");
}

TEST_F(StoreTest, MoreThanAThousandMessagesIsRefused) {
  json messages = json::array();
  for (int i = 0; i < 1001; ++i)
    messages.push_back(Message("user", "message " + std::to_string(i)));
  HttpResponse response = client().PostJson(
      "/memory/store", {{"user_id", "u1"}, {"session_id", "bulk"}, {"messages", messages}});
  EXPECT_TRUE(IsError(response, 400, "invalid_argument", "messages"));
  HttpResponse sessions = client().Get("/memory/sessions/u1");
  ASSERT_EQ(sessions.status, 200) << sessions.Describe();
  EXPECT_TRUE(sessions.Json()["sessions"].empty()) << sessions.Describe();
}

TEST_F(StoreTest, EmptyMessageListIsRefused) {
  HttpResponse response =
      client().PostJson("/memory/store", {{"user_id", "u1"}, {"messages", json::array()}});
  EXPECT_TRUE(IsError(response, 400, "invalid_argument", "messages"));
}

TEST_F(StoreTest, AnInvalidMessageStoresNothing) {
  HttpResponse response = client().PostJson(
      "/memory/store",
      {{"user_id", "u1"},
       {"session_id", "s1"},
       {"messages",
        {Message("user", "valid and unique zebra"), Message("robot", "invalid role")}}});
  EXPECT_TRUE(IsError(response, 400, "invalid_argument", "messages[1].role"));

  std::string big(64 * 1024 + 1, 'x');
  response = client().PostJson(
      "/memory/store", {{"user_id", "u1"},
                        {"session_id", "s1"},
                        {"messages", {Message("user", "another zebra"), Message("user", big)}}});
  EXPECT_TRUE(IsError(response, 400, "invalid_argument", "messages[1].content"));

  HttpResponse sessions = client().Get("/memory/sessions/u1");
  ASSERT_EQ(sessions.status, 200) << sessions.Describe();
  EXPECT_TRUE(sessions.Json()["sessions"].empty()) << sessions.Describe();
  HttpResponse context = client().Get("/memory/context/u1?session_id=s1");
  ASSERT_EQ(context.status, 200) << context.Describe();
  EXPECT_TRUE(context.Json()["messages"].empty()) << context.Describe();
  HttpResponse search = client().PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "zebra"}, {"mode", "fulltext"}});
  ASSERT_EQ(search.status, 200) << search.Describe();
  EXPECT_TRUE(search.Json()["results"].empty()) << search.Describe();
}

TEST_F(StoreTest, StoredMessagesAreVisibleAtOnce) {
  for (int i = 0; i < 5; ++i) {
    Store("u1", "s1", {Message("user", "visible quokka " + std::to_string(i))});
    HttpResponse context = client().Get("/memory/context/u1?session_id=s1");
    ASSERT_EQ(context.status, 200) << context.Describe();
    EXPECT_EQ(context.Json()["messages"].size(), static_cast<std::size_t>(i + 1));
    HttpResponse search = client().PostJson(
        "/memory/search", {{"user_id", "u1"}, {"query", "quokka"}, {"mode", "fulltext"}});
    ASSERT_EQ(search.status, 200) << search.Describe();
    EXPECT_EQ(search.Json()["results"].size(), static_cast<std::size_t>(i + 1));
  }
}

TEST_F(StoreTest, ConnectionIsKeptAlive) {
  for (int i = 0; i < 5; ++i) Store("u1", "s1", {Message("user", "keep alive")});
  EXPECT_EQ(client().connections_opened(), 1);
}

TEST_F(StoreTest, ControlCharactersInContentRoundTrip) {
  const std::string content = std::string("nul\0inside", 10) + " cr\r lf\n tab\t bell\x07 end";
  const json metadata = {{"k", std::string("v\0w", 3)}};
  json stored = Store("u1", "s1", {Message("user", content, {{"metadata", metadata}})});
  json messages = SessionMessages("u1", "s1");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["content"], content) << "content must come back byte for byte";
  EXPECT_EQ(messages[0]["metadata"], metadata);
  HttpResponse context = client().Get("/memory/context/u1?session_id=s1");
  ASSERT_EQ(context.status, 200) << context.Describe();
  EXPECT_EQ(context.Json()["messages"][0]["content"], content);
  HttpResponse search = client().PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "inside"}, {"mode", "fulltext"}});
  ASSERT_EQ(search.status, 200) << search.Describe();
  EXPECT_EQ(search.Json()["results"].size(), 1u) << search.Describe();
}

TEST_F(StoreTest, ExtremeTimestamps) {
  // Each is either refused as invalid_argument or stored and returned as the same instant.
  const std::pair<std::string, std::string> cases[] = {
      {"1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00.000Z"},
      {"1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"},
      {"0001-01-01T00:00:00.000Z", "0001-01-01T00:00:00.000Z"},
      {"9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"},
      {"2024-02-29T12:00:00.000Z", "2024-02-29T12:00:00.000Z"},
      {"2023-05-08T13:56:00.123456Z", "2023-05-08T13:56:00.123Z"},
      {"2023-05-08T00:30:00.000+01:00", "2023-05-07T23:30:00.000Z"},
      {"2023-05-08t13:56:00.000z", "2023-05-08T13:56:00.000Z"},
  };
  int session = 0;
  for (const auto& [input, expected] : cases) {
    SCOPED_TRACE(input);
    const std::string session_id = Numbered("t", session++);
    HttpResponse response = client().PostJson(
        "/memory/store", {{"user_id", "u1"},
                          {"session_id", session_id},
                          {"messages", {Message("user", "x", {{"created_at", input}})}}});
    if (response.status == 400) {
      EXPECT_TRUE(IsError(response, 400, "invalid_argument", "messages[0].created_at"));
      continue;
    }
    ASSERT_EQ(response.status, 201) << response.Describe();
    json messages = SessionMessages("u1", session_id);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0]["created_at"], expected);
  }
  for (const char* leap : {"2016-12-31T23:59:60Z", "2023-05-08T13:56:00.000+25:00"}) {
    HttpResponse response = client().PostJson(
        "/memory/store",
        {{"user_id", "u1"}, {"messages", {Message("user", "x", {{"created_at", leap}})}}});
    EXPECT_TRUE(response.status == 201 || IsError(response, 400, "invalid_argument"))
        << leap << ": " << response.Describe();
  }
  ExpectHealthy();
}

TEST_F(StoreTest, EmptyContentDoesNotBreakAnything) {
  HttpResponse response = client().PostJson(
      "/memory/store",
      {{"user_id", "u1"}, {"session_id", "s1"}, {"messages", {Message("user", "")}}});
  EXPECT_TRUE(response.status == 201 ||
              IsError(response, 400, "invalid_argument", "messages[0].content"))
      << response.Describe();
  EXPECT_EQ(client().Get("/memory/context/u1?session_id=s1").status, 200);
  ExpectHealthy();
}

TEST_F(StoreTest, ConcurrentReplaysOfOneIdempotencyKeyStoreOnce) {
  const json body = {{"user_id", "u1"},
                     {"session_id", "s1"},
                     {"messages", {Message("user", "race one"), Message("user", "race two")}}};
  const json keyed = {{"user_id", "u1"},
                      {"session_id", "s2"},
                      {"messages", {Message("user", "keyed", {{"idempotency_key", "mk"}})}}};
  std::vector<json> header_ids(8);
  std::vector<json> message_ids(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto client = NewClient();
      HttpResponse a = client->PostJson("/memory/store", body, {{"Idempotency-Key", "race"}});
      if (a.status == 200 || a.status == 201) header_ids[t] = a.Json()["message_ids"];
      HttpResponse b = client->PostJson("/memory/store", keyed);
      if (b.status == 201) message_ids[t] = b.Json()["message_ids"];
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 8; ++t) {
    EXPECT_EQ(header_ids[t], header_ids[0]) << "thread " << t;
    EXPECT_EQ(message_ids[t], message_ids[0]) << "thread " << t;
  }
  EXPECT_FALSE(header_ids[0].is_null());
  EXPECT_EQ(SessionMessages("u1", "s1").size(), 2u);
  EXPECT_EQ(SessionMessages("u1", "s2").size(), 1u);
}

}  // namespace
}  // namespace loci::integration
