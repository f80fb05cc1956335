// Stored API keys over real HTTP and the real command line: `loci keys create|list|revoke`
// against the database of a running server, scopes, tenants, and per-key rate limits.
#include <chrono>
#include <thread>

#include "integration/test_util.h"

namespace loci::integration {
namespace {

constexpr char kEnvAdminKey[] = "env-admin-key-0123456789";

struct CreatedKey {
  std::string id;
  std::string secret;
};

// The value of the "name: value" line of `text`, or "".
std::string Field(const std::string& text, const std::string& name) {
  const std::string prefix = name + ": ";
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text.compare(start, prefix.size(), prefix) == 0) {
      return text.substr(start + prefix.size(), end - start - prefix.size());
    }
    start = end + 1;
  }
  return "";
}

class KeysTest : public ServerTest {
 protected:
  Environment ServerEnvironment() const override {
    return {{"LOCI_API_KEYS", std::string(kEnvAdminKey) + ":ops:admin"}};
  }

  // Runs `loci keys args...` on the test's data folder (the server may be running on it).
  ExitInfo Keys(std::vector<std::string> args) const {
    args.insert(args.begin(), "keys");
    return TestServer::RunToExit(args, work_dir(),
                                 {{"LOCI_DATA_DIR", data_dir()}, {"LOG_LEVEL", "warn"}});
  }

  CreatedKey Create(const std::vector<std::string>& args) {
    std::vector<std::string> full = {"create"};
    full.insert(full.end(), args.begin(), args.end());
    ExitInfo info = Keys(full);
    EXPECT_TRUE(info.exited && info.code == 0) << info.stderr_text;
    CreatedKey key{Field(info.stdout_text, "id"), Field(info.stdout_text, "secret")};
    EXPECT_EQ(key.id.rfind("k_", 0), 0u) << info.stdout_text;
    EXPECT_EQ(key.secret.rfind("loci_", 0), 0u) << info.stdout_text;
    return key;
  }

  std::unique_ptr<HttpClient> ClientWith(const std::string& secret) const {
    auto client = NewClient();
    client->SetDefaultHeader("Authorization", "Bearer " + secret);
    return client;
  }

  static json StoreBody(const std::string& user_id, const std::string& content) {
    return {{"user_id", user_id}, {"session_id", "s1"}, {"messages", {Message("user", content)}}};
  }
};

TEST_F(KeysTest, CreateUseListRevoke) {
  CreatedKey key = Create({"--tenant", "acme", "--scope", "app", "--name", "ci bot"});
  auto client = ClientWith(key.secret);
  HttpResponse stored = client->PostJson("/memory/store", StoreBody("u1", "hello from a key"));
  ASSERT_EQ(stored.status, 201) << stored.Describe();
  HttpResponse sessions = client->Get("/memory/sessions/u1");
  ASSERT_EQ(sessions.status, 200) << sessions.Describe();
  EXPECT_EQ(sessions.Json()["sessions"].size(), 1u);

  ExitInfo listed = Keys({"list"});
  ASSERT_TRUE(listed.exited && listed.code == 0) << listed.stderr_text;
  EXPECT_NE(listed.stdout_text.find(key.id), std::string::npos) << listed.stdout_text;
  EXPECT_NE(listed.stdout_text.find("acme"), std::string::npos);
  EXPECT_NE(listed.stdout_text.find("ci bot"), std::string::npos);
  EXPECT_EQ(listed.stdout_text.find(key.secret), std::string::npos) << "list shows no secret";
  EXPECT_EQ(listed.stdout_text.find(key.secret.substr(5, 16)), std::string::npos);

  ExitInfo revoked = Keys({"revoke", key.id});
  ASSERT_TRUE(revoked.exited && revoked.code == 0) << revoked.stderr_text;
  // The running server caches lookups for 2 s: the key stops working within that.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  HttpResponse after;
  do {
    after = client->Get("/memory/sessions/u1");
    if (after.status == 401) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_TRUE(IsError(after, 401, "unauthenticated")) << after.Describe();

  ExitInfo relisted = Keys({"list", "--tenant", "acme"});
  ASSERT_TRUE(relisted.exited && relisted.code == 0);
  EXPECT_NE(relisted.stdout_text.find(key.id), std::string::npos);
  ExitInfo unknown = Keys({"revoke", "k_nothing"});
  EXPECT_TRUE(unknown.exited);
  EXPECT_NE(unknown.code, 0);
  // The configured key still works, and so does the server.
  EXPECT_EQ(ClientWith(kEnvAdminKey)->Get("/metrics").status, 200);
  ExpectHealthy();

  // Each command is in the audit log, as an operator's (key id "cli") of the key's tenant.
  CreatedKey admin = Create({"--tenant", "acme", "--scope", "admin"});
  json created = ClientWith(admin.secret)->Get("/audit?action=key_create").Json()["events"];
  ASSERT_EQ(created.size(), 2u) << created.dump();
  EXPECT_EQ(created[0]["key_id"], "cli");
  json revokes = ClientWith(admin.secret)->Get("/audit?action=key_revoke").Json()["events"];
  ASSERT_EQ(revokes.size(), 1u) << revokes.dump();
  EXPECT_EQ(revokes[0]["outcome"], "ok");
}

TEST_F(KeysTest, AppKeysCannotReachAdminRoutes) {
  CreatedKey app = Create({"--tenant", "acme", "--scope", "app"});
  CreatedKey admin = Create({"--tenant", "acme", "--scope", "admin"});
  EXPECT_TRUE(IsError(ClientWith(app.secret)->Get("/metrics"), 403, "permission_denied"));
  HttpResponse metrics = ClientWith(admin.secret)->Get("/metrics");
  EXPECT_EQ(metrics.status, 200) << metrics.Describe();
  EXPECT_TRUE(
      IsError(ClientWith(app.secret + "x")->Get("/memory/sessions/u1"), 401, "unauthenticated"));
}

TEST_F(KeysTest, TenantsSeeOnlyTheirOwnUsers) {
  auto a = ClientWith(Create({"--tenant", "tenantA"}).secret);
  auto b = ClientWith(Create({"--tenant", "tenantB"}).secret);
  ASSERT_EQ(a->PostJson("/memory/store", StoreBody("u1", "tenant A aardvark")).status, 201);

  HttpResponse sessions = b->Get("/memory/sessions/u1");
  ASSERT_EQ(sessions.status, 200) << sessions.Describe();
  EXPECT_EQ(sessions.Json()["sessions"], json::array());
  HttpResponse context = b->Get("/memory/context/u1?session_id=s1");
  ASSERT_EQ(context.status, 200) << context.Describe();
  EXPECT_EQ(context.body.find("aardvark"), std::string::npos);
  HttpResponse search = b->PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "aardvark"}, {"mode", "fulltext"}});
  ASSERT_EQ(search.status, 200) << search.Describe();
  EXPECT_EQ(search.Json()["results"], json::array());

  HttpResponse own = a->PostJson("/memory/search",
                                 {{"user_id", "u1"}, {"query", "aardvark"}, {"mode", "fulltext"}});
  EXPECT_EQ(own.Json()["results"].size(), 1u) << own.Describe();
}

