#include "http/auth.h"

#include <gtest/gtest.h>

#include "http/api.h"
#include "http/request_id.h"
#include "unit/http/api_test_util.h"
#include "unit/http/fake_key_lookup.h"
#include "unit/http/fake_memory_service.h"
#include "util/strings.h"

namespace loci::http {
namespace {

constexpr char kAppKey[] = "app-key-0123456789abcdef";
constexpr char kAdminKey[] = "admin-key-0123456789abcdef";

AuthConfig TwoKeys() {
  Result<AuthConfig> config =
      ParseApiKeys(std::string(kAppKey) + ":acme:app, " + kAdminKey + ":acme:admin");
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return *config;
}

TEST(ParseApiKeysTest, ParsesEntries) {
  const AuthConfig config = TwoKeys();
  ASSERT_EQ(config.keys.size(), 2u);
  EXPECT_EQ(config.keys[0].key, kAppKey);
  EXPECT_EQ(config.keys[0].tenant, "acme");
  EXPECT_EQ(config.keys[0].scope, Scope::kApp);
  EXPECT_EQ(config.keys[1].scope, Scope::kAdmin);
}

TEST(ParseApiKeysTest, KeyMayContainColons) {
  Result<AuthConfig> config = ParseApiKeys("a:b:c:t1:admin");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->keys[0].key, "a:b:c");
  EXPECT_EQ(config->keys[0].tenant, "t1");
}

TEST(ParseApiKeysTest, EmptyMeansDevelopmentMode) {
  Result<AuthConfig> config = ParseApiKeys("  ");
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->keys.empty());
}

TEST(ParseApiKeysTest, RefusesBadEntriesWithoutEchoingSecrets) {
  for (const char* spec : {"secretkey", "secretkey:t1", "secretkey:t1:root", ":t1:app",
                           "secretkey::app", "secretkey:t1:app,secretkey:t2:app"}) {
    Result<AuthConfig> config = ParseApiKeys(spec);
    ASSERT_FALSE(config.ok()) << spec;
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(config.status().message().find("secretkey"), std::string::npos);
  }
}

TEST(AuthenticatorTest, DevelopmentModeAcceptsEveryone) {
  const Authenticator auth(AuthConfig{});
  EXPECT_TRUE(auth.development_mode());
  for (Access access : {Access::kPublic, Access::kApp, Access::kAdmin}) {
    Result<Principal> caller = auth.Authenticate(std::nullopt, access);
    ASSERT_TRUE(caller.ok());
    EXPECT_EQ(caller->caller.tenant, "default");
    EXPECT_EQ(caller->caller.key_id, "");
  }
}

TEST(AuthenticatorTest, MissingOrMalformedCredentialIsUnauthenticated) {
  const Authenticator auth(TwoKeys());
  for (std::optional<std::string_view> header :
       {std::optional<std::string_view>(), std::optional<std::string_view>("Bearer"),
        std::optional<std::string_view>("Bearer   "),
        std::optional<std::string_view>(std::string_view("Basic app-key-0123456789abcdef")),
        std::optional<std::string_view>("app-key-0123456789abcdef")}) {
    Result<Principal> caller = auth.Authenticate(header, Access::kApp);
    ASSERT_FALSE(caller.ok());
    EXPECT_EQ(caller.status().code(), StatusCode::kUnauthenticated);
  }
}

TEST(AuthenticatorTest, WrongKeyIsUnauthenticated) {
  const Authenticator auth(TwoKeys());
  for (const char* header :
       {"Bearer app-key-0123456789abcdeX", "Bearer app-key", "Bearer app-key-0123456789abcdef0"}) {
    Result<Principal> caller = auth.Authenticate(header, Access::kApp);
    ASSERT_FALSE(caller.ok()) << header;
    EXPECT_EQ(caller.status().code(), StatusCode::kUnauthenticated);
  }
}

TEST(AuthenticatorTest, AppKeyOnAdminRouteIsPermissionDenied) {
  const Authenticator auth(TwoKeys());
  const std::string app = std::string("Bearer ") + kAppKey;
  const std::string admin = std::string("bearer  ") + kAdminKey;  // scheme is case-insensitive
  Result<Principal> caller = auth.Authenticate(app, Access::kAdmin);
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(auth.Authenticate(admin, Access::kAdmin).ok());
  EXPECT_TRUE(auth.Authenticate(admin, Access::kApp).ok());
}

