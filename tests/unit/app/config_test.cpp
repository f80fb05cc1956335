#include "app/config.h"

#include <gtest/gtest.h>

#include "app/dotenv.h"
#include "unit/app/test_environment.h"

namespace loci::app {
namespace {

using testing::Env;

TEST(ConfigTest, DefaultsWork) {
  auto config = LoadConfig(Env({}));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->listen_host, "127.0.0.1");
  EXPECT_EQ(config->listen_port, 8420);
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_TRUE(config->development_mode());
  EXPECT_EQ(config->max_context_messages, 20);
  EXPECT_EQ(config->summary_lag_messages, 20);
  EXPECT_EQ(config->fold_delay_ms, 2000);
}

TEST(ConfigTest, ReadsEveryVariable) {
  auto config = LoadConfig(Env({{"LOCI_LISTEN", "0.0.0.0:9000"},
                                {"LOCI_DATA_DIR", "/var/lib/loci"},
                                {"LOCI_API_KEYS",
                                 "0123456789abcdef:acme:app,"
                                 "fedcba9876543210:acme:admin"},
                                {"MAX_CONTEXT_MESSAGES", "50"},
                                {"LOCI_SUMMARY_LAG_MESSAGES", "0"},
                                {"LOCI_FOLD_DELAY_MS", "0"},
                                {"LOG_LEVEL", "debug"},
                                {"LOCI_THREADS", "8"},
                                {"LOCI_MAX_BODY_BYTES", "2048"}}));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->listen_host, "0.0.0.0");
  EXPECT_EQ(config->listen_port, 9000);
  EXPECT_EQ(config->data_dir, "/var/lib/loci");
  ASSERT_EQ(config->auth.keys.size(), 2u);
  EXPECT_EQ(config->auth.keys[1].tenant, "acme");
  EXPECT_EQ(config->auth.keys[1].scope, http::Scope::kAdmin);
  EXPECT_EQ(config->max_context_messages, 50);
  EXPECT_EQ(config->summary_lag_messages, 0);
  EXPECT_EQ(config->fold_delay_ms, 0);
  EXPECT_EQ(config->log_level, "debug");
  EXPECT_EQ(config->threads, 8);
  EXPECT_EQ(config->max_body_bytes, 2048u);
}

TEST(ConfigTest, Ipv6Listen) {
  auto config = LoadConfig(Env({{"LOCI_LISTEN", "[::1]:0"}}));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->listen_host, "::1");
  EXPECT_EQ(config->listen_port, 0);
}

void ExpectRefused(std::map<std::string, std::string> values, const std::string& variable) {
  auto config = LoadConfig(Env(values));
  ASSERT_FALSE(config.ok()) << variable;
  EXPECT_EQ(config.status().field(), variable);
  EXPECT_NE(config.status().message().find(variable), std::string::npos)
      << config.status().message();
}

TEST(ConfigTest, BadValuesNameTheVariable) {
  ExpectRefused({{"LOCI_LISTEN", "nonsense"}}, "LOCI_LISTEN");
  ExpectRefused({{"LOCI_LISTEN", "127.0.0.1:99999"}}, "LOCI_LISTEN");
  ExpectRefused({{"LOCI_API_KEYS", "short:acme:app"}}, "LOCI_API_KEYS");
  ExpectRefused({{"LOCI_API_KEYS", "0123456789abcdef:acme:root"}}, "LOCI_API_KEYS");
  ExpectRefused({{"LOCI_API_KEYS", "0123456789abcdef:ac me:app"}}, "LOCI_API_KEYS");
  ExpectRefused({{"LOCI_API_KEYS", "0123456789abcdef:a:app,0123456789abcdef:b:app"}},
                "LOCI_API_KEYS");
  ExpectRefused({{"MAX_CONTEXT_MESSAGES", "0"}}, "MAX_CONTEXT_MESSAGES");
  ExpectRefused({{"MAX_CONTEXT_MESSAGES", "12abc"}}, "MAX_CONTEXT_MESSAGES");
  ExpectRefused({{"LOCI_SUMMARY_LAG_MESSAGES", "-1"}}, "LOCI_SUMMARY_LAG_MESSAGES");
  ExpectRefused({{"LOCI_FOLD_DELAY_MS", "soon"}}, "LOCI_FOLD_DELAY_MS");
  ExpectRefused({{"LOG_LEVEL", "loud"}}, "LOG_LEVEL");
  ExpectRefused({{"LOCI_THREADS", "-1"}}, "LOCI_THREADS");
  ExpectRefused({{"LOCI_MAX_BODY_BYTES", "1"}}, "LOCI_MAX_BODY_BYTES");
  ExpectRefused({{"MONGODB_URL", "mongodb://x"}}, "MONGODB_URL");
  ExpectRefused({{"LOCI_RATE_LIMIT", "-1"}}, "LOCI_RATE_LIMIT");
  ExpectRefused({{"LOCI_RATE_LIMIT", "fast"}}, "LOCI_RATE_LIMIT");
  ExpectRefused({{"LOCI_RATE_LIMIT", "1000001"}}, "LOCI_RATE_LIMIT");
}

