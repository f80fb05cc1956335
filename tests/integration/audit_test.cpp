// The audit log over real HTTP and the real command line: events for every access with the
// caller's key and the user's pseudonym (never the user id), admin scope and tenant
// separation on /audit, `loci audit verify` on a clean and a tampered database, and events
// that outlive the erasure of their user.
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "integration/test_util.h"

namespace loci::integration {
namespace {

constexpr char kAdminA[] = "admin-key-tenant-a-0123456789";
constexpr char kAppA[] = "app-key-tenant-a-0123456789";
constexpr char kAdminB[] = "admin-key-tenant-b-0123456789";
constexpr char kUser[] = "user-7f3a-distinctive-id";

class AuditTest : public ServerTest {
 protected:
  Environment ServerEnvironment() const override {
    return {{"LOCI_API_KEYS", std::string(kAppA) + ":tenantA:app," + kAdminA + ":tenantA:admin," +
                                  kAdminB + ":tenantB:admin"}};
  }

  void SetUp() override {
    ServerTest::SetUp();
    client().SetDefaultHeader("Authorization", std::string("Bearer ") + kAppA);
  }

  std::unique_ptr<HttpClient> ClientWith(const std::string& key) const {
    auto client = NewClient();
    client->SetDefaultHeader("Authorization", "Bearer " + key);
    return client;
  }

  json Events(const std::string& query, const std::string& key = kAdminA) {
    HttpResponse response = ClientWith(key)->Get("/audit" + query);
    EXPECT_EQ(response.status, 200) << response.Describe();
    return response.Json();
  }

  ExitInfo Verify() const {
    return TestServer::RunToExit({"audit", "verify"}, work_dir(),
                                 {{"LOCI_DATA_DIR", data_dir()}, {"LOG_LEVEL", "warn"}});
  }

  std::string ReadFile(const std::string& path) const {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

TEST_F(AuditTest, AccessesAreRecordedWithKeyOutcomeAndPseudonym) {
  Store(kUser, "s1", Message("user", "I moved to Lisbon last spring."));
  ASSERT_EQ(client().Get(std::string("/memory/context/") + kUser).status, 200);
  ASSERT_EQ(client()
                .PostJson("/memory/search",
                          {{"user_id", kUser}, {"query", "Lisbon"}, {"mode", "fulltext"}})
                .status,
            200);
  ASSERT_EQ(client().Get(std::string("/memory/session/") + kUser + "/nope").status, 404);

  HttpResponse raw = ClientWith(kAdminA)->Get(std::string("/audit?user_id=") + kUser);
  ASSERT_EQ(raw.status, 200) << raw.Describe();
  EXPECT_EQ(raw.body.find(kUser), std::string::npos) << "the user id is in the audit log";
  const json events = raw.Json()["events"];
  ASSERT_EQ(events.size(), 4u) << raw.body;
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"store", "ok"}, {"context", "ok"}, {"search", "ok"}, {"session_read", "not_found"}};
  const std::string pseudonym = events[0]["user"];
  EXPECT_EQ(pseudonym.size(), 32u);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(events[i]["action"], expected[i].first);
    EXPECT_EQ(events[i]["outcome"], expected[i].second);
    EXPECT_EQ(events[i]["user"], pseudonym);
    EXPECT_EQ(events[i]["tenant"], "tenantA");
    EXPECT_EQ(events[i]["key_id"], events[0]["key_id"]);
    EXPECT_FALSE(events[i]["key_id"].get<std::string>().empty());
  }
  EXPECT_EQ(events[0]["count"], 1);
  EXPECT_EQ(events[2]["count"], 1);

  const json searches = Events("?action=search")["events"];
  ASSERT_EQ(searches.size(), 1u);
  EXPECT_EQ(searches[0]["action"], "search");
  EXPECT_TRUE(Events("?since=2999-01-01T00:00:00Z")["events"].empty());
  const json page = Events("?limit=2");
  EXPECT_EQ(page["events"].size(), 2u);
  EXPECT_EQ(page["next_after"], page["events"][1]["seq"]);

  // The admin's own reads are audited too, without a user.
  const json listed = Events("?action=audit_list")["events"];
  ASSERT_FALSE(listed.empty());
  EXPECT_EQ(listed[0]["user"], pseudonym);  // the first listing filtered by the user
  EXPECT_NE(listed[0]["key_id"], events[0]["key_id"]);

