#include "http/router.h"

#include <gtest/gtest.h>

#include "http/url.h"

namespace loci::http {
namespace {

void Noop(RouteRequest&, const Responder&) {}

Router MakeRouter() {
  Router router;
  router.Add("POST", "/memory/store", Access::kApp, Noop);
  router.Add("GET", "/memory/context/{user_id}", Access::kApp, Noop);
  router.Add("GET", "/memory/session/{user_id}/{session_id}", Access::kApp, Noop);
  router.Add("DELETE", "/memory/session/{user_id}/{session_id}", Access::kApp, Noop);
  router.Add("GET", "/healthz", Access::kPublic, Noop);
  return router;
}

TEST(RouterTest, MatchesLiteralRoute) {
  const Router router = MakeRouter();
  const RouteMatch match = router.Match("POST", "/memory/store");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(match.route->pattern, "/memory/store");
  EXPECT_EQ(match.route->index, 0u);
}

TEST(RouterTest, ExtractsAndDecodesParameters) {
  const Router router = MakeRouter();
  const RouteMatch match = router.Match("GET", "/memory/session/user%20one/a%2Fb+c");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(match.route->pattern, "/memory/session/{user_id}/{session_id}");
  EXPECT_EQ(match.params.Get("user_id"), "user one");
  // An encoded '/' stays inside its segment; '+' is literal in paths.
  EXPECT_EQ(match.params.Get("session_id"), "a/b+c");
  EXPECT_EQ(match.params.Get("missing"), "");
}

TEST(RouterTest, DecodesUtf8Parameters) {
  const Router router = MakeRouter();
  const RouteMatch match = router.Match("GET", "/memory/context/%C3%A9l%C3%A8ve");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(match.params.Get("user_id"), "\xC3\xA9l\xC3\xA8ve");
}

TEST(RouterTest, MalformedPercentEncodingIsBadParameter) {
  const Router router = MakeRouter();
  for (const char* path : {"/memory/context/a%2", "/memory/context/a%zz", "/memory/context/%"}) {
    const RouteMatch match = router.Match("GET", path);
    EXPECT_EQ(match.outcome, RouteMatch::Outcome::kBadParameter) << path;
    EXPECT_EQ(match.error.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(match.error.field(), "user_id");
  }
}

TEST(RouterTest, UnknownPathIsNotFound) {
  const Router router = MakeRouter();
  for (const char* path : {"/", "", "/memory", "/memory/store/", "/memory/context/",
                           "/memory/context/u1/extra", "/nope", "memory/store"}) {
    EXPECT_EQ(router.Match("GET", path).outcome, RouteMatch::Outcome::kNotFound) << path;
  }
}

TEST(RouterTest, WrongMethodIsMethodNotAllowedWithAllow) {
  const Router router = MakeRouter();
  RouteMatch match = router.Match("GET", "/memory/store");
  EXPECT_EQ(match.outcome, RouteMatch::Outcome::kMethodNotAllowed);
  EXPECT_EQ(match.allow, "POST");

  match = router.Match("PUT", "/memory/session/u1/s1");
  EXPECT_EQ(match.outcome, RouteMatch::Outcome::kMethodNotAllowed);
  EXPECT_EQ(match.allow, "GET, DELETE");
  EXPECT_EQ(match.route, nullptr);
}

TEST(RouterTest, HeadIsServedByTheGetRoute) {
  const Router router = MakeRouter();
  const RouteMatch match = router.Match("HEAD", "/healthz");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(match.route->pattern, "/healthz");
  EXPECT_EQ(router.Match("HEAD", "/memory/store").outcome, RouteMatch::Outcome::kMethodNotAllowed);
}

TEST(RouterTest, MethodsAreCaseSensitive) {
  const Router router = MakeRouter();
  EXPECT_EQ(router.Match("get", "/healthz").outcome, RouteMatch::Outcome::kMethodNotAllowed);
}

TEST(UrlTest, SplitTarget) {
  Target target = SplitTarget("/a/b?x=1&y=2#frag");
  EXPECT_EQ(target.path, "/a/b");
  EXPECT_EQ(target.query, "x=1&y=2");
  target = SplitTarget("/a");
  EXPECT_EQ(target.path, "/a");
  EXPECT_EQ(target.query, "");
}

TEST(UrlTest, PercentDecode) {
  EXPECT_EQ(PercentDecode("a%41%62+c", false), "aAb+c");
  EXPECT_EQ(PercentDecode("a%41%62+c", true), "aAb c");
  EXPECT_EQ(PercentDecode("", true), "");
  EXPECT_FALSE(PercentDecode("%", true));
  EXPECT_FALSE(PercentDecode("%4", true));
  EXPECT_FALSE(PercentDecode("%g1", true));
  EXPECT_EQ(PercentDecode("%00", false), std::string(1, '\0'));
}

TEST(UrlTest, ParsesQueryParameters) {
  Result<QueryParams> params = QueryParams::Parse("query=where+did%20she+go&flag&&empty=&a=%2B");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->Get("query").value(), "where did she go");
  EXPECT_EQ(params->Get("flag").value(), "");
  EXPECT_EQ(params->Get("empty").value(), "");
  EXPECT_EQ(params->Get("a").value(), "+");
  EXPECT_FALSE(params->Get("absent").value().has_value());
}

TEST(UrlTest, MalformedQueryIsInvalidArgument) {
  Result<QueryParams> params = QueryParams::Parse("max_tokens=%zz");
  ASSERT_FALSE(params.ok());
  EXPECT_EQ(params.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(params.status().field(), "max_tokens");
}

TEST(UrlTest, RepeatedParameterIsRefused) {
  Result<QueryParams> params = QueryParams::Parse("limit=1&limit=2");
  ASSERT_TRUE(params.ok());
  const auto limit = params->Get("limit");
  ASSERT_FALSE(limit.ok());
  EXPECT_EQ(limit.status().field(), "limit");
}

TEST(UrlTest, IntegerParameters) {
  Result<QueryParams> params =
      QueryParams::Parse("a=10&b=0&c=-1&d=1x&e=&f=99999999999999999999&g=%2B5");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->GetInt("a", 1, 100).value(), 10);
  EXPECT_FALSE(params->GetInt("absent", 1, 100).value().has_value());
  for (const char* name : {"b", "c", "d", "e", "f", "g"}) {
    const auto value = params->GetInt(name, 1, 100);
    ASSERT_FALSE(value.ok()) << name;
    EXPECT_EQ(value.status().field(), name);
    EXPECT_EQ(value.status().message(), std::string(name) + " must be an integer from 1 to 100");
  }
  EXPECT_FALSE(params->GetInt("a", 1, 9).ok());
}

}  // namespace
}  // namespace loci::http