TEST(ConfigTest, RateLimitPerKey) {
  auto unset = LoadConfig(Env({}));
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(unset->auth.rate_limit, 0) << "unlimited by default";
  auto config =
      LoadConfig(Env({{"LOCI_RATE_LIMIT", "250"}, {"LOCI_API_KEYS", "0123456789abcdef:acme:app"}}));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->auth.rate_limit, 250);
  EXPECT_EQ(config->auth.keys.size(), 1u);
}

TEST(ConfigTest, WhetherDevelopmentModeMayListenWidelyIsLeftToServe) {
  // Keys made with `loci keys create` live in the store, which LoadConfig does not see.
  auto config = LoadConfig(Env({{"LOCI_LISTEN", "0.0.0.0:8420"}}));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_TRUE(config->development_mode());
  EXPECT_FALSE(IsLoopback("0.0.0.0"));
  EXPECT_TRUE(IsLoopback("127.0.0.1"));
  EXPECT_TRUE(IsLoopback("::1"));
}

TEST(ConfigTest, EmptyValueMeansUnset) {
  auto config = LoadConfig(Env({{"LOCI_API_KEYS", ""}, {"MONGODB_URL", ""}}));
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->development_mode());
}

TEST(DotenvTest, ParsesCommentsQuotesAndExport) {
  auto values = ParseDotenv(
      "# a comment\n"
      "\n"
      "LOCI_LISTEN=127.0.0.1:9000  # trailing comment\n"
      "export LOG_LEVEL=debug\n"
      "SINGLE='a # literal \\n'\n"
      "DOUBLE=\"line\\nnext \\\"quoted\\\"\"\n"
      "EMPTY=\n");
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(values->at("LOCI_LISTEN"), "127.0.0.1:9000");
  EXPECT_EQ(values->at("LOG_LEVEL"), "debug");
  EXPECT_EQ(values->at("SINGLE"), "a # literal \\n");
  EXPECT_EQ(values->at("DOUBLE"), "line\nnext \"quoted\"");
  EXPECT_EQ(values->at("EMPTY"), "");
}

TEST(DotenvTest, MalformedLinesAreReportedWithTheirNumber) {
  auto missing_equals = ParseDotenv("A=1\nJUSTAWORD\n");
  ASSERT_FALSE(missing_equals.ok());
  EXPECT_NE(missing_equals.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(ParseDotenv("1BAD=x").ok());
  EXPECT_FALSE(ParseDotenv("A=\"unterminated").ok());
}

}  // namespace
}  // namespace loci::app

namespace loci::app {
namespace {

TEST(ConfigTest, ReadsPrivacyAndRetention) {
  auto defaults = LoadConfig([](const std::string&) { return std::optional<std::string>(); });
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->retention_days, std::nullopt);
  EXPECT_FALSE(defaults->redact_pii);
  EXPECT_EQ(defaults->purge_interval_seconds, 300);

  std::map<std::string, std::string> values = {{"CONTEXT_RETENTION_DAYS", "30"},
                                               {"LOCI_REDACT_PII", "true"},
                                               {"LOCI_PURGE_INTERVAL_SECONDS", "2"}};
  auto env = [&values](const std::string& name) -> std::optional<std::string> {
    auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
  auto config = LoadConfig(env);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->retention_days, 30);
  EXPECT_TRUE(config->redact_pii);
  EXPECT_EQ(config->purge_interval_seconds, 2);

  for (const auto& [name, bad] :
       std::map<std::string, std::string>{{"CONTEXT_RETENTION_DAYS", "0"},
                                          {"LOCI_REDACT_PII", "yes"},
                                          {"LOCI_PURGE_INTERVAL_SECONDS", "0"}}) {
    values = {{name, bad}};
    auto refused = LoadConfig(env);
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(refused.status().field(), name);
  }
}

}  // namespace
}  // namespace loci::app

namespace loci::app {
namespace {

TEST(ConfigTest, ReadsTheSearchFusion) {
  std::optional<std::string> fusion;
  auto env = [&fusion](const std::string& name) -> std::optional<std::string> {
    return name == "LOCI_SEARCH_FUSION" ? fusion : std::nullopt;
  };
  auto defaults = LoadConfig(env);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->search_fusion, service::FusionMethod::kScore);
  fusion = "rrf";
  auto rrf = LoadConfig(env);
  ASSERT_TRUE(rrf.ok());
  EXPECT_EQ(rrf->search_fusion, service::FusionMethod::kReciprocalRank);
  fusion = "borda";
  auto refused = LoadConfig(env);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "LOCI_SEARCH_FUSION");
}

}  // namespace
}  // namespace loci::app
