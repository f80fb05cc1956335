#include "embed/openai_embedder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <mutex>

#include "unit/embed/fake_provider.h"

namespace loci::embed {
namespace {

using testing::FakeProvider;

class OpenAiEmbedderTest : public ::testing::Test {
 protected:
  OpenAiEmbedderOptions Options(std::string url) {
    OpenAiEmbedderOptions options;
    options.url = std::move(url);
    options.model = "test-embed";
    options.api_key = "sk-test-key";
    options.batch_size = 3;
    options.http.connect_timeout = std::chrono::milliseconds(1000);
    options.http.total_timeout = std::chrono::milliseconds(1000);
    options.sleeper = [this](std::chrono::milliseconds delay) {
      std::lock_guard lock(mutex_);
      sleeps_.push_back(delay);
    };
    return options;
  }
  std::vector<std::chrono::milliseconds> sleeps() {
    std::lock_guard lock(mutex_);
    return sleeps_;
  }

  FakeProvider provider_;
  std::mutex mutex_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

std::vector<float> Unit(std::vector<float> v) {
  double norm = 0;
  for (float x : v) norm += double(x) * x;
  for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
  return v;
}

TEST_F(OpenAiEmbedderTest, BatchesAndMatchesVectorsByIndex) {
  OpenAiEmbedder embedder(Options(provider_.url()));
  EXPECT_EQ(embedder.model_id(), "openai:test-embed");
  EXPECT_EQ(embedder.dimensions(), 0);  // not known before the first answer
  const std::vector<std::string> texts = {"one", "two", "", "three", "four", "  ", "five"};
  auto vectors = embedder.Embed(texts);
  ASSERT_TRUE(vectors.ok()) << vectors.status().ToString();
  ASSERT_EQ(vectors->size(), texts.size());
  EXPECT_EQ(embedder.dimensions(), 8);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    ASSERT_EQ((*vectors)[i].size(), 8u) << i;
    if (i == 2 || i == 5) {  // blank: zeros, never sent
      EXPECT_EQ((*vectors)[i], std::vector<float>(8, 0.0f));
      continue;
    }
    const std::vector<float> expected = Unit(FakeProvider::VectorOf(texts[i], 8));
    for (int d = 0; d < 8; ++d) EXPECT_NEAR((*vectors)[i][d], expected[d], 1e-6) << i;
  }
  const auto requests = provider_.requests();
  ASSERT_EQ(requests.size(), 2u);  // five texts in batches of three
  EXPECT_EQ(requests[0].path, "/v1/embeddings");
  EXPECT_EQ(requests[0].authorization, "Bearer sk-test-key");
  EXPECT_EQ(requests[0].body["model"], "test-embed");
  EXPECT_EQ(requests[0].body["input"], (nlohmann::json{"one", "two", "three"}));
  EXPECT_EQ(requests[1].body["input"], (nlohmann::json{"four", "five"}));
}

TEST_F(OpenAiEmbedderTest, UrlMayBeTheBaseTheV1BaseOrTheFullEndpoint) {
  for (const std::string suffix : {"", "/", "/v1", "/v1/", "/v1/embeddings"}) {
    OpenAiEmbedder embedder(Options(provider_.url() + suffix));
    ASSERT_TRUE(embedder.Embed(std::vector<std::string>{"x"}).ok()) << suffix;
    EXPECT_EQ(provider_.requests().back().path, "/v1/embeddings") << suffix;
  }
  EXPECT_EQ(EndpointUrl("http://h/api/embed", "/v1/embeddings"),
            "http://h/api/embed/v1/embeddings");
}

TEST_F(OpenAiEmbedderTest, NoKeyMeansNoAuthorizationHeader) {
  auto options = Options(provider_.url());
  options.api_key.clear();
  OpenAiEmbedder embedder(options);
  ASSERT_TRUE(embedder.Embed(std::vector<std::string>{"x"}).ok());
  EXPECT_EQ(provider_.requests().back().authorization, "");
}

TEST_F(OpenAiEmbedderTest, RetriesServerErrorsWithGrowingBackoff) {
  provider_.Enqueue({.status = 500, .body = R"({"error":{"type":"server_error"}})"});
  provider_.Enqueue({.status = 503, .body = "busy"});
  OpenAiEmbedder embedder(Options(provider_.url()));
  auto vectors = embedder.Embed(std::vector<std::string>{"x"});
  ASSERT_TRUE(vectors.ok()) << vectors.status().ToString();
  EXPECT_EQ(provider_.requests().size(), 3u);
  const auto waits = sleeps();
  ASSERT_EQ(waits.size(), 2u);
  // Jitter: half to all of 500 ms, then of 1000 ms.
  EXPECT_GE(waits[0].count(), 250);
  EXPECT_LE(waits[0].count(), 500);
  EXPECT_GE(waits[1].count(), 500);
  EXPECT_LE(waits[1].count(), 1000);
}

TEST_F(OpenAiEmbedderTest, GivesUpAfterTheLastAttemptWithAClearError) {
  for (int i = 0; i < 4; ++i) provider_.Enqueue({.status = 502, .body = "{}"});
  OpenAiEmbedder embedder(Options(provider_.url()));
  auto vectors = embedder.Embed(std::vector<std::string>{"x"});
  ASSERT_EQ(vectors.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(vectors.status().message().find("HTTP 502"), std::string::npos);
  EXPECT_NE(vectors.status().message().find("4 attempts"), std::string::npos);
  EXPECT_EQ(provider_.requests().size(), 4u);
}

TEST_F(OpenAiEmbedderTest, HonoursRetryAfterOn429) {
  provider_.Enqueue({.status = 429,
                     .body = R"({"error":{"type":"rate_limit_exceeded","message":"slow down"}})",
                     .headers = {{"Retry-After", "3"}}});
  OpenAiEmbedder embedder(Options(provider_.url()));
  ASSERT_TRUE(embedder.Embed(std::vector<std::string>{"x"}).ok());
  ASSERT_EQ(sleeps().size(), 1u);
  EXPECT_EQ(sleeps()[0], std::chrono::milliseconds(3000));
}

TEST_F(OpenAiEmbedderTest, RetryAfterBeyondTheLimitEndsAtOnce) {
  provider_.Enqueue({.status = 429, .body = "{}", .headers = {{"retry-after", "3600"}}});
  OpenAiEmbedder embedder(Options(provider_.url()));
  auto vectors = embedder.Embed(std::vector<std::string>{"x"});
  ASSERT_EQ(vectors.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(vectors.status().message().find("3600 s"), std::string::npos);
  EXPECT_TRUE(sleeps().empty());
  EXPECT_EQ(provider_.requests().size(), 1u);
}

TEST_F(OpenAiEmbedderTest, SlowProviderTimesOutAndIsRetried) {
  provider_.Enqueue({.delay = std::chrono::milliseconds(3000)});
  OpenAiEmbedder embedder(Options(provider_.url()));  // total timeout 1 s
  const auto start = std::chrono::steady_clock::now();
  auto vectors = embedder.Embed(std::vector<std::string>{"x"});
  ASSERT_TRUE(vectors.ok()) << vectors.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
  EXPECT_EQ(sleeps().size(), 1u);
}

TEST_F(OpenAiEmbedderTest, TimeoutOnEveryAttemptIsUnavailable) {
  auto options = Options(provider_.url());
  options.http.max_attempts = 2;
  options.http.total_timeout = std::chrono::milliseconds(300);
  for (int i = 0; i < 2; ++i) provider_.Enqueue({.delay = std::chrono::milliseconds(2000)});
  OpenAiEmbedder embedder(options);
  auto vectors = embedder.Embed(std::vector<std::string>{"x"});
  ASSERT_EQ(vectors.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(vectors.status().message().find("no answer within 300 ms"), std::string::npos)
      << vectors.status().message();
}

TEST_F(OpenAiEmbedderTest, UnreachableProviderIsUnavailable) {
  auto options = Options("http://127.0.0.1:1");  // nothing listens on port 1
  options.http.max_attempts = 2;
  OpenAiEmbedder embedder(options);
  EXPECT_EQ(embedder.Embed(std::vector<std::string>{"x"}).status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(sleeps().size(), 1u);
}

TEST_F(OpenAiEmbedderTest, ClientErrorsAreNotRetried) {
  provider_.Enqueue(
      {.status = 400,
       .body = R"({"error":{"type":"invalid_request_error","message":"secret text"}})"});
  OpenAiEmbedder embedder(Options(provider_.url()));
  auto refused = embedder.Embed(std::vector<std::string>{"x"});
  ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("invalid_request_error"), std::string::npos);
  // The provider's message may quote the input: it is never repeated.
  EXPECT_EQ(refused.status().message().find("secret text"), std::string::npos);

  provider_.Enqueue({.status = 401, .body = R"({"error":{"code":"invalid_api_key"}})"});
  auto unauthorized = embedder.Embed(std::vector<std::string>{"x"});
  ASSERT_EQ(unauthorized.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(unauthorized.status().message().find("HTTP 401"), std::string::npos);
  EXPECT_EQ(unauthorized.status().message().find("sk-test-key"), std::string::npos);
  EXPECT_EQ(provider_.requests().size(), 2u);
  EXPECT_TRUE(sleeps().empty());
}

// Each malformed answer, and the words its error must contain.
TEST_F(OpenAiEmbedderTest, MalformedAnswersAreClearErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json {", "malformed JSON"},
      {R"({"object":"list"})", "no \"data\""},
      {R"({"data":[]})", "0 vectors for 1 inputs"},
      {R"({"data":[{"index":0,"embedding":[1,0]},{"index":1,"embedding":[0,1]}]})",
       "2 vectors for 1 inputs"},
      {R"({"data":[{"embedding":[1,0]}]})", "no index"},
      {R"({"data":[{"index":5,"embedding":[1,0]}]})", "out of range"},
      {R"({"data":[{"index":0,"embedding":[]}]})", "non-empty array"},
      {R"({"data":[{"index":0,"embedding":["a"]}]})", "not a number"},
      {R"({"data":[{"index":0}]})", "non-empty array"},
  };
  OpenAiEmbedder embedder(Options(provider_.url()));
  for (const auto& [body, expected] : cases) {
    provider_.Enqueue({.status = 200, .body = body});
    auto vectors = embedder.Embed(std::vector<std::string>{"x"});
    ASSERT_FALSE(vectors.ok()) << body;
    EXPECT_EQ(vectors.status().code(), StatusCode::kUnavailable) << body;
    EXPECT_NE(vectors.status().message().find(expected), std::string::npos)
        << body << ": " << vectors.status().message();
  }
  EXPECT_TRUE(sleeps().empty());  // not retried
}

TEST_F(OpenAiEmbedderTest, RepeatedIndexIsAnError) {
  auto options = Options(provider_.url());
  OpenAiEmbedder embedder(options);
  provider_.Enqueue(
      {.body = R"({"data":[{"index":0,"embedding":[1,0]},{"index":0,"embedding":[0,1]}]})"});
  auto vectors = embedder.Embed(std::vector<std::string>{"x", "y"});
  ASSERT_EQ(vectors.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(vectors.status().message().find("repeated"), std::string::npos);
}

TEST_F(OpenAiEmbedderTest, DimensionChangeIsAnError) {
  OpenAiEmbedder embedder(Options(provider_.url()));
  ASSERT_TRUE(embedder.Embed(std::vector<std::string>{"x"}).ok());
  provider_.set_dimensions(5);
  auto vectors = embedder.Embed(std::vector<std::string>{"y"});
  ASSERT_EQ(vectors.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(vectors.status().message().find("5 dimensions where the model gave 8"),
            std::string::npos)
      << vectors.status().message();
  // Within one answer too.
  OpenAiEmbedder fresh(Options(provider_.url()));
  provider_.Enqueue(
      {.body = R"({"data":[{"index":0,"embedding":[1,0]},{"index":1,"embedding":[0,1,0]}]})"});
  EXPECT_EQ(fresh.Embed(std::vector<std::string>{"x", "y"}).status().code(),
            StatusCode::kUnavailable);
}

}  // namespace
}  // namespace loci::embed
