// API keys and tenants over real HTTP: who gets in, and that one tenant never sees or erases
// another tenant's data.
#include "integration/test_util.h"

namespace loci::integration {
namespace {

constexpr char kAppKeyA[] = "app-key-tenant-a-0001";
constexpr char kAdminKeyA[] = "admin-key-tenant-a-01";
constexpr char kAppKeyB[] = "app-key-tenant-b-0001";

class AuthTest : public ServerTest {
 protected:
  Environment ServerEnvironment() const override {
    return {{"LOCI_API_KEYS", std::string(kAppKeyA) + ":tenantA:app," + kAdminKeyA +
                                  ":tenantA:admin," + kAppKeyB + ":tenantB:app"}};
  }

  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    a_ = NewClient();
    a_->SetDefaultHeader("Authorization", std::string("Bearer ") + kAppKeyA);
    b_ = NewClient();
    b_->SetDefaultHeader("Authorization", std::string("Bearer ") + kAppKeyB);
  }

  void TearDown() override {
    a_.reset();
    b_.reset();
    ServerTest::TearDown();
  }

  // Stores as tenant A's user u1: two sessions, three aardvarks.
  json StoreAsA() {
    HttpResponse response = a_->PostJson(
        "/memory/store",
        {{"user_id", "u1"},
         {"session_id", "s1"},
         {"messages",
          {Message("user", "tenant A secret aardvark"), Message("assistant", "aardvark noted")}}});
    EXPECT_EQ(response.status, 201) << response.Describe();
    HttpResponse more = a_->PostJson(
        "/memory/store",
        {{"user_id", "u1"}, {"session_id", "s2"}, {"messages", {Message("user", "aardvark 3")}}});
    EXPECT_EQ(more.status, 201) << more.Describe();
    return response.Json();
  }

  void ExpectAStillHasEverything() {
    HttpResponse sessions = a_->Get("/memory/sessions/u1");
    ASSERT_EQ(sessions.status, 200) << sessions.Describe();
    EXPECT_EQ(sessions.Json()["sessions"].size(), 2u) << sessions.Describe();
    HttpResponse search = a_->PostJson(
        "/memory/search", {{"user_id", "u1"}, {"query", "aardvark"}, {"mode", "fulltext"}});
    ASSERT_EQ(search.status, 200) << search.Describe();
    EXPECT_EQ(search.Json()["results"].size(), 3u) << search.Describe();
    HttpResponse context = a_->Get("/memory/context/u1?session_id=s1");
    ASSERT_EQ(context.status, 200) << context.Describe();
    EXPECT_EQ(context.Json()["messages"].size(), 2u) << context.Describe();
  }

  std::unique_ptr<HttpClient> a_;
  std::unique_ptr<HttpClient> b_;
};

TEST_F(AuthTest, MissingKeyIs401) {
  struct Case {
    const char* method;
    const char* target;
    const char* body;
  };
  const std::string store_body =
      "{\"user_id\":\"u1\",\"messages\":[{\"role\":\"user\","
      "\"content\":\"x\"}]}";
  for (Case c :
       {Case{"POST", "/memory/store", store_body.c_str()},
        Case{"GET", "/memory/context/u1", nullptr},
        Case{"POST", "/memory/search", "{\"user_id\":\"u1\",\"query\":\"x\"}"},
        Case{"DELETE", "/memory/user/u1", nullptr}, Case{"GET", "/memory/sessions/u1", nullptr},
        Case{"GET", "/memory/session/u1/s1", nullptr},
        Case{"DELETE", "/memory/session/u1/s1", nullptr},
        Case{"DELETE", "/memory/message/u1/m_x", nullptr}, Case{"GET", "/metrics", nullptr},
        Case{"GET", "/openapi.json", nullptr}}) {
    SCOPED_TRACE(std::string(c.method) + " " + c.target);
    HttpRequest request;
    request.method = c.method;
    request.target = c.target;
    if (c.body) request.body = c.body;
    HttpResponse response = client().Send(request);
    EXPECT_TRUE(IsError(response, 401, "unauthenticated"));
    EXPECT_TRUE(response.Header("WWW-Authenticate").has_value())
        << "a 401 should carry WWW-Authenticate: Bearer";
  }
  // Nothing was stored by the unauthenticated request.
  HttpResponse sessions = a_->Get("/memory/sessions/u1");
  ASSERT_EQ(sessions.status, 200) << sessions.Describe();
  EXPECT_TRUE(sessions.Json()["sessions"].empty());
}

TEST_F(AuthTest, WrongKeyIs401) {
  for (const std::string& authorization :
       {std::string("Bearer not-a-configured-key-000"), std::string("Bearer "),
        std::string("Bearer"), std::string(kAppKeyA), std::string("Basic ") + kAppKeyA,
        std::string("Bearer ") + kAppKeyA + "x", std::string("Bearer ") + kAppKeyA + ":tenantA",
        std::string("Bearer app-key-tenant-a-000")}) {
    SCOPED_TRACE(authorization);
    HttpResponse response = client().Get("/memory/context/u1", {{"Authorization", authorization}});
    EXPECT_TRUE(IsError(response, 401, "unauthenticated"));
    EXPECT_EQ(response.body.find(kAppKeyA), std::string::npos) << "a key must not be echoed";
  }
}

TEST_F(AuthTest, HealthNeedsNoKey) {
  EXPECT_EQ(client().Get("/healthz").status, 200);
  EXPECT_EQ(client().Get("/readyz").status, 200);
  EXPECT_EQ(client().Get("/healthz", {{"Authorization", "Bearer wrong-key-wrong-key"}}).status,
            200);
}

TEST_F(AuthTest, ValidKeysWork) {
  StoreAsA();
  ExpectAStillHasEverything();
  // The admin key of the same tenant sees the same data.
  auto admin = NewClient();
  admin->SetDefaultHeader("Authorization", std::string("Bearer ") + kAdminKeyA);
  HttpResponse sessions = admin->Get("/memory/sessions/u1");
  ASSERT_EQ(sessions.status, 200) << sessions.Describe();
  EXPECT_EQ(sessions.Json()["sessions"].size(), 2u);
  // The scheme name is case-insensitive (RFC 7235).
  HttpResponse lower =
      client().Get("/memory/sessions/u1", {{"Authorization", std::string("bearer ") + kAppKeyA}});
  EXPECT_EQ(lower.status, 200) << lower.Describe();
}

TEST_F(AuthTest, OtherTenantSeesNothing) {
  json stored = StoreAsA();

  HttpResponse context = b_->Get("/memory/context/u1");
  ASSERT_EQ(context.status, 200) << context.Describe();
  EXPECT_EQ(context.Json()["messages"], json::array()) << context.Describe();
  EXPECT_EQ(context.body.find("aardvark"), std::string::npos) << context.Describe();
  HttpResponse in_session = b_->Get("/memory/context/u1?session_id=s1");
  ASSERT_EQ(in_session.status, 200) << in_session.Describe();
  EXPECT_EQ(in_session.body.find("aardvark"), std::string::npos) << in_session.Describe();

  HttpResponse search = b_->PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "aardvark"}, {"mode", "fulltext"}});
  ASSERT_EQ(search.status, 200) << search.Describe();
  EXPECT_EQ(search.Json()["results"], json::array()) << search.Describe();

  HttpResponse sessions = b_->Get("/memory/sessions/u1");
  ASSERT_EQ(sessions.status, 200) << sessions.Describe();
  EXPECT_EQ(sessions.Json()["sessions"], json::array()) << sessions.Describe();

  HttpResponse page = b_->Get("/memory/session/u1/s1");
  EXPECT_TRUE(IsError(page, 404, "not_found") ||
              (page.status == 200 && page.Json()["messages"].empty()))
      << page.Describe();
  EXPECT_EQ(page.body.find("aardvark"), std::string::npos);
  ExpectAStillHasEverything();
}

