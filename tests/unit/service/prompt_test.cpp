#include "service/prompt.h"

#include <gtest/gtest.h>

#include "text/token_counter.h"
#include "util/strings.h"

namespace loci::service {
namespace {

TEST(PromptTest, RendersALineWithTimeSpeakerAndRole) {
  model::Message message;
  message.role = model::Role::kUser;
  message.name = "Caroline";
  message.content = "I moved to Lisbon.";
  message.created_at = 1683554160000;  // 2023-05-08T13:56:00Z
  EXPECT_EQ(RenderMessageLine(message), "[2023-05-08 13:56] Caroline (user): I moved to Lisbon.");
  message.name.reset();
  message.role = model::Role::kAssistant;
  EXPECT_EQ(RenderMessageLine(message), "[2023-05-08 13:56] assistant: I moved to Lisbon.");
}

TEST(PromptTest, SkipsEmptySections) {
  std::string prompt = RenderPrompt({{"Summary", {}}, {"Recent conversation", {"a", "b"}}});
  EXPECT_EQ(prompt, "## Recent conversation\na\nb\n");
}

TEST(PromptTest, TruncateRespectsTheBudgetAndCharacters) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "word\xC3\xA9 ";
  for (int budget : {1, 5, 17, 100, 1000}) {
    std::string cut = TruncateToTokens(text, budget);
    EXPECT_LE(text::CountTokens(cut), budget) << budget;
    EXPECT_TRUE(IsValidUtf8(cut)) << budget;
  }
  EXPECT_EQ(TruncateToTokens("short", 100), "short");
}

}  // namespace
}  // namespace loci::service
