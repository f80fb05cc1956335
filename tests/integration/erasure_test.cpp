// Erasure over real HTTP: DELETE /memory/user, /memory/session and /memory/message, and that
// nothing erased comes back through any route.
#include "integration/test_util.h"

namespace loci::integration {
namespace {

class ErasureTest : public ServerTest {
 protected:
  // Expects no route to return anything of `user_id` (sessions s1 and s2 included).
  void ExpectNothingOf(const std::string& user_id) {
    HttpResponse context = client().Get("/memory/context/" + Encode(user_id));
    ASSERT_EQ(context.status, 200) << context.Describe();
    EXPECT_EQ(context.Json()["messages"], json::array()) << context.Describe();
    EXPECT_EQ(context.Json()["prompt"].get<std::string>().find("walrus"), std::string::npos);
    for (const char* session : {"s1", "s2"}) {
      HttpResponse in_session =
          client().Get("/memory/context/" + Encode(user_id) + "?session_id=" + session);
      ASSERT_EQ(in_session.status, 200) << in_session.Describe();
      EXPECT_EQ(in_session.Json()["messages"], json::array()) << in_session.Describe();
      HttpResponse page =
          client().Get("/memory/session/" + Encode(user_id) + "/" + session + "?limit=100");
      EXPECT_TRUE(IsError(page, 404, "not_found") ||
                  (page.status == 200 && page.Json()["messages"].empty()))
          << page.Describe();
    }
    HttpResponse search = client().PostJson(
        "/memory/search", {{"user_id", user_id}, {"query", "walrus"}, {"mode", "fulltext"}});
    ASSERT_EQ(search.status, 200) << search.Describe();
    EXPECT_EQ(search.Json()["results"], json::array()) << search.Describe();
    HttpResponse sessions = client().Get("/memory/sessions/" + Encode(user_id));
    ASSERT_EQ(sessions.status, 200) << sessions.Describe();
    EXPECT_EQ(sessions.Json()["sessions"], json::array()) << sessions.Describe();
  }

  void StoreWalruses(const std::string& user_id) {
    Store(user_id, "s1",
          {Message("user", "the walrus one"), Message("assistant", "walrus two"),
           Message("user", "walrus three")});
    Store(user_id, "s2", {Message("user", "walrus four"), Message("user", "walrus five")});
  }
};

TEST_F(ErasureTest, EraseUserRemovesEverything) {
  StoreWalruses("u1");
  StoreWalruses("u2");
  HttpResponse response = client().Delete("/memory/user/u1");
  ASSERT_EQ(response.status, 200) << response.Describe();
  json body = response.Json();
  EXPECT_EQ(body["user_id"], "u1");
  EXPECT_EQ(body["deleted"]["messages"], 5);
  EXPECT_EQ(body["deleted"]["sessions"], 2);
  EXPECT_EQ(body["deleted"]["preferences"], 0);
  EXPECT_EQ(body["key_destroyed"], true) << response.Describe();
  ExpectNothingOf("u1");

  // The other user is untouched.
  EXPECT_EQ(SessionMessages("u2", "s1").size(), 3u);
  EXPECT_EQ(SessionMessages("u2", "s2").size(), 2u);
  HttpResponse search = client().PostJson(
      "/memory/search", {{"user_id", "u2"}, {"query", "walrus"}, {"mode", "fulltext"}});
  EXPECT_EQ(search.Json()["results"].size(), 5u) << search.Describe();
}

TEST_F(ErasureTest, EraseUserIsIdempotent) {
  StoreWalruses("u1");
  ASSERT_EQ(client().Delete("/memory/user/u1").status, 200);
  HttpResponse again = client().Delete("/memory/user/u1");
  ASSERT_EQ(again.status, 200) << again.Describe();
  json body = again.Json();
  EXPECT_EQ(body["user_id"], "u1");
  EXPECT_EQ(body["deleted"]["messages"], 0);
  EXPECT_EQ(body["deleted"]["sessions"], 0);
  EXPECT_EQ(body["deleted"]["preferences"], 0);
  EXPECT_EQ(body["key_destroyed"], false);

  HttpResponse never = client().Delete("/memory/user/" + Encode("never existed"));
  ASSERT_EQ(never.status, 200) << never.Describe();
  EXPECT_EQ(never.Json()["deleted"]["messages"], 0);
}

TEST_F(ErasureTest, EraseUserForgetsIdempotencyKeys) {
  json first = Store("u1", "s1", {Message("user", "walrus", {{"idempotency_key", "k1"}})});
  HttpResponse header_first = client().PostJson(
      "/memory/store",
      {{"user_id", "u1"}, {"session_id", "s1"}, {"messages", {Message("user", "walrus again")}}},
      {{"Idempotency-Key", "req-1"}});
  ASSERT_EQ(header_first.status, 201);
  ASSERT_EQ(client().Delete("/memory/user/u1").status, 200);

  // After erasure the old keys must not hand back ids of erased messages.
  json second = Store("u1", "s1", {Message("user", "walrus", {{"idempotency_key", "k1"}})});
  EXPECT_EQ(second["stored"], 1) << second.dump();
  EXPECT_NE(second["message_ids"][0], first["message_ids"][0]);
  HttpResponse header_second = client().PostJson(
      "/memory/store",
      {{"user_id", "u1"}, {"session_id", "s1"}, {"messages", {Message("user", "walrus again")}}},
      {{"Idempotency-Key", "req-1"}});
  ASSERT_EQ(header_second.status, 201) << header_second.Describe();
  EXPECT_EQ(header_second.Json()["stored"], 1) << header_second.Describe();
  EXPECT_EQ(SessionMessages("u1", "s1").size(), 2u);
}

TEST_F(ErasureTest, EraseSession) {
  StoreWalruses("u1");
  HttpResponse response = client().Delete("/memory/session/u1/s1");
  ASSERT_EQ(response.status, 200) << response.Describe();
  EXPECT_TRUE(response.Json().is_object()) << response.Describe();

  HttpResponse page = client().Get("/memory/session/u1/s1?limit=100");
  EXPECT_TRUE(IsError(page, 404, "not_found") ||
              (page.status == 200 && page.Json()["messages"].empty()))
      << page.Describe();
  EXPECT_EQ(SessionMessages("u1", "s2").size(), 2u);
  HttpResponse search = client().PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "walrus"}, {"mode", "fulltext"}});
  ASSERT_EQ(search.status, 200);
  const json found = search.Json();
  for (const auto& result : found["results"]) {
    EXPECT_EQ(result["message"]["session_id"], "s2");
  }
  EXPECT_EQ(search.Json()["results"].size(), 2u);
  HttpResponse sessions = client().Get("/memory/sessions/u1");
  ASSERT_EQ(sessions.Json()["sessions"].size(), 1u) << sessions.Describe();
  EXPECT_EQ(sessions.Json()["sessions"][0]["session_id"], "s2");
  HttpResponse context = client().Get("/memory/context/u1?session_id=s1");
  ASSERT_EQ(context.status, 200) << context.Describe();
  EXPECT_TRUE(context.Json()["messages"].empty());

  EXPECT_TRUE(IsError(client().Delete("/memory/session/u1/s1"), 404, "not_found"));
  EXPECT_TRUE(IsError(client().Delete("/memory/session/u1/never"), 404, "not_found"));
}

