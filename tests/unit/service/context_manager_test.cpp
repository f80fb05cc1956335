#include "service/context_manager.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "service/prompt.h"
#include "service/work_runner.h"
#include "text/token_counter.h"
#include "unit/service/service_fixture.h"

namespace loci::service {
namespace {

// Turn i of a long conversation: mostly small talk, with a few turns of facts; turn 3 holds
// the most of them.
std::string TurnText(int i) {
  if (i == 3) return "My sister Lucia was born on 12 March 1990 in Valencia, Spain.";
  if (i % 25 == 0) {
    return "On Friday " + std::to_string(i) + " we decided to visit Marta in Seville.";
  }
  return i % 2 ? "That sounds lovely, tell me more about it when you can."
               : "I was thinking about it again this afternoon and it still feels right.";
}

class ContextManagerTest : public testing::ServiceTest {
 protected:
  void StoreTurns(const std::string& session, int first, int count,
                  const std::string& user = "u1") {
    StoreCommand command;
    command.user_id = user;
    command.session_id = session;
    for (int i = first; i < first + count; ++i) {
      IncomingMessage message;
      message.role = i % 2 ? model::Role::kAssistant : model::Role::kUser;
      message.content = TurnText(i);
      message.created_at = 1'700'000'000'000 + i * 60'000;
      command.messages.push_back(message);
    }
    auto result = StoreAndWait(std::move(command));
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    ids_.insert(ids_.end(), result->message_ids.begin(), result->message_ids.end());
  }

  // Opens a service whose sessions only the returned runner folds: no fold on the request
  // path (a lag of 1,000 turns is allowed) and none delayed (the test's clock stands still).
  std::unique_ptr<WorkRunner> OpenWithFoldsByRunner() {
    Limits limits;
    limits.summary_lag_messages = 1000;
    limits.fold_delay_ms = 0;
    Open(limits);
    auto runner = std::make_unique<WorkRunner>(*store_, clock_);
    service_->AttachWork(*runner);
    return runner;
  }

  ContextPack ContextOf(const ContextQuery& query) {
    auto pack = service_->Context(caller_, query);
    EXPECT_TRUE(pack.ok()) << pack.status().ToString();
    return pack.ok() ? **pack : ContextPack{};
  }

