// GET /memory/context/{user_id} over real HTTP: the recent window, the token budget, the pack's
// fields and percent-encoded user ids.
#include <chrono>

#include "integration/test_util.h"

namespace loci::integration {
namespace {

using ContextTest = ServerTest;

json Turns(int count, int first_minute = 0) {
  json messages = json::array();
  for (int i = 0; i < count; ++i) {
    messages.push_back(Message(i % 2 ? "assistant" : "user", "turn " + std::to_string(i),
                               {{"created_at", Timestamp(first_minute + i)}}));
  }
  return messages;
}

TEST_F(ContextTest, RecentWindowOldestFirst) {
  Store("u1", "s1", Turns(30));
  HttpResponse response = client().Get("/memory/context/u1?session_id=s1&max_messages=5");
  ASSERT_EQ(response.status, 200) << response.Describe();
  json body = response.Json();
  EXPECT_EQ(body["user_id"], "u1");
  EXPECT_EQ(body["session_id"], "s1");
  ASSERT_EQ(body["messages"].size(), 5u) << response.Describe();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(body["messages"][i]["content"], "turn " + std::to_string(25 + i));
  }
}

TEST_F(ContextTest, DefaultWindowIsTwentyMessages) {
  Store("u1", "s1", Turns(25));
  HttpResponse response = client().Get("/memory/context/u1?session_id=s1");
  ASSERT_EQ(response.status, 200) << response.Describe();
  json body = response.Json();
  ASSERT_EQ(body["messages"].size(), 20u);
  EXPECT_EQ(body["messages"][0]["content"], "turn 5");
  EXPECT_EQ(body["messages"][19]["content"], "turn 24");
}

TEST_F(ContextTest, EveryFieldIsPresent) {
  Store("u1", "s1",
        {Message("user", "I moved to Lisbon last spring.", {{"name", "Caroline"}}),
         Message("assistant", "How do you like Lisbon?")});
  HttpResponse response = client().Get("/memory/context/u1?session_id=s1");
  ASSERT_EQ(response.status, 200) << response.Describe();
  json body = response.Json();
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body["user_id"], "u1");
  EXPECT_EQ(body["session_id"], "s1");
  ASSERT_EQ(body["messages"].size(), 2u);
  for (const char* field :
       {"id", "user_id", "session_id", "role", "content", "created_at", "token_count"}) {
    EXPECT_TRUE(body["messages"][0].contains(field)) << field << " missing in " << body.dump();
  }
  EXPECT_EQ(body["messages"][0]["name"], "Caroline");
  ASSERT_TRUE(body.contains("summary"));
  EXPECT_TRUE(body["summary"].is_null());
  // What the user's turn taught: "I moved to Lisbon".
  ASSERT_EQ(body["preferences"].size(), 1u) << body.dump();
  EXPECT_EQ(body["preferences"][0]["key"], "location");
  EXPECT_EQ(body["preferences"][0]["value"], "Lisbon");
  EXPECT_EQ(body["relevant"], json::array());
  ASSERT_TRUE(body["token_count"].is_number_integer());
  EXPECT_GT(body["token_count"].get<int>(), 0);
  EXPECT_LE(body["token_count"].get<int>(), 2000);
  ASSERT_TRUE(body["truncated"].is_boolean());
  EXPECT_FALSE(body["truncated"].get<bool>());
  ASSERT_TRUE(body["prompt"].is_string());
  std::string prompt = body["prompt"];
  EXPECT_NE(prompt.find("I moved to Lisbon last spring."), std::string::npos) << prompt;
  EXPECT_NE(prompt.find("How do you like Lisbon?"), std::string::npos) << prompt;
}

TEST_F(ContextTest, DefaultSessionIsTheMostRecentOne) {
  Store("u1", "old", {Message("user", "old session", {{"created_at", Timestamp(0)}})});
  Store("u1", "new", {Message("user", "new session", {{"created_at", Timestamp(60)}})});
  HttpResponse response = client().Get("/memory/context/u1");
  ASSERT_EQ(response.status, 200) << response.Describe();
  json body = response.Json();
  EXPECT_EQ(body["session_id"], "new");
  ASSERT_EQ(body["messages"].size(), 1u);
  EXPECT_EQ(body["messages"][0]["content"], "new session");
}

TEST_F(ContextTest, UnknownUserGetsAnEmptyPack) {
  HttpResponse response = client().Get("/memory/context/nobody");
  ASSERT_EQ(response.status, 200) << response.Describe();
  json body = response.Json();
  EXPECT_EQ(body["user_id"], "nobody");
  EXPECT_EQ(body["messages"], json::array());
  EXPECT_TRUE(body["prompt"].is_string());
  EXPECT_LE(body["token_count"].get<int>(), 2000);
}

