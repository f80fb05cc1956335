// Semantic search over real HTTP when the server has no embedder: it starts, says so in
// /readyz (still 200: storage is fine), serves full-text search, and answers semantic search
// with a clear error that names the mode that works.
#include "integration/test_util.h"

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

}  // namespace
}  // namespace loci::integration
