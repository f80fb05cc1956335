// GET /memory/sessions/{user_id} and GET /memory/session/{user_id}/{session_id} over real
// HTTP: listing, counts and times, paging with limit/before/next_before.
#include <set>

#include "integration/test_util.h"

namespace loci::integration {
namespace {

using SessionsTest = ServerTest;

TEST_F(SessionsTest, ListsSessionsWithCountsAndTimes) {
  Store("u1", "s1",
        {Message("user", "a", {{"created_at", Timestamp(0)}}),
         Message("user", "b", {{"created_at", Timestamp(1)}}),
         Message("user", "c", {{"created_at", Timestamp(2)}})});
  Store("u1", "s2",
        {Message("user", "d", {{"created_at", Timestamp(10)}}),
         Message("user", "e", {{"created_at", Timestamp(11)}})});
  Store("u2", "s3", {Message("user", "other user")});

  HttpResponse response = client().Get("/memory/sessions/u1");
  ASSERT_EQ(response.status, 200) << response.Describe();
  json body = response.Json();
  ASSERT_TRUE(body["sessions"].is_array()) << response.Describe();
  ASSERT_EQ(body["sessions"].size(), 2u) << response.Describe();
  // Most recently active first.
  const json& newest = body["sessions"][0];
  const json& oldest = body["sessions"][1];
  EXPECT_EQ(newest["session_id"], "s2");
  EXPECT_EQ(newest["message_count"], 2);
  EXPECT_EQ(newest["first_at"], Timestamp(10));
  EXPECT_EQ(newest["last_at"], Timestamp(11));
  EXPECT_EQ(oldest["session_id"], "s1");
  EXPECT_EQ(oldest["message_count"], 3);
  EXPECT_EQ(oldest["first_at"], Timestamp(0));
  EXPECT_EQ(oldest["last_at"], Timestamp(2));
}

TEST_F(SessionsTest, UnknownUserHasNoSessions) {
  HttpResponse response = client().Get("/memory/sessions/nobody");
  ASSERT_EQ(response.status, 200) << response.Describe();
  EXPECT_EQ(response.Json()["sessions"], json::array());
}

TEST_F(SessionsTest, PagesBackwardsWithBefore) {
  json messages = json::array();
  for (int i = 0; i < 25; ++i) {
    messages.push_back(
        Message("user", "page " + std::to_string(i), {{"created_at", Timestamp(i)}}));
  }
  json stored = Store("u1", "s1", messages);

  HttpResponse first = client().Get("/memory/session/u1/s1?limit=10");
  ASSERT_EQ(first.status, 200) << first.Describe();
  json page = first.Json();
  ASSERT_EQ(page["messages"].size(), 10u);
  // The newest ten, oldest first.
  EXPECT_EQ(page["messages"][0]["content"], "page 15");
  EXPECT_EQ(page["messages"][9]["content"], "page 24");
  ASSERT_TRUE(page["next_before"].is_string()) << first.Describe();

  HttpResponse second = client().Get("/memory/session/u1/s1?limit=10&before=" +
                                     Encode(page["next_before"].get<std::string>()));
  ASSERT_EQ(second.status, 200) << second.Describe();
  json page2 = second.Json();
  ASSERT_EQ(page2["messages"].size(), 10u);
  EXPECT_EQ(page2["messages"][0]["content"], "page 5");
  EXPECT_EQ(page2["messages"][9]["content"], "page 14");
  ASSERT_TRUE(page2["next_before"].is_string());

  HttpResponse third = client().Get("/memory/session/u1/s1?limit=10&before=" +
                                    Encode(page2["next_before"].get<std::string>()));
  ASSERT_EQ(third.status, 200) << third.Describe();
  json page3 = third.Json();
  ASSERT_EQ(page3["messages"].size(), 5u);
  EXPECT_EQ(page3["messages"][0]["content"], "page 0");
  EXPECT_TRUE(page3["next_before"].is_null()) << third.Describe();

  json all = SessionMessages("u1", "s1");
  ASSERT_EQ(all.size(), 25u);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i]["id"], stored["message_ids"][i]);
    ids.insert(all[i]["id"].get<std::string>());
  }
  EXPECT_EQ(ids.size(), 25u);
}