TEST_F(ContextTest, TokenBudgetIsRespected) {
  json messages = json::array();
  for (int i = 0; i < 10; ++i) {
    std::string content = "message " + std::to_string(i) + ":";
    for (int w = 0; w < 30; ++w) content += " word" + std::to_string(w);
    messages.push_back(Message("user", content, {{"created_at", Timestamp(i)}}));
  }
  Store("u1", "s1", messages);

  for (int budget : {60, 100, 200, 400}) {
    HttpResponse response =
        client().Get("/memory/context/u1?session_id=s1&max_tokens=" + std::to_string(budget));
    ASSERT_EQ(response.status, 200) << response.Describe();
    json body = response.Json();
    SCOPED_TRACE("max_tokens=" + std::to_string(budget));
    EXPECT_LE(body["token_count"].get<int>(), budget) << response.Describe();
    EXPECT_TRUE(body["truncated"].get<bool>()) << response.Describe();
    ASSERT_LT(body["messages"].size(), 10u);
    int sum = 0;
    for (const auto& message : body["messages"]) sum += message["token_count"].get<int>();
    EXPECT_LE(sum, budget);
    // What is kept is the most recent turns, oldest first.
    const json& kept = body["messages"];
    for (std::size_t i = 0; i < kept.size(); ++i) {
      std::string expected = "message " + std::to_string(10 - kept.size() + i) + ":";
      EXPECT_EQ(kept[i]["content"].get<std::string>().rfind(expected, 0), 0u) << kept[i]["content"];
    }
  }
  HttpResponse roomy = client().Get("/memory/context/u1?session_id=s1&max_tokens=100000");
  ASSERT_EQ(roomy.status, 200) << roomy.Describe();
  EXPECT_EQ(roomy.Json()["messages"].size(), 10u);
  EXPECT_FALSE(roomy.Json()["truncated"].get<bool>());
}

TEST_F(ContextTest, TinyBudgetStillAnswers) {
  Store("u1", "s1", {Message("user", "a fairly long message that cannot fit in two tokens")});
  HttpResponse response = client().Get("/memory/context/u1?session_id=s1&max_tokens=2");
  ASSERT_EQ(response.status, 200) << response.Describe();
  json body = response.Json();
  EXPECT_LE(body["token_count"].get<int>(), 2);
  EXPECT_TRUE(body["truncated"].get<bool>());
}

TEST_F(ContextTest, BadParametersAreRefused) {
  Store("u1", "s1", {Message("user", "hello")});
  EXPECT_TRUE(IsError(client().Get("/memory/context/u1?max_messages=0"), 400, "invalid_argument",
                      "max_messages"));
  EXPECT_TRUE(IsError(client().Get("/memory/context/u1?max_messages=abc"), 400, "invalid_argument",
                      "max_messages"));
  EXPECT_TRUE(IsError(client().Get("/memory/context/u1?max_tokens=-5"), 400, "invalid_argument",
                      "max_tokens"));
  EXPECT_TRUE(IsError(client().Get("/memory/context/u1?max_tokens=12abc"), 400, "invalid_argument",
                      "max_tokens"));
  ExpectHealthy();
}

TEST_F(ContextTest, PercentEncodedUserIds) {
  for (std::string user :
       {"user with spaces", "ユーザー東京", "a/b", "slash/and%percent?#&=", "emoji 😀 + plus"}) {
    SCOPED_TRACE(user);
    json stored = Store(user, "s/1 x", {Message("user", "hello from " + user)});
    ASSERT_EQ(stored["session_id"], "s/1 x");
    HttpResponse response =
        client().Get("/memory/context/" + Encode(user) + "?session_id=" + Encode("s/1 x"));
    ASSERT_EQ(response.status, 200) << response.Describe();
    json body = response.Json();
    EXPECT_EQ(body["user_id"], user);
    EXPECT_EQ(body["session_id"], "s/1 x");
    ASSERT_EQ(body["messages"].size(), 1u) << response.Describe();
    EXPECT_EQ(body["messages"][0]["content"], "hello from " + user);
    EXPECT_EQ(body["messages"][0]["user_id"], user);
  }
}

TEST_F(ContextTest, QueryIsAcceptedAndRelevantIsAList) {
  Store("u1", "s1", {Message("user", "I adopted a cat named Pixel")});
  HttpResponse response =
      client().Get("/memory/context/u1?session_id=s1&query=" + Encode("what is my cat called?"));
  ASSERT_EQ(response.status, 200) << response.Describe();
  EXPECT_TRUE(response.Json()["relevant"].is_array()) << response.Describe();
}