  HttpResponse verdict = ClientWith(kAdminA)->Get("/audit/verify");
  ASSERT_EQ(verdict.status, 200) << verdict.Describe();
  EXPECT_EQ(verdict.Json()["ok"], true) << verdict.body;
  EXPECT_GE(verdict.Json()["events"].get<int>(), 4);
}

TEST_F(AuditTest, AppKeysAreRefusedAndAdminsSeeTheirOwnTenant) {
  Store(kUser, "s1", Message("user", "hello"));
  EXPECT_TRUE(IsError(client().Get("/audit"), 403, "permission_denied"));
  EXPECT_TRUE(IsError(client().Get("/audit/verify"), 403, "permission_denied"));
  EXPECT_TRUE(
      IsError(ClientWith(kAdminA)->Get("/audit?limit=0"), 400, "invalid_argument", "limit"));
  EXPECT_TRUE(IsError(ClientWith(kAdminA)->Get("/audit?since=yesterday"), 400, "invalid_argument",
                      "since"));

  const json mine = Events("?action=store", kAdminA)["events"];
  ASSERT_EQ(mine.size(), 1u);
  const json theirs = Events("", kAdminB)["events"];
  for (const json& event : theirs) EXPECT_EQ(event["tenant"], "tenantB") << event.dump();
  EXPECT_TRUE(Events(std::string("?user_id=") + kUser, kAdminB)["events"].empty());
}

TEST_F(AuditTest, EventsSurviveErasureAndHoldNoUserId) {
  Store(kUser, "s1", Message("user", "something personal"));
  ASSERT_EQ(client().Delete(std::string("/memory/user/") + kUser).status, 200);
  const json events = Events(std::string("?user_id=") + kUser)["events"];
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["action"], "store");
  EXPECT_EQ(events[1]["action"], "erase_user");
  EXPECT_EQ(events[0]["user"], events[1]["user"]);

  StopServer();
  const std::string db = data_dir() + "/loci.db";
  EXPECT_EQ(ReadFile(db).find(kUser), std::string::npos) << "the user id survived in " << db;
  EXPECT_EQ(QuerySingle(db, "SELECT count(*) FROM audit_events WHERE subject = '" +
                                events[0]["user"].get<std::string>() + "'"),
            "3");  // store, erase_user and the audit_list that asked about the user
  StartServer();
  const json after = Events(std::string("?user_id=") + kUser)["events"];
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[2]["action"], "audit_list");
}

TEST_F(AuditTest, VerifyFindsARawEditOnAStoppedServersDatabase) {
  Store(kUser, "s1", Message("user", "one"));
  Store(kUser, "s1", Message("user", "two"));
  ASSERT_EQ(client().Get(std::string("/memory/context/") + kUser).status, 200);
  StopServer();

  ExitInfo clean = Verify();
  EXPECT_TRUE(clean.exited);
  EXPECT_EQ(clean.code, 0) << clean.stdout_text << clean.stderr_text;
  EXPECT_EQ(clean.stdout_text, "ok: 3 events\n");

  const std::string db = data_dir() + "/loci.db";
  const std::string edit =
      "sqlite3 '" + db + "' 'UPDATE audit_events SET count = 5 WHERE seq = 2' 2>/dev/null";
  if (std::system(edit.c_str()) != 0) GTEST_SKIP() << "no sqlite3 command to tamper with";
  ASSERT_EQ(QuerySingle(db, "SELECT count FROM audit_events WHERE seq = 2"), "5");
  ExitInfo tampered = Verify();
  EXPECT_TRUE(tampered.exited);
  EXPECT_EQ(tampered.code, 1) << tampered.stdout_text << tampered.stderr_text;
  EXPECT_NE(tampered.stdout_text.find("event 2"), std::string::npos) << tampered.stdout_text;

  StartServer();
  HttpResponse verdict = ClientWith(kAdminA)->Get("/audit/verify");
  ASSERT_EQ(verdict.status, 200);
  EXPECT_EQ(verdict.Json()["ok"], false);
  EXPECT_EQ(verdict.Json()["first_bad_seq"], 2);
}

}  // namespace
}  // namespace loci::integration
