#include "service/pack_budget.h"

#include <gtest/gtest.h>

#include <string>

#include "service/prompt.h"
#include "text/token_counter.h"

namespace loci::service {
namespace {

model::Message Turn(int i) {
  model::Message message;
  message.id = "m_" + std::to_string(i);
  message.role = i % 2 ? model::Role::kAssistant : model::Role::kUser;
  message.content = "Turn " + std::to_string(i) + ": we talked about the garden, the weather in " +
                    "Porto and the plans for the summer holidays with the whole family.";
  message.created_at = 1'700'000'000'000 + i * 60'000;
  message.token_count = text::CountTokens(message.content);
  return message;
}

PackParts Parts(bool with_relevant) {
  PackParts parts;
  parts.preferences = {{.key = "name", .value = "Sam", .confidence = 0.9},
                       {.key = "diet", .value = "vegetarian", .confidence = 0.95},
                       {.key = "answer_length", .value = "short", .confidence = 0.6}};
  std::string summary;
  for (int i = 0; i < 30; ++i) {
    if (!summary.empty()) summary += '\n';
    summary += "[2023-05-0" + std::to_string(1 + i % 9) + "] Ana: On day " + std::to_string(i) +
               " Ana met Bruno in Lisbon and they booked " + std::to_string(i + 2) + " rooms.";
  }
  parts.summary = Summary{summary, "m_99", 100};
  if (with_relevant) {
    for (int i = 0; i < 5; ++i) {
      parts.relevant.push_back({.message = Turn(200 + i), .score = 5.0 - i});
    }
  }
  for (int i = 300; i < 320; ++i) parts.window.push_back(Turn(i));
  return parts;
}

TEST(PackBudgetTest, EverythingFitsUntouchedInALargeBudget) {
  ContextPack pack;
  FitToBudget(Parts(true), 100'000, pack);
  EXPECT_FALSE(pack.truncated);
  EXPECT_EQ(pack.messages.size(), 20u);
  EXPECT_EQ(pack.relevant.size(), 5u);
  ASSERT_EQ(pack.preferences.size(), 3u);
  EXPECT_EQ(pack.preferences[0].key, "diet");  // highest confidence first
  ASSERT_TRUE(pack.summary);
  EXPECT_EQ(pack.summary->text, Parts(true).summary->text);
  EXPECT_EQ(pack.token_count, text::CountTokens(pack.prompt));
  // The sections, in order.
  const std::size_t preferences = pack.prompt.find("## Preferences\n- diet: vegetarian\n");
  const std::size_t summary = pack.prompt.find("## Summary of earlier conversation\n");
  const std::size_t relevant = pack.prompt.find("## Relevant earlier messages\n");
  const std::size_t recent = pack.prompt.find("## Recent conversation\n");
  EXPECT_EQ(preferences, 0u);
  EXPECT_LT(preferences, summary);
  EXPECT_LT(summary, relevant);
  EXPECT_LT(relevant, recent);
  EXPECT_NE(pack.prompt.find(RenderMessageLine(Turn(319))), std::string::npos);
}

TEST(PackBudgetTest, EveryBudgetKeepsPartOfEverythingAndTheNewestTurn) {
  for (bool with_relevant : {false, true}) {
    ContextPack whole;
    FitToBudget(Parts(with_relevant), 1'000'000, whole);
    for (int budget = 100; budget <= 8000; budget += budget < 1000 ? 7 : 97) {
      ContextPack pack;
      FitToBudget(Parts(with_relevant), budget, pack);
      SCOPED_TRACE(budget);
      EXPECT_LE(pack.token_count, budget);
      EXPECT_EQ(pack.token_count, text::CountTokens(pack.prompt));
      EXPECT_FALSE(pack.preferences.empty());
      ASSERT_TRUE(pack.summary);
      EXPECT_FALSE(pack.summary->text.empty());
      EXPECT_EQ(pack.summary->covers_until, "m_99");
      EXPECT_NE(pack.prompt.find(pack.summary->text), std::string::npos);
      ASSERT_FALSE(pack.messages.empty());
      EXPECT_EQ(pack.messages.back().id, "m_319");
      // What the fields hold is what the prompt holds.
      for (const model::Message& message : pack.messages) {
        EXPECT_NE(pack.prompt.find(RenderMessageLine(message)), std::string::npos);
      }
      for (const ScoredMessage& scored : pack.relevant) {
        EXPECT_NE(pack.prompt.find(RenderMessageLine(scored.message)), std::string::npos);
      }
      for (const Preference& preference : pack.preferences) {
        EXPECT_NE(pack.prompt.find("- " + preference.key + ": " + preference.value),
                  std::string::npos);
      }
      if (budget < whole.token_count) {
        EXPECT_TRUE(pack.truncated);
      }
      if (budget >= 4 * whole.token_count) {
        EXPECT_FALSE(pack.truncated);
      }
      if (budget >= 2000) {
        EXPECT_GE(pack.messages.size(), 5u);
        EXPECT_EQ(pack.preferences.size(), 3u);
        if (with_relevant) {
          EXPECT_FALSE(pack.relevant.empty());
        }
      }
    }
  }
}

TEST(PackBudgetTest, TinyBudgetsCutTheNewestTurnLast) {
  for (int budget = 1; budget < 100; ++budget) {
    ContextPack pack;
    FitToBudget(Parts(true), budget, pack);
    SCOPED_TRACE(budget);
    EXPECT_LE(pack.token_count, budget);
    EXPECT_TRUE(pack.truncated);
    EXPECT_LE(pack.messages.size(), 1u);
    if (budget >= 40) {
      ASSERT_EQ(pack.messages.size(), 1u);
    }
    if (!pack.messages.empty()) {
      EXPECT_EQ(pack.messages.back().id, "m_319");
    }
  }
}

TEST(PackBudgetTest, AnEmptyPackIsAnEmptyPrompt) {
  ContextPack pack;
  FitToBudget({}, 100, pack);
  EXPECT_EQ(pack.prompt, "");
  EXPECT_EQ(pack.token_count, 0);
  EXPECT_FALSE(pack.truncated);
  EXPECT_FALSE(pack.summary);
}

}  // namespace
}  // namespace loci::service