TEST_F(AuthTest, OtherTenantCannotErase) {
  json stored = StoreAsA();

  HttpResponse erase_user = b_->Delete("/memory/user/u1");
  ASSERT_EQ(erase_user.status, 200) << erase_user.Describe();
  EXPECT_EQ(erase_user.Json()["deleted"]["messages"], 0) << erase_user.Describe();
  EXPECT_EQ(erase_user.Json()["deleted"]["sessions"], 0) << erase_user.Describe();

  EXPECT_TRUE(IsError(b_->Delete("/memory/session/u1/s1"), 404, "not_found"));
  std::string id = stored["message_ids"][0];
  EXPECT_TRUE(IsError(b_->Delete("/memory/message/u1/" + Encode(id)), 404, "not_found"));

  ExpectAStillHasEverything();
}

TEST_F(AuthTest, TenantsHaveSeparateUsersAndKeys) {
  StoreAsA();
  HttpResponse b_store = b_->PostJson(
      "/memory/store",
      {{"user_id", "u1"},
       {"session_id", "s1"},
       {"messages", {Message("user", "tenant B pangolin", {{"idempotency_key", "shared-key"}})}}});
  ASSERT_EQ(b_store.status, 201) << b_store.Describe();
  HttpResponse a_same_key = a_->PostJson(
      "/memory/store",
      {{"user_id", "u1"},
       {"session_id", "s1"},
       {"messages", {Message("user", "tenant A pangolin", {{"idempotency_key", "shared-key"}})}}});
  ASSERT_EQ(a_same_key.status, 201) << a_same_key.Describe();
  EXPECT_EQ(a_same_key.Json()["stored"], 1) << "idempotency keys must not cross tenants";

  HttpResponse b_search = b_->PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "pangolin"}, {"mode", "fulltext"}});
  ASSERT_EQ(b_search.Json()["results"].size(), 1u) << b_search.Describe();
  EXPECT_EQ(b_search.Json()["results"][0]["message"]["content"], "tenant B pangolin");
  HttpResponse b_sessions = b_->Get("/memory/sessions/u1");
  EXPECT_EQ(b_sessions.Json()["sessions"].size(), 1u) << b_sessions.Describe();

  // Erasing B's u1 leaves A's u1 alone.
  HttpResponse erase = b_->Delete("/memory/user/u1");
  ASSERT_EQ(erase.status, 200);
  EXPECT_EQ(erase.Json()["deleted"]["messages"], 1) << erase.Describe();
  HttpResponse a_search = a_->PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "pangolin"}, {"mode", "fulltext"}});
  EXPECT_EQ(a_search.Json()["results"].size(), 1u) << a_search.Describe();
}

}  // namespace
}  // namespace loci::integration
