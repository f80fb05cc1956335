#include "http/auth.h"

#include <gtest/gtest.h>

#include "http/request_id.h"
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
    Result<service::Caller> caller = auth.Authenticate(std::nullopt, access);
    ASSERT_TRUE(caller.ok());
    EXPECT_EQ(caller->tenant, "default");
    EXPECT_EQ(caller->key_id, "");
  }
}

TEST(AuthenticatorTest, MissingOrMalformedCredentialIsUnauthenticated) {
  const Authenticator auth(TwoKeys());
  for (std::optional<std::string_view> header :
       {std::optional<std::string_view>(), std::optional<std::string_view>("Bearer"),
        std::optional<std::string_view>("Bearer   "),
        std::optional<std::string_view>(std::string_view("Basic app-key-0123456789abcdef")),
        std::optional<std::string_view>("app-key-0123456789abcdef")}) {
    Result<service::Caller> caller = auth.Authenticate(header, Access::kApp);
    ASSERT_FALSE(caller.ok());
    EXPECT_EQ(caller.status().code(), StatusCode::kUnauthenticated);
  }
}

TEST(AuthenticatorTest, WrongKeyIsUnauthenticated) {
  const Authenticator auth(TwoKeys());
  for (const char* header :
       {"Bearer app-key-0123456789abcdeX", "Bearer app-key", "Bearer app-key-0123456789abcdef0"}) {
    Result<service::Caller> caller = auth.Authenticate(header, Access::kApp);
    ASSERT_FALSE(caller.ok()) << header;
    EXPECT_EQ(caller.status().code(), StatusCode::kUnauthenticated);
  }
}

TEST(AuthenticatorTest, AppKeyOnAdminRouteIsPermissionDenied) {
  const Authenticator auth(TwoKeys());
  const std::string app = std::string("Bearer ") + kAppKey;
  const std::string admin = std::string("bearer  ") + kAdminKey;  // scheme is case-insensitive
  Result<service::Caller> caller = auth.Authenticate(app, Access::kAdmin);
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(auth.Authenticate(admin, Access::kAdmin).ok());
  EXPECT_TRUE(auth.Authenticate(admin, Access::kApp).ok());
}

TEST(AuthenticatorTest, ValidKeyGivesTenantAndNonSecretKeyId) {
  const Authenticator auth(TwoKeys());
  Result<service::Caller> caller =
      auth.Authenticate(std::string("Bearer ") + kAppKey, Access::kApp);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->tenant, "acme");
  EXPECT_EQ(caller->key_id, KeyId(kAppKey));
  EXPECT_EQ(caller->key_id.rfind("key_", 0), 0u);
  EXPECT_EQ(caller->key_id.find("app-key"), std::string::npos);
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
