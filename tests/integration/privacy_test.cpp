// Privacy settings and retention over real HTTP: GET/PUT /memory/privacy, stores that keep
// nothing, PII redaction, tenants, and purges by `loci purge` and by the server's own purger.
#include <chrono>
#include <ctime>
#include <set>
#include <thread>

#include "integration/test_util.h"

namespace loci::integration {
namespace {

constexpr char kAppKeyA[] = "app-key-tenant-a-0001";
constexpr char kAppKeyB[] = "app-key-tenant-b-0001";

const json kDefaults = {{"store_messages", true},
                        {"learn_preferences", true},
                        {"retention_days", nullptr},
                        {"redact_pii", false}};

HttpResponse Put(HttpClient& client, const std::string& target, const std::string& body) {
  HttpRequest request;
  request.method = "PUT";
  request.target = target;
  request.body = body;
  return client.Send(request);
}

json Search(HttpClient& client, const std::string& user_id, const std::string& query) {
  HttpResponse response = client.PostJson(
      "/memory/search", {{"user_id", user_id}, {"query", query}, {"mode", "fulltext"}});
  EXPECT_EQ(response.status, 200) << response.Describe();
  return response.Json()["results"];
}

class PrivacyTest : public ServerTest {};

TEST_F(PrivacyTest, DefaultsRoundTripAndBadBodies) {
  HttpResponse fresh = client().Get("/memory/privacy/u1");
  ASSERT_EQ(fresh.status, 200) << fresh.Describe();
  EXPECT_EQ(fresh.Json(), kDefaults);

  HttpResponse put = Put(client(), "/memory/privacy/u1", R"({"retention_days": 30})");
  ASSERT_EQ(put.status, 200) << put.Describe();
  json expected = kDefaults;
  expected["retention_days"] = 30;
  EXPECT_EQ(put.Json(), expected);
  put = Put(client(), "/memory/privacy/u1", R"({"redact_pii": true, "learn_preferences": false})");
  ASSERT_EQ(put.status, 200) << put.Describe();
  expected["redact_pii"] = true;
  expected["learn_preferences"] = false;
  EXPECT_EQ(put.Json(), expected);
  EXPECT_EQ(client().Get("/memory/privacy/u1").Json(), expected);
  // The whole object, as GET returns it, is a valid PUT too.
  put = Put(client(), "/memory/privacy/u1", kDefaults.dump());
  EXPECT_EQ(put.Json(), kDefaults);

  const std::pair<const char*, const char*> bad[] = {
      {R"({"store_messages": "no"})", "store_messages"},
      {R"({"redact_pii": null})", "redact_pii"},
      {R"({"learn_preferences": 1})", "learn_preferences"},
      {R"({"retention_days": 0})", "retention_days"},
      {R"({"retention_days": 36501})", "retention_days"},
      {R"({"retention_days": 2.5})", "retention_days"},
      {R"({"retention_days": "30"})", "retention_days"},
      {R"({"retention_days": 18446744073709551615})", "retention_days"},
      {R"({"retention": 30})", "retention"},
  };
  for (const auto& [body, field] : bad) {
    EXPECT_TRUE(IsError(Put(client(), "/memory/privacy/u1", body), 400, "invalid_argument", field))
        << body;
  }
  EXPECT_TRUE(IsError(Put(client(), "/memory/privacy/u1", "[]"), 400, "invalid_argument"));
  EXPECT_EQ(client().Get("/memory/privacy/u1").Json(), kDefaults);
  // Reading an unknown user created nothing: there is nothing to export.
  client().Get("/memory/privacy/nobody");
  EXPECT_TRUE(IsError(client().Get("/memory/export/nobody"), 404, "not_found"));
}

TEST_F(PrivacyTest, StoreMessagesOffKeepsNothing) {
  ASSERT_EQ(Put(client(), "/memory/privacy/u1", R"({"store_messages": false})").status, 200);
  HttpResponse response = client().PostJson(
      "/memory/store", {{"user_id", "u1"},
                        {"session_id", "s1"},
                        {"messages", {Message("user", "the walrus plan"), Message("user", "x")}}});
  ASSERT_EQ(response.status, 201) << response.Describe();
  json body = response.Json();
  EXPECT_EQ(body["stored"], 0);
  EXPECT_EQ(body["discarded"], 2);
  EXPECT_EQ(body["reason"], "store_messages_disabled");
  EXPECT_EQ(body["message_ids"], json::array());
  EXPECT_TRUE(SessionMessages("u1", "s1").empty());
  EXPECT_EQ(Search(client(), "u1", "walrus"), json::array());
  EXPECT_EQ(client().Get("/memory/context/u1").Json()["messages"], json::array());
}

TEST_F(PrivacyTest, RedactionReplacesPiiInStoredContentAndIndex) {
  ASSERT_EQ(Put(client(), "/memory/privacy/u1", R"({"redact_pii": true})").status, 200);
  Store("u1", "s1",
        Message("user",
                "mail jane.doe@example.com, call +44 20 7946 0958, card 4111-1111-1111-1111"));
  json stored = SessionMessages("u1", "s1");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0]["content"], "mail [EMAIL], call [PHONE], card [CARD]");
  EXPECT_EQ(Search(client(), "u1", "jane"), json::array());
  EXPECT_EQ(Search(client(), "u1", "example.com"), json::array());
  EXPECT_EQ(Search(client(), "u1", "EMAIL").size(), 1u);
  // Not for a user without the setting.
  Store("u2", "s1", Message("user", "mail jane.doe@example.com"));
  EXPECT_EQ(SessionMessages("u2", "s1")[0]["content"], "mail jane.doe@example.com");
}

