#include "app/models_setup.h"

#include <gtest/gtest.h>

#include <fstream>

#include "temp_dir.h"
#include "unit/embed/synthetic_vectors.h"

namespace loci::app {
namespace {

TEST(ModelsSetupTest, BuiltInEmbedderWhenTheVectorsOpen) {
  loci::testing::TempDir dir;
  Config config;
  config.vectors_path = dir.Path("vectors.lvec");
  loci::testing::ConvertSynthetic(loci::testing::SyntheticJson().dump(), config.vectors_path);
  Models models = SetUpModels(config);
  ASSERT_NE(models.embedder, nullptr) << models.embedder_status;
  EXPECT_EQ(models.sif, models.embedder.get());
  EXPECT_EQ(models.embedder->model_id(), "builtin:wink-sg-100d/1");
  EXPECT_EQ(models.embedder->dimensions(), loci::testing::kSyntheticDimensions);
  EXPECT_NE(models.embedder_status.find("built-in"), std::string::npos);
  EXPECT_EQ(models.chat, nullptr);
  EXPECT_NE(models.chat_status.find("LLM_URL"), std::string::npos);
  auto vectors = models.embedder->Embed(std::vector<std::string>{"my cat"});
  ASSERT_TRUE(vectors.ok());
  EXPECT_EQ((*vectors)[0].size(), std::size_t{loci::testing::kSyntheticDimensions});
}

TEST(ModelsSetupTest, NoEmbedderWithAReasonWhenTheVectorsAreMissingOrDamaged) {
  loci::testing::TempDir dir;
  Config config;
  config.vectors_path = dir.Path("absent.lvec");
  Models missing = SetUpModels(config);
  EXPECT_EQ(missing.embedder, nullptr);
  EXPECT_EQ(missing.sif, nullptr);
  EXPECT_NE(missing.embedder_status.find("semantic search off"), std::string::npos);
  EXPECT_NE(missing.embedder_status.find(config.vectors_path), std::string::npos);

  std::ofstream(config.vectors_path) << "not vectors";
  Models damaged = SetUpModels(config);
  EXPECT_EQ(damaged.embedder, nullptr);
  EXPECT_NE(damaged.embedder_status.find("too short"), std::string::npos)
      << damaged.embedder_status;

  config.vectors_path.clear();
  EXPECT_EQ(SetUpModels(config).embedder, nullptr);
}

TEST(ModelsSetupTest, ProvidersWhenConfiguredWithoutContactingThem) {
  loci::testing::TempDir dir;
  Config config;
  config.vectors_path = dir.Path("absent.lvec");
  config.embedding_url = "http://127.0.0.1:1";  // nothing listens: nothing is contacted
  config.embedding_model = "nomic-embed-text";
  config.embedding_api_key = "sk-secret-embedding";
  config.llm_url = "http://127.0.0.1:1/v1";
  config.llm_model = "llama3.1";
  config.llm_api_key = "sk-secret-llm";
  Models models = SetUpModels(config);
  ASSERT_NE(models.embedder, nullptr);
  EXPECT_EQ(models.sif, nullptr);
  EXPECT_EQ(models.embedder->model_id(), "openai:nomic-embed-text");
  ASSERT_NE(models.chat, nullptr);
  EXPECT_EQ(models.chat->model_id(), "openai:llama3.1");
  for (const std::string& status : {models.embedder_status, models.chat_status}) {
    EXPECT_EQ(status.find("sk-secret"), std::string::npos) << status;
  }
}

}  // namespace
}  // namespace loci::app