TEST_F(ErasureTest, EraseMessage) {
  json stored = Store("u1", "s1",
                      {Message("user", "walrus keep"), Message("user", "walrus drop"),
                       Message("user", "walrus keep too")});
  std::string drop = stored["message_ids"][1];
  HttpResponse response = client().Delete("/memory/message/u1/" + Encode(drop));
  ASSERT_TRUE(response.status == 200 || response.status == 204) << response.Describe();

  json messages = SessionMessages("u1", "s1");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0]["content"], "walrus keep");
  EXPECT_EQ(messages[1]["content"], "walrus keep too");
  HttpResponse search = client().PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "drop"}, {"mode", "fulltext"}});
  EXPECT_TRUE(search.Json()["results"].empty()) << search.Describe();
  HttpResponse context = client().Get("/memory/context/u1?session_id=s1");
  EXPECT_EQ(context.Json()["messages"].size(), 2u);
  HttpResponse sessions = client().Get("/memory/sessions/u1");
  ASSERT_EQ(sessions.Json()["sessions"].size(), 1u) << sessions.Describe();
  EXPECT_EQ(sessions.Json()["sessions"][0]["message_count"], 2) << sessions.Describe();

  EXPECT_TRUE(IsError(client().Delete("/memory/message/u1/" + Encode(drop)), 404, "not_found"));
  EXPECT_TRUE(IsError(client().Delete("/memory/message/u1/m_doesnotexist"), 404, "not_found"));
  // Another user's message cannot be erased through this user's path.
  json other = Store("u2", "s1", {Message("user", "walrus of u2")});
  std::string others_id = other["message_ids"][0];
  EXPECT_TRUE(
      IsError(client().Delete("/memory/message/u1/" + Encode(others_id)), 404, "not_found"));
  EXPECT_EQ(SessionMessages("u2", "s1").size(), 1u);
}

TEST_F(ErasureTest, ErasedUserCanStartAgain) {
  StoreWalruses("u1");
  ASSERT_EQ(client().Delete("/memory/user/u1").status, 200);
  Store("u1", "s1", {Message("user", "a fresh start")});
  json messages = SessionMessages("u1", "s1");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["content"], "a fresh start");
}

}  // namespace
}  // namespace loci::integration