TEST(AuthenticatorTest, ValidKeyGivesTenantAndNonSecretKeyId) {
  const Authenticator auth(TwoKeys());
  Result<Principal> caller = auth.Authenticate(std::string("Bearer ") + kAppKey, Access::kApp);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->caller.tenant, "acme");
  EXPECT_EQ(caller->caller.key_id, KeyId(kAppKey));
  EXPECT_EQ(caller->caller.key_id.rfind("key_", 0), 0u);
  EXPECT_EQ(caller->caller.key_id.find("app-key"), std::string::npos);
  EXPECT_NE(KeyId(kAppKey), KeyId(kAdminKey));
}

TEST(AuthenticatorTest, PublicRoutesNeedNoKey) {
  const Authenticator auth(TwoKeys());
  EXPECT_TRUE(auth.Authenticate(std::nullopt, Access::kPublic).ok());
}

int compare_calls = 0;
bool CountingEquals(std::string_view a, std::string_view b) {
  ++compare_calls;
  return ConstantTimeEquals(a, b);
}

TEST(AuthenticatorTest, ComparesAgainstEveryKeyWithoutEarlyExit) {
  const Authenticator auth(TwoKeys(), &CountingEquals);
  compare_calls = 0;
  ASSERT_TRUE(auth.Authenticate(std::string("Bearer ") + kAppKey, Access::kApp).ok());
  EXPECT_EQ(compare_calls, 2);  // matched the first key, compared the second all the same
  compare_calls = 0;
  ASSERT_FALSE(auth.Authenticate("Bearer nope", Access::kApp).ok());
  EXPECT_EQ(compare_calls, 2);
}

using testing::FakeKeyLookup;

constexpr char kStoredApp[] = "loci_stored-app-key";
constexpr char kStoredAdmin[] = "loci_stored-admin-key";

class StoredKeysTest : public ::testing::Test {
 protected:
  StoredKeysTest() {
    lookup_.grants[kStoredApp] = {.key_id = "k_app", .tenant = "beta", .admin = false};
    lookup_.grants[kStoredAdmin] = {
        .key_id = "k_admin", .tenant = "beta", .admin = true, .rate_limit = 0};
  }
  AuthConfig Config(bool with_env_keys) {
    AuthConfig config = with_env_keys ? TwoKeys() : AuthConfig{};
    config.stored = &lookup_;
    config.rate_limit = 50;
    return config;
  }
  FakeKeyLookup lookup_;
};

TEST_F(StoredKeysTest, StoredKeysAloneEndDevelopmentMode) {
  const Authenticator auth(Config(/*with_env_keys=*/false));
  EXPECT_FALSE(auth.development_mode());
  Result<Principal> none = auth.Authenticate(std::nullopt, Access::kApp);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kUnauthenticated);
  Result<Principal> app = auth.Authenticate(std::string("Bearer ") + kStoredApp, Access::kApp);
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  EXPECT_EQ(app->caller.tenant, "beta");
  EXPECT_EQ(app->caller.key_id, "k_app");
  EXPECT_EQ(app->rate_limit, 50) << "the server's default";
}

TEST_F(StoredKeysTest, ScopesAndOwnRateLimits) {
  const Authenticator auth(Config(/*with_env_keys=*/true));
  Result<Principal> app = auth.Authenticate(std::string("Bearer ") + kStoredApp, Access::kAdmin);
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.status().code(), StatusCode::kPermissionDenied);
  Result<Principal> admin =
      auth.Authenticate(std::string("Bearer ") + kStoredAdmin, Access::kAdmin);
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->rate_limit, 0) << "the key's own limit (0: unlimited) wins";
  Result<Principal> unknown = auth.Authenticate("Bearer loci_unknown", Access::kApp);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnauthenticated);
}

TEST_F(StoredKeysTest, ConfiguredKeysNeedNoLookup) {
  const Authenticator auth(Config(/*with_env_keys=*/true));
  Result<Principal> env = auth.Authenticate(std::string("Bearer ") + kAppKey, Access::kApp);
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->caller.tenant, "acme");
  EXPECT_EQ(env->rate_limit, 50);
  EXPECT_EQ(lookup_.lookups, 0);
}