class PrivacyTenantTest : public ServerTest {
 protected:
  Environment ServerEnvironment() const override {
    return {{"LOCI_API_KEYS", std::string(kAppKeyA) + ":tenantA:app," + kAppKeyB + ":tenantB:app"}};
  }
};

TEST_F(PrivacyTenantTest, AnotherTenantNeitherReadsNorChangesTheSettings) {
  auto a = NewClient();
  a->SetDefaultHeader("Authorization", std::string("Bearer ") + kAppKeyA);
  auto b = NewClient();
  b->SetDefaultHeader("Authorization", std::string("Bearer ") + kAppKeyB);
  ASSERT_EQ(Put(*a, "/memory/privacy/u1", R"({"store_messages": false})").status, 200);
  EXPECT_EQ(b->Get("/memory/privacy/u1").Json(), kDefaults);
  ASSERT_EQ(Put(*b, "/memory/privacy/u1", R"({"retention_days": 5})").status, 200);
  EXPECT_EQ(a->Get("/memory/privacy/u1").Json()["retention_days"], nullptr);
  EXPECT_EQ(a->Get("/memory/privacy/u1").Json()["store_messages"], false);
  EXPECT_TRUE(IsError(client().Get("/memory/privacy/u1"), 401, "unauthenticated"));
}

// created_at `days` days before now, in RFC 3339.
std::string DaysAgo(int days) {
  const auto when = std::chrono::system_clock::now() - std::chrono::hours(24 * days);
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
  return text;
}

class RetentionTest : public ServerTest {
 protected:
  Environment ServerEnvironment() const override { return {{"CONTEXT_RETENTION_DAYS", "30"}}; }

  void StoreHistory(const std::string& user_id) {
    Store(user_id, "old",
          {Message("user", "walrus ancient", {{"created_at", DaysAgo(100)}}),
           Message("user", "walrus older", {{"created_at", DaysAgo(40)}})});
    Store(user_id, "mixed",
          {Message("user", "walrus stale", {{"created_at", DaysAgo(35)}}),
           Message("user", "walrus recent", {{"created_at", DaysAgo(3)}})});
    Store(user_id, "new", Message("user", "walrus today"));
  }