TEST_F(SessionsTest, PagingFollowsTimeEvenWhenArrivalDiffers) {
  // Imported turns arrive out of order; pages of one walk the session in time order, each
  // turn exactly once.
  for (int minute : {14, 13, 15, 11, 12}) {
    Store("u1", "s1",
          {Message("user", "at " + std::to_string(minute), {{"created_at", Timestamp(minute)}})});
  }
  std::vector<std::string> seen;
  std::string target = "/memory/session/u1/s1?limit=1";
  for (int page = 0; page < 10; ++page) {
    HttpResponse response = client().Get(target);
    ASSERT_EQ(response.status, 200) << response.Describe();
    json body = response.Json();
    for (const json& message : body["messages"]) seen.push_back(message["content"]);
    if (body["next_before"].is_null()) break;
    target =
        "/memory/session/u1/s1?limit=1&before=" + Encode(body["next_before"].get<std::string>());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"at 15", "at 14", "at 13", "at 12", "at 11"}));
}

TEST_F(SessionsTest, ExactlyOneFullPageEndsPaging) {
  json messages = json::array();
  for (int i = 0; i < 10; ++i) messages.push_back(Message("user", "message " + std::to_string(i)));
  Store("u1", "s1", messages);
  HttpResponse response = client().Get("/memory/session/u1/s1?limit=10");
  ASSERT_EQ(response.status, 200) << response.Describe();
  json page = response.Json();
  ASSERT_EQ(page["messages"].size(), 10u);
  if (page["next_before"].is_string()) {  // allowed, but then the next page must be empty
    HttpResponse next = client().Get("/memory/session/u1/s1?limit=10&before=" +
                                     Encode(page["next_before"].get<std::string>()));
    ASSERT_EQ(next.status, 200) << next.Describe();
    EXPECT_TRUE(next.Json()["messages"].empty());
    EXPECT_TRUE(next.Json()["next_before"].is_null());
  }
}

TEST_F(SessionsTest, DefaultLimitAndBadParameters) {
  json messages = json::array();
  for (int i = 0; i < 60; ++i) messages.push_back(Message("user", "message " + std::to_string(i)));
  Store("u1", "s1", messages);
  HttpResponse response = client().Get("/memory/session/u1/s1");
  ASSERT_EQ(response.status, 200) << response.Describe();
  EXPECT_GE(response.Json()["messages"].size(), 1u);
  EXPECT_LE(response.Json()["messages"].size(), 60u);

  EXPECT_TRUE(
      IsError(client().Get("/memory/session/u1/s1?limit=0"), 400, "invalid_argument", "limit"));
  EXPECT_TRUE(
      IsError(client().Get("/memory/session/u1/s1?limit=x"), 400, "invalid_argument", "limit"));
  EXPECT_TRUE(
      IsError(client().Get("/memory/session/u1/s1?before=m_nosuchmessage"), 404, "not_found") ||
      IsError(client().Get("/memory/session/u1/s1?before=m_nosuchmessage"), 400, "invalid_argument",
              "before"));
  ExpectHealthy();
}

TEST_F(SessionsTest, UnknownSessionIsNotFound) {
  Store("u1", "s1", {Message("user", "hi")});
  HttpResponse response = client().Get("/memory/session/u1/nosuch");
  EXPECT_TRUE(IsError(response, 404, "not_found")) << response.Describe();
}

TEST_F(SessionsTest, EncodedSessionIds) {
  const std::string session = "trip/2023 ? #1 ü";
  Store("user one", session, {Message("user", "encoded")});
  json messages = SessionMessages("user one", session);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["session_id"], session);
  HttpResponse sessions = client().Get("/memory/sessions/" + Encode("user one"));
  ASSERT_EQ(sessions.status, 200) << sessions.Describe();
  ASSERT_EQ(sessions.Json()["sessions"].size(), 1u);
  EXPECT_EQ(sessions.Json()["sessions"][0]["session_id"], session);
  HttpResponse erased =
      client().Delete("/memory/session/" + Encode("user one") + "/" + Encode(session));
  EXPECT_EQ(erased.status, 200) << erased.Describe();
  EXPECT_TRUE(client().Get("/memory/sessions/" + Encode("user one")).Json()["sessions"].empty());
}

}  // namespace
}  // namespace loci::integration
