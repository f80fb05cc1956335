#include "embed/openai_chat_model.h"

#include <gtest/gtest.h>

#include "unit/embed/fake_provider.h"

namespace loci::embed {
namespace {

using testing::FakeProvider;

class OpenAiChatModelTest : public ::testing::Test {
 protected:
  OpenAiChatModel Make(std::string url) {
    OpenAiChatOptions options;
    options.url = std::move(url);
    options.model = "test-chat";
    options.api_key = "llm-key";
    options.http.total_timeout = std::chrono::milliseconds(500);
    options.http.max_attempts = 3;
    options.sleeper = [this](std::chrono::milliseconds delay) { sleeps_.push_back(delay); };
    return OpenAiChatModel(options);
  }

  FakeProvider provider_;
  std::vector<std::chrono::milliseconds> sleeps_;  // Complete runs on the test's thread
};

TEST_F(OpenAiChatModelTest, SendsSystemAndUserAndReturnsTheAnswer) {
  OpenAiChatModel model = Make(provider_.url() + "/v1");
  EXPECT_EQ(model.model_id(), "openai:test-chat");
  auto answer = model.Complete("Summarize.", "Alice met Bob in May 2022.", 200);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(*answer, "echo: Alice met Bob in May 2022.");
  const auto request = provider_.requests().at(0);
  EXPECT_EQ(request.path, "/v1/chat/completions");
  EXPECT_EQ(request.authorization, "Bearer llm-key");
  EXPECT_EQ(request.body["model"], "test-chat");
  EXPECT_EQ(request.body["max_tokens"], 200);
  EXPECT_EQ(request.body["temperature"], 0);
  EXPECT_EQ(request.body["messages"],
            (nlohmann::json{{{"role", "system"}, {"content", "Summarize."}},
                            {{"role", "user"}, {"content", "Alice met Bob in May 2022."}}}));
}

TEST_F(OpenAiChatModelTest, RetriesTimeoutsAnd5xxAnd429) {
  provider_.Enqueue({.delay = std::chrono::milliseconds(2000)});
  provider_.Enqueue({.status = 429, .body = "{}", .headers = {{"Retry-After", "2"}}});
  OpenAiChatModel model = Make(provider_.url());
  auto answer = model.Complete("s", "hello", 10);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(*answer, "echo: hello");
  ASSERT_EQ(sleeps_.size(), 2u);
  EXPECT_EQ(sleeps_[1], std::chrono::milliseconds(2000));  // Retry-After beats the backoff

  for (int i = 0; i < 3; ++i) provider_.Enqueue({.status = 500, .body = "{}"});
  auto failed = model.Complete("s", "hello", 10);
  ASSERT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(failed.status().message().find("chat model answered HTTP 500"), std::string::npos);
}

TEST_F(OpenAiChatModelTest, MalformedAnswersAreClearErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"<html>", "malformed JSON"},
      {R"({"choices":[]})", "no \"choices\""},
      {R"({"id":"x"})", "no \"choices\""},
      {R"({"choices":[{"index":0}]})", "no \"message\""},
      {R"({"choices":[{"message":{"role":"assistant","content":null}}]})", "no text"},
      {R"({"choices":[7]})", "not an object"},
  };
  OpenAiChatModel model = Make(provider_.url());
  for (const auto& [body, expected] : cases) {
    provider_.Enqueue({.body = body});
    auto answer = model.Complete("s", "u", 10);
    ASSERT_EQ(answer.status().code(), StatusCode::kUnavailable) << body;
    EXPECT_NE(answer.status().message().find(expected), std::string::npos)
        << body << ": " << answer.status().message();
  }
  provider_.Enqueue({.body = R"({"choices":[{"finish_reason":"content_filter",
                                            "message":{"content":""}}]})"});
  EXPECT_EQ(model.Complete("s", "u", 10).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(OpenAiChatModelTest, RefusalIsInvalidArgumentWithoutRetry) {
  provider_.Enqueue({.status = 422, .body = R"({"error":{"type":"context_length_exceeded"}})"});
  OpenAiChatModel model = Make(provider_.url());
  auto answer = model.Complete("s", "u", 10);
  ASSERT_EQ(answer.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(answer.status().message().find("context_length_exceeded"), std::string::npos);
  EXPECT_EQ(provider_.requests().size(), 1u);
}

}  // namespace
}  // namespace loci::embed