TEST_F(StoredKeysTest, AuthenticateCachedNeverLooksUpStorage) {
  const Authenticator auth(Config(/*with_env_keys=*/true));
  const std::string stored = std::string("Bearer ") + kStoredApp;
  EXPECT_FALSE(auth.AuthenticateCached(stored, Access::kApp).has_value()) << "not cached";
  lookup_.cached.insert(kStoredApp);
  lookup_.cached.insert("loci_revoked");
  std::optional<Result<Principal>> cached = auth.AuthenticateCached(stored, Access::kApp);
  ASSERT_TRUE(cached.has_value());
  ASSERT_TRUE(cached->ok());
  EXPECT_EQ((*cached)->caller.key_id, "k_app");
  EXPECT_EQ((*cached)->rate_limit, 50);
  cached = auth.AuthenticateCached(stored, Access::kAdmin);
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->status().code(), StatusCode::kPermissionDenied);
  cached = auth.AuthenticateCached("Bearer loci_revoked", Access::kApp);
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->status().code(), StatusCode::kUnauthenticated);
  // Configured keys, missing keys and public routes need no KeyLookup at all.
  cached = auth.AuthenticateCached(std::string("Bearer ") + kAppKey, Access::kApp);
  ASSERT_TRUE(cached.has_value() && cached->ok());
  EXPECT_EQ((*cached)->caller.tenant, "acme");
  cached = auth.AuthenticateCached(std::nullopt, Access::kApp);
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(auth.AuthenticateCached(std::nullopt, Access::kPublic).has_value());
  EXPECT_EQ(lookup_.lookups, 0);
}

TEST_F(StoredKeysTest, UnreadableKeysAreUnavailableNotUnauthenticated) {
  lookup_.fail = true;
  const Authenticator auth(Config(/*with_env_keys=*/true));
  Result<Principal> stored = auth.Authenticate(std::string("Bearer ") + kStoredApp, Access::kApp);
  ASSERT_FALSE(stored.ok());
  EXPECT_EQ(stored.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(auth.Authenticate(std::string("Bearer ") + kAppKey, Access::kApp).ok());
}

TEST_F(StoredKeysTest, OverTheRateIs429WithRetryAfter) {
  AuthConfig config = Config(/*with_env_keys=*/true);
  config.rate_limit = 2;
  testing::FakeMemoryService service;
  const RequestHandler handler = MakeApiHandler(config, service);
  const std::vector<std::pair<std::string, std::string>> app = {
      {"Authorization", std::string("Bearer ") + kAppKey}};
  EXPECT_EQ(testing::CallApi(handler, "GET", "/memory/sessions/u1", "", app).status(), 200);
  EXPECT_EQ(testing::CallApi(handler, "GET", "/memory/sessions/u1", "", app).status(), 200);
  testing::ApiResult limited = testing::CallApi(handler, "GET", "/memory/sessions/u1", "", app);
  EXPECT_EQ(limited.status(), 429);
  EXPECT_EQ(testing::ErrorCode(limited), "rate_limited");
  EXPECT_EQ(limited.header("Retry-After"), "1");
  EXPECT_FALSE(limited.header("X-Request-Id").empty());
  // Another key has its own bucket; a stored key with limit 0 has none; health needs none.
  EXPECT_EQ(testing::CallApi(handler, "GET", "/memory/sessions/u1", "",
                             {{"Authorization", std::string("Bearer ") + kAdminKey}})
                .status(),
            200);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(testing::CallApi(handler, "GET", "/memory/sessions/u1", "",
                               {{"Authorization", std::string("Bearer ") + kStoredAdmin}})
                  .status(),
              200);
    EXPECT_EQ(testing::CallApi(handler, "GET", "/healthz", "", app).status(), 200);
  }
}

TEST(RequestIdTest, EchoesAcceptableIds) {
  EXPECT_EQ(ResolveRequestId("abc-123"), "abc-123");
  EXPECT_EQ(ResolveRequestId(std::string(128, 'x')), std::string(128, 'x'));
  EXPECT_TRUE(IsAcceptableRequestId("with space ~"));
}

TEST(RequestIdTest, ReplacesMissingOrUnsafeIds) {
  for (std::optional<std::string_view> header :
       {std::optional<std::string_view>(), std::optional<std::string_view>(""),
        std::optional<std::string_view>("bad\r\nX-Injected: 1"),
        std::optional<std::string_view>("caf\xC3\xA9")}) {
    const std::string id = ResolveRequestId(header);
    EXPECT_EQ(id.rfind("req_", 0), 0u) << id;
    EXPECT_TRUE(IsAcceptableRequestId(id));
  }
  const std::string too_long(129, 'x');
  EXPECT_NE(ResolveRequestId(too_long), too_long);
  EXPECT_NE(ResolveRequestId(std::nullopt), ResolveRequestId(std::nullopt));
}

}  // namespace
}  // namespace loci::http
