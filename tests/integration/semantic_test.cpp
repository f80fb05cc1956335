// Semantic search over real HTTP. Without an embedder the server starts, says so in /readyz
// (still 200: storage is fine), serves full-text search, and answers semantic search with a
// clear error that names the mode that works. With EMBEDDING_URL (here a local stand-in that
// speaks the OpenAI protocol) messages get their vectors from the provider off the request
// path, through the work queue, and semantic search uses them; a failing provider delays the
// vectors but never a store; a change of model re-embeds everything in the background.
#include <chrono>
#include <functional>
#include <thread>

#include "integration/test_util.h"
#include "unit/embed/fake_provider.h"

namespace loci::integration {
namespace {

using SemanticTest = ServerTest;

TEST_F(SemanticTest, WithoutAnEmbedderFulltextWorksAndSemanticSaysWhy) {
  HttpResponse ready = client().Get("/readyz");
  ASSERT_EQ(ready.status, 200) << ready.Describe();
  json body = ready.Json();
  EXPECT_EQ(body["status"], "ready");
  ASSERT_TRUE(body["components"].contains("semantic_search")) << body.dump();
  EXPECT_EQ(body["components"]["semantic_search"]["status"], "unavailable") << body.dump();
  EXPECT_TRUE(body["components"]["semantic_search"]["detail"].is_string());

  Store("u1", "s1", {Message("user", "I adopted a grey kitten")});
  HttpResponse fulltext = client().PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "kitten"}, {"mode", "fulltext"}});
  ASSERT_EQ(fulltext.status, 200) << fulltext.Describe();
  EXPECT_EQ(fulltext.Json()["results"].size(), 1u);

  HttpResponse semantic = client().PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "kitten"}, {"mode", "semantic"}});
  ASSERT_TRUE(IsError(semantic, 503, "unavailable")) << semantic.Describe();
  std::string message = semantic.Json()["error"]["message"];
  EXPECT_NE(message.find("semantic search is unavailable"), std::string::npos) << message;
  EXPECT_NE(message.find("fulltext"), std::string::npos) << message;
  ExpectHealthy();
}

class ProviderSemanticTest : public ServerTest {
 protected:
  Environment ServerEnvironment() const override {
    return {{"EMBEDDING_URL", provider_.url()},
            {"EMBEDDING_MODEL", model_},
            {"EMBEDDING_API_KEY", "sk-test-secret"}};
  }

  // How many vectors the database holds whose model id ends with `model` (or, with `other`,
  // does not).
  int VectorCount(const std::string& model, bool other = false) const {
    const std::string sql = std::string("SELECT count(*) FROM embeddings WHERE model ") +
                            (other ? "NOT " : "") + "LIKE '%" + model + "'";
    return std::stoi(QuerySingle(data_dir() + "/loci.db", sql));
  }

  // Waits up to 20 s for `done`.
  static bool Eventually(const std::function<bool()>& done) {
    for (int attempt = 0; attempt < 200; ++attempt) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return done();
  }

  // Semantic search until its best result is `content` (the provider's vectors arrive after
  // the store), for up to 20 s.
  json WaitForTopSemanticResult(const std::string& query, const std::string& content) {
    json results;
    for (int attempt = 0; attempt < 200; ++attempt) {
      HttpResponse found = client().PostJson(
          "/memory/search", {{"user_id", "u1"}, {"query", query}, {"mode", "semantic"}});
      EXPECT_EQ(found.status, 200) << found.Describe();
      results = found.Json()["results"];
      if (!results.empty() && results[0]["message"]["content"] == content) return results;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "no semantic result " << content << " in " << results.dump();
    return results;
  }

  loci::testing::FakeProvider provider_;
  std::string model_ = "stand-in-embedding";
};

TEST_F(ProviderSemanticTest, SemanticSearchUsesTheProvidersVectors) {
  HttpResponse ready = client().Get("/readyz");
  ASSERT_EQ(ready.status, 200) << ready.Describe();
  EXPECT_EQ(ready.Json()["components"]["semantic_search"]["status"], "ok") << ready.Describe();

  Store("u1", "s1",
        {Message("user", "I adopted a grey kitten"), Message("user", "the train was late again"),
         Message("user", "we painted the kitchen yellow")});
  // The stand-in's vector of a text depends only on the text: the query that repeats a message
  // finds that message first, which only the provider's vectors can do.
  json results = WaitForTopSemanticResult("the train was late again", "the train was late again");
  EXPECT_EQ(results.size(), 3u) << results.dump();

  bool embedded = false;
  for (const auto& request : provider_.requests()) {
    if (request.path != "/v1/embeddings") continue;
    embedded = true;
    EXPECT_EQ(request.authorization, "Bearer sk-test-secret");
    EXPECT_EQ(request.body["model"], "stand-in-embedding");
  }
  EXPECT_TRUE(embedded);
  ExpectHealthy();
}

TEST_F(ProviderSemanticTest, AFailingProviderDelaysVectorsButNeverAStore) {
  // More failures than one embedding call retries: the work queue retries later.
  for (int i = 0; i < 6; ++i) provider_.Enqueue({.status = 500, .body = R"({"error":{}})"});
  const auto before = std::chrono::steady_clock::now();
  Store("u1", "s1", {Message("user", "my sister plays the cello")});
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(2));
  WaitForTopSemanticResult("my sister plays the cello", "my sister plays the cello");
  EXPECT_GE(provider_.requests().size(), 7u);
  ExpectHealthy();
}

TEST_F(ProviderSemanticTest, AChangeOfModelReEmbedsEverythingInTheBackground) {
  Store("u1", "s1", {Message("user", "I adopted a grey kitten"), Message("user", "tea at five")});
  Store("u2", "s1", {Message("user", "the train was late again")});
  ASSERT_TRUE(Eventually([&] { return VectorCount("stand-in-embedding") == 3; }));
  ASSERT_NO_FATAL_FAILURE(StopServer());
  model_ = "stand-in-embedding-2";
  ASSERT_NO_FATAL_FAILURE(StartServer());
  // Nothing is stored after the restart: the start's sweep alone re-embeds every user.
  EXPECT_TRUE(Eventually([&] { return VectorCount("stand-in-embedding-2") == 3; }))
      << VectorCount("stand-in-embedding-2");
  EXPECT_EQ(VectorCount("stand-in-embedding-2", /*other=*/true), 0);
  WaitForTopSemanticResult("I adopted a grey kitten", "I adopted a grey kitten");
  ExpectHealthy();
}

}  // namespace
}  // namespace loci::integration