TEST_F(KeysTest, OverItsRateAKeyGets429WithRetryAfter) {
  auto limited = ClientWith(Create({"--tenant", "acme", "--rate-limit", "2"}).secret);
  auto unlimited = ClientWith(Create({"--tenant", "acme", "--rate-limit", "0"}).secret);
  int ok = 0;
  HttpResponse refused;
  for (int i = 0; i < 10 && refused.status == 0; ++i) {
    HttpResponse response = limited->Get("/memory/sessions/u1");
    if (response.status == 200) {
      ++ok;
    } else {
      refused = response;
    }
  }
  EXPECT_GE(ok, 2);
  EXPECT_LE(ok, 4);  // a burst of 2, plus what refilled while the test ran
  ASSERT_TRUE(IsError(refused, 429, "rate_limited")) << refused.Describe();
  const std::optional<std::string> retry_after = refused.Header("Retry-After");
  ASSERT_TRUE(retry_after.has_value());
  EXPECT_GE(std::stoi(*retry_after), 1);
  EXPECT_EQ(retry_after->find_first_not_of("0123456789"), std::string::npos) << *retry_after;

  // Other keys are not slowed down by it.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(unlimited->Get("/memory/sessions/u1").status, 200);
  // After Retry-After, the key works again.
  std::this_thread::sleep_for(std::chrono::seconds(std::stoi(*retry_after)));
  EXPECT_EQ(limited->Get("/memory/sessions/u1").status, 200);
}

// A server with no LOCI_API_KEYS.
class KeysDevelopmentModeTest : public KeysTest {
 protected:
  Environment ServerEnvironment() const override { return {}; }
};

TEST_F(KeysDevelopmentModeTest, AStoredKeyEndsDevelopmentModeAtTheNextStart) {
  EXPECT_EQ(client().Get("/memory/sessions/u1").status, 200) << "development mode: no key";
  ASSERT_NO_FATAL_FAILURE(StopServer());
  CreatedKey key = Create({"--tenant", "acme"});
  ASSERT_NO_FATAL_FAILURE(StartServer());
  EXPECT_TRUE(IsError(client().Get("/memory/sessions/u1"), 401, "unauthenticated"));
  EXPECT_EQ(ClientWith(key.secret)->Get("/memory/sessions/u1").status, 200);

  // Revoking every key does not bring development mode back.
  ASSERT_TRUE(Keys({"revoke", key.id}).code == 0);
  ASSERT_NO_FATAL_FAILURE(StopServer());
  ASSERT_NO_FATAL_FAILURE(StartServer());
  EXPECT_TRUE(IsError(client().Get("/memory/sessions/u1"), 401, "unauthenticated"));
  EXPECT_TRUE(IsError(ClientWith(key.secret)->Get("/memory/sessions/u1"), 401, "unauthenticated"));
}

}  // namespace
}  // namespace loci::integration