  void ExpectOnlyRecent(const std::string& user_id, std::size_t expected_recent) {
    json sessions = client().Get("/memory/sessions/" + user_id).Json()["sessions"];
    std::set<std::string> names;
    for (const json& session : sessions) names.insert(session["session_id"]);
    EXPECT_EQ(names, (std::set<std::string>{"mixed", "new"})) << sessions.dump();
    EXPECT_TRUE(SessionMessages(user_id, "old").empty());
    json mixed = SessionMessages(user_id, "mixed");
    ASSERT_EQ(mixed.size(), 1u);
    EXPECT_EQ(mixed[0]["content"], "walrus recent");
    EXPECT_EQ(Search(client(), user_id, "walrus").size(), expected_recent);
    EXPECT_EQ(Search(client(), user_id, "ancient"), json::array());
    json context = client().Get("/memory/context/" + user_id + "?session_id=mixed").Json();
    ASSERT_EQ(context["messages"].size(), 1u) << context.dump();
  }
};

TEST_F(RetentionTest, LociPurgeRemovesExpiredMessagesOfAStoppedServer) {
  StoreHistory("u1");
  ASSERT_EQ(Put(client(), "/memory/privacy/u2", R"({"retention_days": 2})").status, 200);
  StoreHistory("u2");
  // Refused while the server runs on the data folder.
  ExitInfo refused = TestServer::RunToExit(
      {"purge"}, work_dir(), BaseEnvironment(data_dir(), {{"CONTEXT_RETENTION_DAYS", "30"}}));
  EXPECT_EQ(refused.code, 1) << refused.stderr_text;

  StopServer();
  ExitInfo purge = TestServer::RunToExit(
      {"purge"}, work_dir(), BaseEnvironment(data_dir(), {{"CONTEXT_RETENTION_DAYS", "30"}}));
  ASSERT_EQ(purge.code, 0) << purge.stderr_text;
  // u1: 3 by the operator's 30 days; u2: also "walrus recent" by its own 2 days.
  EXPECT_NE(purge.stdout_text.find("purged 7 messages"), std::string::npos) << purge.stdout_text;
  EXPECT_NE(purge.stdout_text.find("default\tu2\t4 messages"), std::string::npos)
      << purge.stdout_text;
  StartServer();
  ExpectOnlyRecent("u1", 2);
  EXPECT_EQ(SessionMessages("u2", "mixed"), json::array());
  // The command's purge and the settings change are in the audit log.
  json purged = client().Get("/audit?action=retention_purge&user_id=u2").Json()["events"];
  ASSERT_EQ(purged.size(), 1u) << purged.dump();
  EXPECT_EQ(purged[0]["count"], 4);
  json changed = client().Get("/audit?action=privacy_update&user_id=u2").Json()["events"];
  ASSERT_EQ(changed.size(), 1u) << changed.dump();
  EXPECT_EQ(changed[0]["outcome"], "ok");
  EXPECT_EQ(Search(client(), "u2", "walrus").size(), 1u);
}

class BackgroundPurgeTest : public RetentionTest {
 protected:
  Environment ServerEnvironment() const override { return {{"LOCI_PURGE_INTERVAL_SECONDS", "1"}}; }
};

TEST_F(BackgroundPurgeTest, TheServerPurgesOnItsOwn) {
  StoreHistory("u1");
  // Warm the context cache with messages that expire once the user sets a retention: the
  // purge must invalidate it.
  ASSERT_EQ(client().Get("/memory/context/u1?session_id=mixed").Json()["messages"].size(), 2u);
  ASSERT_EQ(Put(client(), "/memory/privacy/u1", R"({"retention_days": 30})").status, 200);
  for (int i = 0; i < 100 && !SessionMessages("u1", "old").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ExpectOnlyRecent("u1", 2);
  // The purge is audited, as the server's own action, with the count of messages erased.
  json events = client().Get("/audit?action=retention_purge&user_id=u1").Json()["events"];
  ASSERT_EQ(events.size(), 1u) << events.dump();
  EXPECT_EQ(events[0]["key_id"], "retention");
  EXPECT_EQ(events[0]["count"], 3);
  StopServer();  // the purger stops cleanly with the server
}

}  // namespace
}  // namespace loci::integration
