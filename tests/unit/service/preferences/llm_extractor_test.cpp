// LlmPreferenceExtractor against the local stand-in chat completions server: what it sends,
// the observations it keeps, and every answer it must drop (keys API.md does not name, bad
// values, made-up values, malformed JSON, errors, timeouts).
#include "service/preferences/llm_extractor.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "embed/openai_chat_model.h"
#include "unit/embed/fake_provider.h"

namespace loci::service {
namespace {

using loci::testing::FakeProvider;

// A chat completions answer whose content is `content`.
std::string Answer(const std::string& content) {
  return nlohmann::json{
      {"choices",
       {{{"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}}}}
      .dump();
}

std::string Observations(const nlohmann::json& observations) {
  return Answer(nlohmann::json{{"observations", observations}}.dump());
}

model::Message Turn(const std::string& id, const std::string& content,
                    model::Role role = model::Role::kUser) {
  model::Message message;
  message.id = id;
  message.role = role;
  message.content = content;
  return message;
}

class LlmExtractorTest : public ::testing::Test {
 protected:
  LlmExtractorTest() : model_(ChatOptionsFor(provider_)), extractor_(model_) {}

  FakeProvider provider_;
  embed::OpenAiChatModel model_;
  LlmPreferenceExtractor extractor_;
  std::vector<model::Message> turns_ = {
      Turn("m_1", "Call me Sam, and I live in Porto these days."),
      Turn("m_2", "Noted, Sam!", model::Role::kAssistant),
      Turn("m_3", "Jazz on vinyl is my favourite thing. Please keep answers short."),
  };
};

TEST_F(LlmExtractorTest, SendsTheUserTurnsNumberedAndKeepsWhatTheModelReadsCitingTheTurn) {
  provider_.Enqueue({.body = Observations({
                         {{"turn", 1}, {"key", "name"}, {"value", "Sam"}},
                         {{"turn", 1}, {"key", "location"}, {"value", "Porto"}},
                         {{"turn", 2}, {"key", "likes:jazz"}, {"value", "Jazz on vinyl"}},
                         {{"turn", 2}, {"key", "response_length"}, {"value", "Concise"}},
                     })});
  ModelExtraction found = extractor_.Extract(turns_);
  EXPECT_EQ(found.requests, 1);
  EXPECT_EQ(found.failed, 0);
  EXPECT_EQ(found.rejected, 0);
  ASSERT_EQ(found.observations.size(), 4u);
  EXPECT_EQ(found.observations[0].key, "name");
  EXPECT_EQ(found.observations[0].value, "Sam");
  EXPECT_EQ(found.observations[0].category, "personal");
  EXPECT_EQ(found.observations[0].evidence_id, "m_1");
  EXPECT_DOUBLE_EQ(found.observations[0].confidence, 0.5);
  EXPECT_FALSE(found.observations[0].retract);
  EXPECT_EQ(found.observations[2].key, "likes:jazz_on_vinyl");  // made from the thing
  EXPECT_EQ(found.observations[2].category, "likes");
  EXPECT_EQ(found.observations[2].evidence_id, "m_3");
  EXPECT_EQ(found.observations[3].value, "concise");

  const auto requests = provider_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string system = requests[0].body["messages"][0]["content"];
  const std::string user = requests[0].body["messages"][1]["content"];
  EXPECT_NE(system.find("response_length: concise or detailed"), std::string::npos);
  EXPECT_NE(system.find("my sister is vegan"), std::string::npos);
  EXPECT_EQ(user,
            "Messages:\n[1] Call me Sam, and I live in Porto these days.\n"
            "[2] Jazz on vinyl is my favourite thing. Please keep answers short.\n");
}

TEST_F(LlmExtractorTest, RetractionsNeedNoValue) {
  provider_.Enqueue({.body = Observations({
                         {{"turn", 2}, {"key", "diet"}, {"retract", true}},
                         {{"turn", 2}, {"key", "dislikes:jazz"}, {"retract", true}},
                     })});
  ModelExtraction found = extractor_.Extract(turns_);
  ASSERT_EQ(found.observations.size(), 2u);
  EXPECT_TRUE(found.observations[0].retract);
  EXPECT_EQ(found.observations[0].value, "");
  EXPECT_EQ(found.observations[1].key, "dislikes:jazz");
}

TEST_F(LlmExtractorTest, ObservationsThatBreakARuleAreDroppedOneByOne) {
  const std::string long_value(200, 'a');
  provider_.Enqueue({.body = Observations({
                         {{"turn", 1}, {"key", "password"}, {"value", "Porto"}},  // not a key
                         {{"turn", 1}, {"key", "is_admin"}, {"value", "true"}},
                         {{"turn", 1}, {"key", "Name"}, {"value", "Sam"}},
                         {{"turn", 1}, {"key", "name"}, {"value", "Robert"}},  // not in the turn
                         {{"turn", 2}, {"key", "response_length"}, {"value", "medium"}},
                         {{"turn", 2}, {"key", "language"}, {"value", "English"}},
                         {{"turn", 2}, {"key", "emoji"}, {"value", 1}},       // wrong type
                         {{"turn", "1"}, {"key", "name"}, {"value", "Sam"}},  // wrong type
                         {{"turn", 0}, {"key", "name"}, {"value", "Sam"}},    // no such turn
                         {{"turn", 3}, {"key", "name"}, {"value", "Sam"}},
                         {{"turn", 1.5}, {"key", "name"}, {"value", "Sam"}},
                         {{"turn", 1}, {"key", "name"}},  // no value, not a retraction
                         {{"turn", 1}, {"key", "location"}, {"value", long_value}},
                         {{"turn", 1}, {"key", "location"}, {"value", "Porto\nrm"}},
                         {{"turn", 1}, {"key", "likes:"}, {"retract", true}},
                         {{"turn", 1}, {"key", "tone"}, {"value", "very warm"}},
                         {{"turn", 1}, {"key", "name"}, {"value", "Sam"}, {"why", "said so"}},
                         {{"turn", 1}, {"key", "location"}, {"value", "Porto"}},  // kept
                         {{"turn", 1}, {"key", "location"}, {"value", "porto"}},  // twice
                     })});
  ModelExtraction found = extractor_.Extract(turns_);
  EXPECT_EQ(found.failed, 0);
  EXPECT_EQ(found.rejected, 18);
  ASSERT_EQ(found.observations.size(), 1u);
  EXPECT_EQ(found.observations[0].key, "location");
  EXPECT_EQ(found.observations[0].value, "Porto");
}

TEST_F(LlmExtractorTest, ValuesAreBroughtToTheirKeysForm) {
  provider_.Enqueue({.body = Observations({
                         {{"turn", 1}, {"key", "language"}, {"value", "pt-br"}},
                         {{"turn", 1}, {"key", "expertise"}, {"value", "Expert: Python"}},
                         {{"turn", 1}, {"key", "diet"}, {"value", "Gluten free"}},
                         {{"turn", 1}, {"key", "timezone"}, {"value", "Europe/Lisbon"}},
                         {{"turn", 1}, {"key", "format"}, {"value", "BULLET_POINTS"}},
                         {{"turn", 1}, {"key", "timezone"}, {"value", "somewhere nice"}},
                     })});
  ModelExtraction found = extractor_.Extract(turns_);
  ASSERT_EQ(found.observations.size(), 5u);
  EXPECT_EQ(found.observations[0].value, "pt-BR");
  EXPECT_EQ(found.observations[1].value, "expert:python");
  EXPECT_EQ(found.observations[2].value, "gluten_free");
  EXPECT_EQ(found.observations[3].value, "Europe/Lisbon");
  EXPECT_EQ(found.observations[4].value, "bullet_points");
  EXPECT_EQ(found.rejected, 1);
}

TEST_F(LlmExtractorTest, MalformedAnswersYieldNothing) {
  for (const std::string content : {"Sure! Sam lives in Porto.", "{\"observations\": [",
                                    "{\"observations\": \"none\"}", "{\"preferences\": []}", ""}) {
    provider_.Enqueue({.body = Answer(content)});
    ModelExtraction found = extractor_.Extract(turns_);
    EXPECT_EQ(found.failed, 1) << content;
    EXPECT_EQ(found.last_failure, StatusCode::kInvalidArgument) << content;
    EXPECT_TRUE(found.observations.empty()) << content;
  }
  // Not even a chat completions answer.
  provider_.Enqueue({.body = "{\"choices\": 7}"});
  provider_.Enqueue({.body = "not json at all"});
  for (int i = 0; i < 2; ++i) {
    ModelExtraction found = extractor_.Extract(turns_);
    EXPECT_EQ(found.failed, 1);
    EXPECT_TRUE(found.observations.empty());
  }
  // A fenced answer is fine.
  provider_.Enqueue({.body = Answer("```json\n{\"observations\": [{\"turn\": 1, \"key\": "
                                    "\"location\", \"value\": \"Porto\"}]}\n```")});
  EXPECT_EQ(extractor_.Extract(turns_).observations.size(), 1u);
}

TEST_F(LlmExtractorTest, ErrorsAndTimeoutsYieldNothing) {
  provider_.Enqueue({.status = 500, .body = "{\"error\": \"boom\"}"});
  provider_.Enqueue({.status = 503, .body = "{}"});
  ModelExtraction errors = extractor_.Extract(turns_);
  EXPECT_EQ(errors.failed, 1);
  EXPECT_EQ(errors.last_failure, StatusCode::kUnavailable);
  EXPECT_TRUE(errors.observations.empty());

  const std::string good = Observations({{{"turn", 1}, {"key", "name"}, {"value", "Sam"}}});
  provider_.Enqueue({.body = good, .delay = std::chrono::milliseconds(600)});
  provider_.Enqueue({.body = good, .delay = std::chrono::milliseconds(600)});
  ModelExtraction slow = extractor_.Extract(turns_);
  EXPECT_EQ(slow.failed, 1);
  EXPECT_EQ(slow.last_failure, StatusCode::kUnavailable);
  EXPECT_TRUE(slow.observations.empty());

  provider_.Enqueue({.status = 400, .body = "{\"error\": \"bad request\"}"});
  EXPECT_EQ(extractor_.Extract(turns_).failed, 1);
}

TEST_F(LlmExtractorTest, ManyTurnsGoInSeveralRequestsAndOneFailingKeepsTheOthers) {
  LlmPreferenceExtractor small(model_, {.max_input_tokens = 20});
  std::vector<model::Message> turns;
  for (int i = 0; i < 3; ++i) {
    turns.push_back(Turn("m_" + std::to_string(i), "I live in Porto and I like long walks there."));
  }
  provider_.Enqueue(
      {.body = Observations({{{"turn", 1}, {"key", "location"}, {"value", "Porto"}}})});
  provider_.Enqueue({.status = 500});
  provider_.Enqueue({.status = 500});
  provider_.Enqueue(
      {.body = Observations({{{"turn", 1}, {"key", "location"}, {"value", "Porto"}}})});
  ModelExtraction found = small.Extract(turns);
  EXPECT_EQ(found.requests, 3);
  EXPECT_EQ(found.failed, 1);
  ASSERT_EQ(found.observations.size(), 2u);
  EXPECT_EQ(found.observations[0].evidence_id, "m_0");
  EXPECT_EQ(found.observations[1].evidence_id, "m_2");  // turn 1 of the third request
}

TEST_F(LlmExtractorTest, NoUserTurnsNoRequest) {
  std::vector<model::Message> assistant = {Turn("m_1", "Hello!", model::Role::kAssistant)};
  EXPECT_EQ(extractor_.Extract(assistant).requests, 0);
  EXPECT_TRUE(provider_.requests().empty());
}

}  // namespace
}  // namespace loci::service