TEST_F(ContextTest, TruncationKeepsValidUtf8) {
  std::string content;
  for (int i = 0; i < 2000; ++i) content += i % 2 ? "東京" : "😀";
  Store("u1", "s1", {Message("user", "short one"), Message("user", content)});
  for (int budget : {1, 3, 7, 10, 25, 50, 100}) {
    SCOPED_TRACE(budget);
    HttpRequest request;
    request.target = "/memory/context/u1?session_id=s1&max_tokens=" + std::to_string(budget);
    request.timeout = std::chrono::seconds(10);
    HttpResponse response = client().Send(request);
    EXPECT_EQ(response.status, 200) << response.Describe();
    if (response.status != 200) continue;
    EXPECT_TRUE(IsValidUtf8(response.body));
    json body = response.Json();
    ASSERT_TRUE(body.is_object()) << response.Describe();
    EXPECT_LE(body["token_count"].get<int>(), budget);
    EXPECT_TRUE(IsValidUtf8(body["prompt"].get<std::string>()));
  }
}

TEST_F(ContextTest, HugeWindowIsRefusedOrClamped) {
  Store("u1", "s1", {Message("user", "hello")});
  for (const char* query : {"max_messages=1000000000", "max_messages=99999999999999999999",
                            "max_tokens=99999999999999999999", "max_tokens=2147483647"}) {
    SCOPED_TRACE(query);
    HttpResponse response = client().Get(std::string("/memory/context/u1?") + query);
    EXPECT_TRUE(response.status == 200 || IsError(response, 400, "invalid_argument"))
        << response.Describe();
  }
  EXPECT_TRUE(IsError(client().Get("/memory/context/u1?max_messages=5&max_messages=6"), 400,
                      "invalid_argument"));
  EXPECT_TRUE(IsError(client().Get("/memory/context/u1?session_id="), 400, "invalid_argument"));
  EXPECT_TRUE(IsError(client().Get("/memory/context/u1?session_id=%ZZ"), 400, "invalid_argument"));
  ExpectHealthy();
}

TEST_F(ContextTest, ImportedHistoryIsOrderedByTime) {
  // A client importing history may send older turns after newer ones.
  Store("u1", "s1", {Message("user", "later turn", {{"created_at", Timestamp(60)}})});
  Store("u1", "s1", {Message("user", "earlier turn", {{"created_at", Timestamp(0)}})});
  HttpResponse response = client().Get("/memory/context/u1?session_id=s1");
  ASSERT_EQ(response.status, 200) << response.Describe();
  json body = response.Json();
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0]["content"], "earlier turn");
  EXPECT_EQ(body["messages"][1]["content"], "later turn");
  HttpResponse window = client().Get("/memory/context/u1?session_id=s1&max_messages=1");
  ASSERT_EQ(window.Json()["messages"].size(), 1u);
  EXPECT_EQ(window.Json()["messages"][0]["content"], "later turn") << "the most recent turn";
  json page = SessionMessages("u1", "s1");
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0]["content"], "earlier turn");
}

TEST_F(ContextTest, MostRecentSessionIsByTimeNotByArrival) {
  Store("u1", "current",
        {Message("user", "this week", {{"created_at", "2024-06-01T10:00:00.000Z"}})});
  // An old conversation imported afterwards is not the current one.
  Store("u1", "archive",
        {Message("user", "last year", {{"created_at", "2023-01-01T10:00:00.000Z"}})});
  HttpResponse response = client().Get("/memory/context/u1");
  ASSERT_EQ(response.status, 200) << response.Describe();
  EXPECT_EQ(response.Json()["session_id"], "current") << response.Describe();
  HttpResponse sessions = client().Get("/memory/sessions/u1");
  ASSERT_EQ(sessions.Json()["sessions"].size(), 2u);
  EXPECT_EQ(sessions.Json()["sessions"][0]["session_id"], "current") << sessions.Describe();
}

TEST_F(ContextTest, ANewestTurnOverTheBudgetIsCutNotDropped) {
  std::string long_text = "start";
  for (int w = 0; w < 200; ++w) long_text += " filler" + std::to_string(w);
  json stored = Store("u1", "s1", {Message("user", "short"), Message("user", long_text)});
  HttpResponse response = client().Get("/memory/context/u1?session_id=s1&max_tokens=100");
  ASSERT_EQ(response.status, 200) << response.Describe();
  // The whole pack keeps to the budget (docs/api.md): the newest turn is cut to a prefix of
  // what was stored, ending in " …", and the pack says it was truncated.
  const json body = response.Json();
  ASSERT_EQ(body["messages"].size(), 1u);
  const json& message = body["messages"][0];
  EXPECT_EQ(message["id"], stored["message_ids"][1]);
  const std::string content = message["content"];
  ASSERT_GT(content.size(), 4u);
  EXPECT_EQ(content.substr(content.size() - 4), " \xE2\x80\xA6");
  EXPECT_EQ(long_text.rfind(content.substr(0, content.size() - 4), 0), 0u);
  EXPECT_TRUE(body["truncated"].get<bool>());
  EXPECT_LE(body["token_count"].get<int>(), 100);
}

}  // namespace
}  // namespace loci::integration
