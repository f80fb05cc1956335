#include "text/token_counter.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace loci::text {
namespace {

std::size_t CodePoints(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// English prose and chat turns of the kind Loci stores.
const std::vector<std::string>& EnglishSamples() {
  // Each sample spans several literals on purpose.
  // NOLINTBEGIN(bugprone-suspicious-missing-comma)
  static const std::vector<std::string> samples = {
      "It was a bright cold day in April, and the clocks were striking thirteen. Winston Smith, "
      "his chin nuzzled into his breast in an effort to escape the vile wind, slipped quickly "
      "through the glass doors of Victory Mansions, though not quickly enough to prevent a "
      "swirl of gritty dust from entering along with him.",
      "Hey! I just got back from my trip to Portugal. We spent three days in Lisbon and then "
      "drove down to the Algarve. The beaches were amazing, but honestly the food was the best "
      "part. Can you remind me what restaurant Melanie recommended last week?",
      "Sure! Here's a quick summary of what we discussed: you want to start running again, "
      "ideally three times a week, and you'd like to keep each session under forty minutes. You "
      "also mentioned that your knee has been bothering you, so we talked about starting slowly "
      "and stretching before and after each run.",
      "Photosynthesis is the process by which green plants and certain other organisms "
      "transform light energy into chemical energy. During photosynthesis in green plants, "
      "light energy is captured and used to convert water, carbon dioxide, and minerals into "
      "oxygen and energy-rich organic compounds.",
      "I'm thinking about adopting a dog. My apartment is pretty small though, and I work long "
      "hours on Tuesdays and Thursdays. Do you think a smaller breed would be better? My sister "
      "has a beagle and she says they're great with kids, but they can be really loud.",
      "In 1969, Neil Armstrong became the first person to walk on the Moon. The Apollo 11 "
      "mission launched from Kennedy Space Center on July 16 and landed in the Sea of "
      "Tranquility four days later. Millions of people around the world watched the grainy "
      "black-and-white broadcast.",
      "Thanks for the help yesterday. The presentation went well, and my manager said the "
      "charts were much clearer than last quarter's. I still need to finish the budget "
      "spreadsheet by Friday, so could you help me organize the expenses into categories?",
  };
  // NOLINTEND(bugprone-suspicious-missing-comma)
  return samples;
}

TEST(TokenCounterTest, EmptyTextIsZero) { EXPECT_EQ(CountTokens(""), 0); }

TEST(TokenCounterTest, NonEmptyTextIsNeverZero) {
  for (const std::string text :
       {" ", "\n", ".", "a", "\xFF", "\xCC\x81", "\U0001F600", "1", "中"}) {
    EXPECT_GE(CountTokens(text), 1) << text;
  }
}

TEST(TokenCounterTest, EnglishProseRunsAboutFourCharactersPerToken) {
  std::size_t chars = 0;
  int tokens = 0;
  for (const std::string& sample : EnglishSamples()) {
    const double ratio = static_cast<double>(CodePoints(sample)) / CountTokens(sample);
    EXPECT_GE(ratio, 3.5) << sample;
    EXPECT_LE(ratio, 4.8) << sample;
    chars += CodePoints(sample);
    tokens += CountTokens(sample);
  }
  const double overall = static_cast<double>(chars) / tokens;
  EXPECT_GE(overall, 3.8);
  EXPECT_LE(overall, 4.5);
}

TEST(TokenCounterTest, KnownSmallCounts) {
  // cl100k: 10 tokens. The estimate may round up a little, never down by much.
  const int fox = CountTokens("The quick brown fox jumps over the lazy dog.");
  EXPECT_GE(fox, 9);
  EXPECT_LE(fox, 12);
  EXPECT_EQ(CountTokens("1234567"), 3);    // digits in groups of three
  EXPECT_EQ(CountTokens("1,000,000"), 5);  // 1 , 000 , 000
  EXPECT_EQ(CountTokens("don't"), 2);      // don 't
  EXPECT_LE(CountTokens("Hello world"), 3);
  EXPECT_GE(CountTokens("antidisestablishmentarianism"), 4);
}

TEST(TokenCounterTest, GrowsWithEveryPrefix) {
  const std::string text =
      "Hi Sam! On 12/05/2024 we paid 1,250.75 € for the flat in Zürich 🙂\n\n"
      "  - don't forget: https://example.com/a?b=c\n"
      "Привет, как дела? 我喜欢吃苹果。東京タワー 한국어 नमस्ते \"quoted\"...   end ";
  int previous = 0;
  for (std::size_t i = 1; i <= text.size(); ++i) {
    if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    const int count = CountTokens(std::string_view(text).substr(0, i));
    ASSERT_GE(count, previous) << "prefix of " << i << " bytes";
    previous = count;
  }
}

TEST(TokenCounterTest, IsRoughlyAdditive) {
  const auto& samples = EnglishSamples();
  for (std::size_t i = 0; i + 1 < samples.size(); ++i) {
    const int a = CountTokens(samples[i]);
    const int b = CountTokens(samples[i + 1]);
    const int joined = CountTokens(samples[i] + " " + samples[i + 1]);
    EXPECT_GE(joined, a + b - 2);
    EXPECT_LE(joined, a + b + 2);
  }
}

TEST(TokenCounterTest, CjkCountsAboutOnePerCharacter) {
  const std::string chinese = "我喜欢吃苹果因为它们很甜而且对身体很好";  // 19 characters
  EXPECT_GE(CountTokens(chinese), 15);
  EXPECT_LE(CountTokens(chinese), 25);
  std::string long_text;
  for (int i = 0; i < 20; ++i) long_text += chinese;
  const double per_char =
      static_cast<double>(CountTokens(long_text)) / static_cast<double>(CodePoints(long_text));
  EXPECT_GE(per_char, 0.8);
  EXPECT_LE(per_char, 1.3);
  EXPECT_GE(CountTokens("東京タワーに行きました"), 8);
}

TEST(TokenCounterTest, OtherScriptsCostMoreThanEnglish) {
  const std::string russian = "Привет! Я только что вернулся из поездки в Португалию.";
  const double ratio = static_cast<double>(CodePoints(russian)) / CountTokens(russian);
  EXPECT_GE(ratio, 2.0);
  EXPECT_LE(ratio, 4.5);
}

TEST(TokenCounterTest, EmojiCostOneToThreeEach) {
  const int one = CountTokens("\U0001F600");
  EXPECT_GE(one, 1);
  EXPECT_LE(one, 3);
  EXPECT_GE(CountTokens("\U0001F600\U0001F600\U0001F600\U0001F600"), 4);
}

TEST(TokenCounterTest, WhiteSpaceIsMostlyMerged) {
  const int words = CountTokens("one two three four");
  EXPECT_EQ(CountTokens("one   two   three   four"), words + 3);
  EXPECT_LE(CountTokens("one\ntwo\n\n\nthree"), CountTokens("one two three") + 2);
}

TEST(TokenCounterTest, RandomBytesNeverBreakIt) {
  std::mt19937 rng(4242);
  for (int round = 0; round < 5000; ++round) {
    std::string text(1 + rng() % 64, '\0');
    for (char& c : text) c = static_cast<char>(rng());
    const int count = CountTokens(text);
    ASSERT_GE(count, 1);
    ASSERT_LE(count, static_cast<int>(2 * text.size() + 1));
  }
}

TEST(TokenCounterTest, MegabyteInput) {
  std::string text;
  while (text.size() < (1u << 20)) text += EnglishSamples()[1] + " ";
  const int count = CountTokens(text);
  EXPECT_GE(count, static_cast<int>(text.size() / 6));
  EXPECT_LE(count, static_cast<int>(text.size() / 3));
}

}  // namespace
}  // namespace loci::text