  std::vector<std::string> ids_;
};

TEST_F(ContextManagerTest, FiveHundredTurnsGivePreferencesSummaryAndRecentTurnsInEveryBudget) {
  StoreTurns("s1", 0, 500);
  const model::UserRef user{"t1", "u1"};
  Limits limits;
  SearchService search(*store_, analyzer_, clock_);
  ExtractiveSummarizer summarizer;
  SessionFolder folder(*store_, summarizer, clock_, {.window = limits.default_context_messages});
  ContextManager manager(*store_, search, folder, limits);
  const std::vector<Preference> preferences = {
      {.key = "name", .value = "Sam", .category = "personal", .confidence = 0.9},
      {.key = "diet", .value = "vegetarian", .category = "personal", .confidence = 0.95}};
  for (int budget = 100; budget <= 8000; budget += budget < 1000 ? 13 : 211) {
    SCOPED_TRACE(budget);
    auto built = manager.Build(user, {.user_id = "u1", .max_tokens = budget}, preferences);
    ASSERT_TRUE(built.ok()) << built.status().ToString();
    const ContextPack& pack = *built;
    EXPECT_LE(pack.token_count, budget);
    EXPECT_EQ(pack.token_count, text::CountTokens(pack.prompt));
    ASSERT_TRUE(pack.summary);
    EXPECT_EQ(pack.summary->message_count, 480);  // all but the window
    EXPECT_EQ(pack.summary->covers_until, ids_[479]);
    EXPECT_NE(pack.prompt.find("## Summary of earlier conversation\n"), std::string::npos);
    EXPECT_NE(pack.prompt.find("Lucia"), std::string::npos);  // the early turn's facts
    EXPECT_NE(pack.prompt.find("## Preferences\n"), std::string::npos);
    EXPECT_FALSE(pack.preferences.empty());
    ASSERT_FALSE(pack.messages.empty());
    EXPECT_EQ(pack.messages.back().id, ids_[499]);
    EXPECT_NE(pack.prompt.find("## Recent conversation\n"), std::string::npos);
    if (budget >= 1000) {
      EXPECT_EQ(pack.messages.size(), 20u);
    }
  }
}

TEST_F(ContextManagerTest, TheSummaryNeverLagsMoreThanTheLimit) {
  Limits limits;
  limits.summary_lag_messages = 5;
  Open(limits);
  StoreTurns("s1", 0, 30);
  ContextPack pack = ContextOf({.user_id = "u1"});
  ASSERT_TRUE(pack.summary);
  EXPECT_EQ(pack.summary->message_count, 10);
  EXPECT_EQ(pack.summary->covers_until, ids_[9]);
  StoreTurns("s1", 30, 3);  // 3 behind: within the lag, not folded by the request
  EXPECT_EQ(ContextOf({.user_id = "u1"}).summary->message_count, 10);
  StoreTurns("s1", 33, 3);  // 6 behind
  EXPECT_EQ(ContextOf({.user_id = "u1"}).summary->message_count, 16);
}

TEST_F(ContextManagerTest, NoSummaryWhileTheSessionFitsTheWindow) {
  StoreTurns("s1", 0, 20);
  ContextPack pack = ContextOf({.user_id = "u1"});
  EXPECT_FALSE(pack.summary);
  EXPECT_EQ(pack.messages.size(), 20u);
  EXPECT_EQ(pack.prompt.find("## Summary"), std::string::npos);
}

TEST_F(ContextManagerTest, RelevantTurnsComeFromEarlierAndOtherSessionsNotTheWindow) {
  StoreTurns("s0", 0, 3, "u1");
  StoreTurns("s1", 100, 30);
  const std::string other_session = ids_[2];  // "I was thinking about it again..."
  const std::string early = ids_[3 + 2];      // turn 102 of s1, outside its window
  const std::string in_window = ids_.back();
  ContextPack pack = ContextOf({.user_id = "u1", .session_id = "s1", .query = "thinking again"});
  std::vector<std::string> relevant;
  for (const ScoredMessage& scored : pack.relevant) relevant.push_back(scored.message.id);
  EXPECT_NE(std::find(relevant.begin(), relevant.end(), other_session), relevant.end());
  EXPECT_NE(std::find(relevant.begin(), relevant.end(), early), relevant.end());
  for (const model::Message& message : pack.messages) {
    EXPECT_EQ(std::find(relevant.begin(), relevant.end(), message.id), relevant.end());
  }
  EXPECT_EQ(std::find(relevant.begin(), relevant.end(), in_window), relevant.end());
  EXPECT_NE(pack.prompt.find("## Relevant earlier messages\n"), std::string::npos);
  for (const ScoredMessage& scored : pack.relevant) EXPECT_TRUE(scored.highlights.empty());
}

TEST_F(ContextManagerTest, ACachedPackIsNotServedOnceTheSummaryChanges) {
  Limits limits;
  limits.summary_lag_messages = 1000;  // no fold on the request path
  Open(limits);
  StoreTurns("s1", 0, 50);
  EXPECT_FALSE(ContextOf({.user_id = "u1"}).summary);
  EXPECT_FALSE(ContextOf({.user_id = "u1"}).summary);  // from the cache
  ASSERT_EQ(*service_->folder().Fold({"t1", "u1"}, "s1"), 30);
  ContextPack pack = ContextOf({.user_id = "u1"});
  ASSERT_TRUE(pack.summary);
  EXPECT_EQ(pack.summary->message_count, 30);
}

TEST_F(ContextManagerTest, StoresMarkAFoldThatRunsOffTheRequestPath) {
  std::unique_ptr<WorkRunner> runner = OpenWithFoldsByRunner();
  StoreTurns("s1", 0, 15);
  ASSERT_TRUE(runner->RunDue().ok());
  EXPECT_EQ(*store_->Summary({"t1", "u1"}, "s1"), std::nullopt);  // fits the window
  StoreTurns("s1", 15, 20);
  ASSERT_TRUE(runner->RunDue().ok());
  auto summary = store_->Summary({"t1", "u1"}, "s1");
  ASSERT_TRUE(summary.ok() && summary->has_value());
  EXPECT_EQ((*summary)->message_count, 15);
  EXPECT_EQ((*summary)->covers_until, ids_[14]);
  EXPECT_EQ(ContextOf({.user_id = "u1"}).summary->message_count, 15);
}

TEST_F(ContextManagerTest, ErasingAFoldedTurnTakesItOutOfTheSummary) {
  StoreTurns("s1", 0, 60);
  ContextPack pack = ContextOf({.user_id = "u1"});
  ASSERT_TRUE(pack.summary);
  ASSERT_NE(pack.summary->text.find("Lucia"), std::string::npos);
  ASSERT_TRUE(service_->EraseMessage(caller_, "u1", ids_[3]).ok());
  pack = ContextOf({.user_id = "u1"});
  ASSERT_TRUE(pack.summary);  // rebuilt without it
  EXPECT_EQ(pack.summary->message_count, 39);
  EXPECT_EQ(pack.summary->text.find("Lucia"), std::string::npos) << pack.summary->text;
}

TEST_F(ContextManagerTest, ErasingAFoldedTurnQueuesAFoldOfWhatRemains) {
  std::unique_ptr<WorkRunner> runner = OpenWithFoldsByRunner();
  StoreTurns("s1", 0, 60);
  ASSERT_TRUE(runner->RunDue().ok());
  auto summary = store_->Summary({"t1", "u1"}, "s1");
  ASSERT_TRUE(summary.ok() && summary->has_value());
  ASSERT_EQ((*summary)->message_count, 40);
  ASSERT_NE((*summary)->text.find("Lucia"), std::string::npos);

  ASSERT_TRUE(service_->EraseMessage(caller_, "u1", ids_[3]).ok());
  // Gone at once with the turn it covered, and no context serves it meanwhile.
  EXPECT_EQ(*store_->Summary({"t1", "u1"}, "s1"), std::nullopt);
  EXPECT_FALSE(ContextOf({.user_id = "u1"}).summary);
  // The fold it queued writes a fresh one from the turns that remain.
  Result<int> runs = runner->RunDue();
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(*runs, 1);
  summary = store_->Summary({"t1", "u1"}, "s1");
  ASSERT_TRUE(summary.ok() && summary->has_value());
  EXPECT_EQ((*summary)->message_count, 39);
  EXPECT_EQ((*summary)->text.find("Lucia"), std::string::npos) << (*summary)->text;

  // A turn the summary does not cover (in the window) leaves it, and queues nothing.
  ASSERT_TRUE(service_->EraseMessage(caller_, "u1", ids_[59]).ok());
  EXPECT_NE(*store_->Summary({"t1", "u1"}, "s1"), std::nullopt);
  EXPECT_EQ(*runner->RunDue(), 0);
}

TEST_F(ContextManagerTest, ErasingASessionTakesItsSummaryAndNoFoldBringsItBack) {
  std::unique_ptr<WorkRunner> runner = OpenWithFoldsByRunner();
  StoreTurns("s1", 0, 60);
  StoreTurns("s2", 0, 30);
  ASSERT_TRUE(runner->RunDue().ok());
  ASSERT_NE(*store_->Summary({"t1", "u1"}, "s1"), std::nullopt);
  ASSERT_TRUE(service_->EraseSession(caller_, "u1", "s1").ok());
  EXPECT_EQ(*store_->Summary({"t1", "u1"}, "s1"), std::nullopt);
  StoreTurns("s2", 30, 1);  // marks a fold of s2 only; s1's summary stays gone
  ASSERT_TRUE(runner->RunDue().ok());
  EXPECT_EQ(*store_->Summary({"t1", "u1"}, "s1"), std::nullopt);
  auto summaries = store_->Summaries({"t1", "u1"});
  ASSERT_TRUE(summaries.ok());
  ASSERT_EQ(summaries->size(), 1u);
  EXPECT_EQ(summaries->at(0).session_id, "s2");
}

}  // namespace
}  // namespace loci::service
