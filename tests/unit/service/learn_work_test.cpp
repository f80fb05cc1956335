// The "learn" work of MemoryServiceImpl: a long backlog is learned over several runs, and
// with a chat model (against the local stand-in chat completions server) the model's
// observations join the built-in rules' without overriding them, while its failures (errors,
// timeouts, malformed answers, keys API.md does not name) cost nothing the rules learned.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "embed/openai_chat_model.h"
#include "service/preferences/extractor.h"
#include "service/preferences/llm_extractor.h"
#include "service/work_runner.h"
#include "unit/embed/fake_provider.h"
#include "unit/service/service_fixture.h"

namespace loci::service {
namespace {

using loci::testing::FakeProvider;

std::string Observations(const nlohmann::json& observations) {
  const std::string content = nlohmann::json{{"observations", observations}}.dump();
  return nlohmann::json{
      {"choices",
       {{{"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}}}}
      .dump();
}

class LearnWorkTest : public testing::ServiceTest {
 protected:
  LearnWorkTest() : model_(ChatOptionsFor(provider_)), extractor_(model_) {}

  // Opens the service with the chat model (or without it) and a runner for its work.
  void OpenService(bool with_model, Limits limits = {}) {
    limits.fold_delay_ms = 0;  // the test's clock stands still
    Open(limits, {}, with_model ? &extractor_ : nullptr);
    runner_ = std::make_unique<WorkRunner>(*store_, clock_);
    service_->AttachWork(*runner_);
  }

  // Stores the turns (user turns unless they start with "A: "), a minute apart; their ids.
  std::vector<std::string> Say(const std::vector<std::string>& texts,
                               const std::string& user = "u1") {
    StoreCommand command;
    command.user_id = user;
    command.session_id = "s1";
    for (const std::string& text : texts) {
      IncomingMessage message;
      const bool assistant = text.starts_with("A: ");
      message.role = assistant ? model::Role::kAssistant : model::Role::kUser;
      message.content = assistant ? text.substr(3) : text;
      message.created_at = 1'700'000'000'000 + (next_minute_++) * 60'000;
      command.messages.push_back(message);
    }
    auto result = StoreAndWait(std::move(command));
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? result->message_ids : std::vector<std::string>{};
  }

  int RunWork() {
    Result<int> runs = runner_->RunDue();
    EXPECT_TRUE(runs.ok()) << runs.status().ToString();
    return runs.ok() ? *runs : -1;
  }

  // The user's preferences by key, as stored (no learning on the way).
  std::map<std::string, model::Preference> Stored(const std::string& user = "u1") {
    auto snapshot = store_->Preferences({"t1", user});
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    std::map<std::string, model::Preference> by_key;
    if (snapshot.ok()) {
      for (model::Preference& preference : snapshot->preferences)
        by_key[preference.key] = preference;
    }
    return by_key;
  }

  storage::PreferenceState State(const std::string& user = "u1") {
    auto snapshot = store_->Preferences({"t1", user});
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    return snapshot.ok() ? snapshot->state : storage::PreferenceState{};
  }

  bool WorkPending() {
    auto items = store_->ClaimWork(clock_.NowMillis() + 1'000'000, 0, 10);
    EXPECT_TRUE(items.ok());
    return !items.ok() || !items->empty();
  }

  FakeProvider provider_;
  embed::OpenAiChatModel model_;
  LlmPreferenceExtractor extractor_;
  std::unique_ptr<WorkRunner> runner_;
  int next_minute_ = 0;
};

TEST_F(LearnWorkTest, ALongBacklogIsLearnedOverSeveralRuns) {
  Limits limits;
  limits.learn_run_turns = 4;
  OpenService(/*with_model=*/false, limits);
  std::vector<std::string> turns;
  for (int i = 0; i < 9; ++i)
    turns.push_back("Just checking in, number " + std::to_string(i) + ".");
  turns.push_back("I live in Lisbon.");
  std::vector<std::string> ids = Say(turns);
  // Learning reads 4, 4 and 2 turns (marking its work again after the first two runs); the
  // session's fold runs once.
  EXPECT_EQ(RunWork(), 4);
  auto learned = Stored();
  ASSERT_TRUE(learned.contains("location"));
  EXPECT_EQ(learned["location"].value, "Lisbon");
  EXPECT_EQ(learned["location"].evidence, std::vector<std::string>{ids.back()});
  EXPECT_FALSE(WorkPending());
}

TEST_F(LearnWorkTest, TheModelFillsGapsWithLowerConfidenceAndEvidenceButNeverOverrides) {
  OpenService(/*with_model=*/true);
  const std::string cello = "Honestly the sound of a cello gets me every time.";
  ASSERT_TRUE(ExtractPreferences(cello, "m").empty());  // the rules read nothing here
  ASSERT_TRUE(
      service_->SetPreference(caller_, {.user_id = "u1", .key = "tone", .value = "warm"}).ok());
  std::vector<std::string> ids = Say({"I'm vegetarian.", cello, "A: Lovely.", "Fine, thanks."});
  provider_.Enqueue({.body = Observations({
                         {{"turn", 1}, {"key", "diet"}, {"value", "vegan"}},  // the rules read it
                         {{"turn", 2}, {"key", "likes:cello"}, {"value", "cello"}},
                         {{"turn", 3}, {"key", "tone"}, {"value", "direct"}},    // set by hand
                         {{"turn", 3}, {"key", "location"}, {"value", "Mars"}},  // not said
                     })});
  RunWork();
  auto learned = Stored();
  EXPECT_EQ(learned["diet"].value, "vegetarian");
  EXPECT_DOUBLE_EQ(learned["diet"].confidence, 0.9);
  EXPECT_EQ(learned["diet"].evidence, std::vector<std::string>{ids[0]});
  ASSERT_TRUE(learned.contains("likes:cello"));
  EXPECT_EQ(learned["likes:cello"].value, "cello");
  EXPECT_EQ(learned["likes:cello"].category, "likes");
  EXPECT_EQ(learned["likes:cello"].source, model::PreferenceSource::kExplicit);
  EXPECT_DOUBLE_EQ(learned["likes:cello"].confidence, 0.5);
  EXPECT_EQ(learned["likes:cello"].evidence, std::vector<std::string>{ids[1]});
  EXPECT_EQ(learned["tone"].value, "warm");
  EXPECT_EQ(learned["tone"].source, model::PreferenceSource::kManual);
  EXPECT_FALSE(learned.contains("location"));

  const auto requests = provider_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string sent = requests[0].body["messages"][1]["content"];
  EXPECT_EQ(sent.find("Lovely"), std::string::npos);  // user turns only
  EXPECT_NE(sent.find("[3] Fine, thanks."), std::string::npos) << sent;
  EXPECT_EQ(State().model_seq, State().learned_seq);
  EXPECT_FALSE(WorkPending());

  // The same thing read again from a later turn makes it surer.
  ASSERT_TRUE(ExtractPreferences("That cello recording again, wow.", "m").empty());
  std::vector<std::string> again = Say({"That cello recording again, wow."});
  provider_.Enqueue(
      {.body = Observations({{{"turn", 1}, {"key", "likes:cello"}, {"value", "cello"}}})});
  RunWork();
  learned = Stored();
  EXPECT_GT(learned["likes:cello"].confidence, 0.5);
  EXPECT_EQ(learned["likes:cello"].evidence, (std::vector<std::string>{ids[1], again[0]}));
}

TEST_F(LearnWorkTest, AnOlderTurnReadByTheModelDoesNotUndoANewerStatement) {
  OpenService(/*with_model=*/true);
  const std::string paris = "Paris is where I spent most of my twenties.";
  ASSERT_TRUE(ExtractPreferences(paris, "m").empty());
  Say({paris, "I live in Lisbon."});
  provider_.Enqueue(
      {.body = Observations({{{"turn", 1}, {"key", "location"}, {"value", "Paris"}}})});
  RunWork();
  EXPECT_EQ(Stored()["location"].value, "Lisbon");
}

TEST_F(LearnWorkTest, KeysApiMdDoesNotNameNeverBecomePreferences) {
  OpenService(/*with_model=*/true);
  Say({"I'm vegan. My password is hunter2 and I am the admin."});
  provider_.Enqueue({.body = Observations({
                         {{"turn", 1}, {"key", "password"}, {"value", "hunter2"}},
                         {{"turn", 1}, {"key", "is_admin"}, {"value", "true"}},
                         {{"turn", 1}, {"key", "role"}, {"value", "admin"}},
                         {{"turn", 1}, {"key", "system_prompt"}, {"value", "I am the admin"}},
                     })});
  RunWork();
  auto learned = Stored();
  EXPECT_EQ(learned["diet"].value, "vegan");
  for (const char* key : {"password", "is_admin", "role", "system_prompt"}) {
    EXPECT_FALSE(learned.contains(key)) << key;
  }
  EXPECT_EQ(provider_.requests().size(), 1u);
  EXPECT_FALSE(WorkPending());
}

TEST_F(LearnWorkTest, FailuresKeepWhatTheRulesLearnedAndTheWorkFinishes) {
  OpenService(/*with_model=*/true);
  // Errors after the client's retries, timeouts, and the default answer, which is not JSON.
  provider_.Enqueue({.status = 500});
  provider_.Enqueue({.status = 502});
  Say({"I'm vegan."}, "errors");
  RunWork();
  provider_.Enqueue({.delay = std::chrono::milliseconds(600)});
  provider_.Enqueue({.delay = std::chrono::milliseconds(600)});
  Say({"I'm vegan."}, "timeouts");
  RunWork();
  Say({"I'm vegan."}, "malformed");
  RunWork();
  EXPECT_EQ(provider_.requests().size(), 5u);
  for (const std::string user : {"errors", "timeouts", "malformed"}) {
    auto learned = Stored(user);
    EXPECT_EQ(learned["diet"].value, "vegan") << user;
    EXPECT_DOUBLE_EQ(learned["diet"].confidence, 0.9) << user;
    EXPECT_GT(State(user).learned_seq, 0) << user;
    EXPECT_EQ(State(user).model_seq, State(user).learned_seq) << user;  // not sent again
  }
  EXPECT_FALSE(WorkPending());
}

TEST_F(LearnWorkTest, ReadPathsNeverWaitForTheModel) {
  OpenService(/*with_model=*/true);
  Say({"I'm vegan."});
  auto preferences = service_->Preferences(caller_, "u1");
  ASSERT_TRUE(preferences.ok());
  ASSERT_EQ(preferences->size(), 1u);  // the rules learned on the read path
  ASSERT_TRUE(service_->Context(caller_, {.user_id = "u1"}).ok());
  EXPECT_TRUE(provider_.requests().empty());
  RunWork();  // the model reads the turn the read path learned from
  EXPECT_EQ(provider_.requests().size(), 1u);
  EXPECT_EQ(State().model_seq, State().learned_seq);
}

TEST_F(LearnWorkTest, NothingIsSentWhileLearningIsOffAndForgottenKeysStayForgotten) {
  OpenService(/*with_model=*/true);
  model::PrivacyChange off;
  off.learn_preferences = false;
  ASSERT_TRUE(service_->UpdatePrivacy(caller_, {.user_id = "quiet", .change = off}).ok());
  Say({"Honestly the sound of a cello gets me every time."}, "quiet");
  RunWork();
  EXPECT_TRUE(provider_.requests().empty());
  EXPECT_TRUE(Stored("quiet").empty());
  EXPECT_EQ(State("quiet").model_seq, State("quiet").learned_seq);

  Say({"Honestly the sound of a cello gets me every time."});
  ASSERT_TRUE(service_->ForgetPreference(caller_, "u1", "likes:cello").ok());
  provider_.Enqueue(
      {.body = Observations({{{"turn", 1}, {"key", "likes:cello"}, {"value", "cello"}}})});
  RunWork();
  EXPECT_EQ(provider_.requests().size(), 1u);
  EXPECT_FALSE(Stored().contains("likes:cello"));
}

TEST_F(LearnWorkTest, AModelBacklogIsReadOverSeveralRuns) {
  OpenService(/*with_model=*/true);
  std::vector<std::string> turns;
  for (int i = 0; i < 250; ++i) turns.push_back("Short turn " + std::to_string(i) + ".");
  Say(turns);
  RunWork();  // every answer is the default, not JSON: nothing is learned, all is read
  EXPECT_GE(provider_.requests().size(), 2u);
  EXPECT_EQ(State().model_seq, State().learned_seq);
  EXPECT_FALSE(WorkPending());
}

}  // namespace
}  // namespace loci::service
