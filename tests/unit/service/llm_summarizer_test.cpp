#include "service/llm_summarizer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "embed/openai_chat_model.h"
#include "text/token_counter.h"
#include "unit/embed/fake_provider.h"

namespace loci::service {
namespace {

using loci::testing::FakeProvider;

std::vector<model::Message> Turns() {
  std::vector<model::Message> turns;
  const char* contents[] = {"Hi there!", "I adopted a greyhound called Biscuit on 3 May 2023.",
                            "Lovely.", "We decided to move to Porto in September."};
  for (int i = 0; i < 4; ++i) {
    model::Message message;
    message.id = "m_" + std::to_string(i);
    message.name = i % 2 ? "Ben" : "Ana";
    message.content = contents[i];
    message.created_at = 1683554160000 + i * 60'000;
    turns.push_back(message);
  }
  return turns;
}

// A chat completions answer whose content is `content`.
std::string Answer(const std::string& content) {
  return nlohmann::json{
      {"choices",
       {{{"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}}}}
      .dump();
}

class LlmSummarizerTest : public ::testing::Test {
 protected:
  LlmSummarizerTest() : model_(ChatOptionsFor(provider_)), llm_(model_, extractive_) {}

  // What the built-in summarizer folds: the fall-back's answer.
  std::string Extractive(const std::string& previous = "") {
    return *extractive_.Fold(previous, Turns());
  }

  FakeProvider provider_;
  ExtractiveSummarizer extractive_;
  embed::OpenAiChatModel model_;
  LlmSummarizer llm_;
};

TEST_F(LlmSummarizerTest, TheModelWritesTheSummaryFromThePreviousOneAndTheNewTurns) {
  provider_.Enqueue({.body = Answer("  Ben adopted Biscuit (3 May 2023); they move to Porto.\n")});
  auto summary = llm_.Fold("Ana and Ben met in 2019.", Turns());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(*summary, "Ben adopted Biscuit (3 May 2023); they move to Porto.");
  const auto requests = provider_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string system = requests[0].body["messages"][0]["content"];
  const std::string user = requests[0].body["messages"][1]["content"];
  EXPECT_NE(system.find("Keep every name, number, date"), std::string::npos);
  EXPECT_NE(user.find("Summary so far:\nAna and Ben met in 2019."), std::string::npos);
  EXPECT_NE(user.find("Ben (user): I adopted a greyhound called Biscuit on 3 May 2023."),
            std::string::npos)
      << user;
  EXPECT_EQ(requests[0].body["max_tokens"], 600);
}

TEST_F(LlmSummarizerTest, ATimeoutFallsBackToTheBuiltInSummarizer) {
  for (int i = 0; i < 2; ++i) provider_.Enqueue({.delay = std::chrono::milliseconds(1500)});
  auto summary = llm_.Fold("", Turns());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(*summary, Extractive());
}

TEST_F(LlmSummarizerTest, ErrorsFallBackToTheBuiltInSummarizer) {
  for (int i = 0; i < 2; ++i) provider_.Enqueue({.status = 503, .body = "{}"});
  EXPECT_EQ(*llm_.Fold("Earlier.", Turns()), Extractive("Earlier."));
  provider_.Enqueue({.status = 400, .body = R"({"error": {"type": "invalid_request"}})"});
  EXPECT_EQ(*llm_.Fold("", Turns()), Extractive());
}

TEST_F(LlmSummarizerTest, MalformedAnswersFallBackToTheBuiltInSummarizer) {
  for (const std::string body : {std::string("not json"), std::string(R"({"choices": []})"),
                                 std::string(R"({"choices": [{"message": {"content": 7}}]})"),
                                 Answer(""), Answer(" \n\t ")}) {
    SCOPED_TRACE(body);
    for (int i = 0; i < 2; ++i) provider_.Enqueue({.body = body});
    auto summary = llm_.Fold("", Turns());
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    EXPECT_EQ(*summary, Extractive());
  }
}

TEST_F(LlmSummarizerTest, AnAnswerOverTheBudgetIsCutToIt) {
  std::string long_answer;
  for (int i = 0; i < 200; ++i) {
    long_answer += "On day " + std::to_string(i) + " Ana and Ben walked to the harbour.\n";
  }
  provider_.Enqueue({.body = Answer(long_answer)});
  LlmSummarizer small(model_, extractive_, {.max_tokens = 100});
  auto summary = small.Fold("", Turns());
  ASSERT_TRUE(summary.ok());
  EXPECT_LE(text::CountTokens(*summary), 100);
  EXPECT_FALSE(summary->empty());
}

TEST_F(LlmSummarizerTest, ManyTurnsAreFoldedInSeveralRequestsEachOverTheLast) {
  provider_.Enqueue({.body = Answer("First part.")});
  provider_.Enqueue({.body = Answer("Second part.")});
  LlmSummarizer chunked(model_, extractive_, {.max_input_tokens = 40});
  auto summary = chunked.Fold("", Turns());
  ASSERT_TRUE(summary.ok());
  const auto requests = provider_.requests();
  ASSERT_GE(requests.size(), 2u);
  const std::string second_user = requests[1].body["messages"][1]["content"];
  EXPECT_NE(second_user.find("Summary so far:\nFirst part."), std::string::npos) << second_user;
}

}  // namespace
}  // namespace loci::service
