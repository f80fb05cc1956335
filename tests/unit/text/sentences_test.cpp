#include "text/sentences.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace loci::text {
namespace {

using Strings = std::vector<std::string>;

Strings Split(std::string_view text) {
  Strings out;
  for (const Sentence& s : SplitSentences(text)) {
    out.emplace_back(text.substr(s.begin, s.end - s.begin));
  }
  return out;
}

TEST(SentencesTest, EmptyAndBlankTextHaveNone) {
  EXPECT_TRUE(SplitSentences("").empty());
  EXPECT_TRUE(SplitSentences(" \n\t\r\n  ").empty());
}

TEST(SentencesTest, SplitsAtTerminators) {
  EXPECT_EQ(Split("Hello there. How are you? I'm fine!"),
            (Strings{"Hello there.", "How are you?", "I'm fine!"}));
}

TEST(SentencesTest, TextWithoutTerminatorIsOneSentence) {
  EXPECT_EQ(Split("  no punctuation here  "), (Strings{"no punctuation here"}));
}

TEST(SentencesTest, OffsetsExcludeSurroundingWhiteSpace) {
  const std::string text = "  One.   Two!  ";
  const auto sentences = SplitSentences(text);
  ASSERT_EQ(sentences.size(), 2u);
  EXPECT_EQ(sentences[0].begin, 2u);
  EXPECT_EQ(sentences[0].end, 6u);
  EXPECT_EQ(sentences[1].begin, 9u);
  EXPECT_EQ(sentences[1].end, 13u);
}

TEST(SentencesTest, TerminatorRunsStayTogether) {
  EXPECT_EQ(Split("Really?! Yes!!! Well... I guess so."),
            (Strings{"Really?!", "Yes!!!", "Well...", "I guess so."}));
  EXPECT_EQ(Split("Wait\u2026 What?"), (Strings{"Wait\u2026", "What?"}));
}

TEST(SentencesTest, AbbreviationsDoNotEndSentences) {
  EXPECT_EQ(Split("Dr. Smith met Mr. Jones. They talked."),
            (Strings{"Dr. Smith met Mr. Jones.", "They talked."}));
  EXPECT_EQ(Split("Fruit, e.g. Apples, is good. Cats vs. Dogs is old."),
            (Strings{"Fruit, e.g. Apples, is good.", "Cats vs. Dogs is old."}));
}

TEST(SentencesTest, WordsThatLookLikeAbbreviationsStillEndSentences) {
  EXPECT_EQ(Split("I said no. Then I left etc. Fine."),
            (Strings{"I said no.", "Then I left etc.", "Fine."}));
}

TEST(SentencesTest, InitialsDoNotEndSentences) {
  EXPECT_EQ(Split("J. K. Rowling wrote it. Then she rested."),
            (Strings{"J. K. Rowling wrote it.", "Then she rested."}));
}

TEST(SentencesTest, LowerCaseContinuationDoesNotEndASentence) {
  EXPECT_EQ(Split("We meet at 5 p.m. tomorrow. Wait... what about lunch?"),
            (Strings{"We meet at 5 p.m. tomorrow.", "Wait... what about lunch?"}));
}

TEST(SentencesTest, DecimalsAndDomainsDoNotEndSentences) {
  EXPECT_EQ(Split("Pi is 3.14 today. See example.com. Done"),
            (Strings{"Pi is 3.14 today.", "See example.com.", "Done"}));
}

TEST(SentencesTest, ClosingQuotesAndBracketsBelongToTheSentence) {
  EXPECT_EQ(Split("He said \"Stop.\" Then he left. (It was late.) Fine."),
            (Strings{"He said \"Stop.\"", "Then he left.", "(It was late.)", "Fine."}));
  EXPECT_EQ(Split("She wrote \u201CYes!\u201D Then nothing."),
            (Strings{"She wrote \u201CYes!\u201D", "Then nothing."}));
}

TEST(SentencesTest, LineBreaksEndSentences) {
  EXPECT_EQ(Split("first line\nsecond line\r\n\r\n- third\n\n\nlast"),
            (Strings{"first line", "second line", "- third", "last"}));
}

TEST(SentencesTest, CjkTerminatorsNeedNoSpace) {
  EXPECT_EQ(Split("我喜欢吃苹果。你呢？我也是！"),
            (Strings{"我喜欢吃苹果。", "你呢？", "我也是！"}));
  EXPECT_EQ(Split("好的!我们走"), (Strings{"好的!", "我们走"}));
}

TEST(SentencesTest, OtherScripts) {
  EXPECT_EQ(Split("Привет. Как дела? Хорошо."), (Strings{"Привет.", "Как дела?", "Хорошо."}));
  EXPECT_EQ(Split("Привет. всё хорошо."), (Strings{"Привет. всё хорошо."}));
  EXPECT_EQ(Split("كيف حالك؟ بخير"), (Strings{"كيف حالك؟", "بخير"}));
}

TEST(SentencesTest, RandomBytesNeverBreakIt) {
  std::mt19937 rng(99);
  const std::string interesting = "aA .!?\n\"')\xE3\x80\x82\xE2\x80\xA6\xC3\xA9";
  for (int round = 0; round < 5000; ++round) {
    std::string text(rng() % 80, '\0');
    for (char& c : text) {
      c = rng() % 2 ? interesting[rng() % interesting.size()] : static_cast<char>(rng());
    }
    std::uint32_t last_end = 0;
    for (const Sentence& s : SplitSentences(text)) {
      ASSERT_LT(s.begin, s.end);
      ASSERT_LE(last_end, s.begin);
      ASSERT_LE(s.end, text.size());
      last_end = s.end;
    }
  }
}

TEST(SentencesTest, MegabyteInputIsSplitInFull) {
  const std::string chunk = "Dr. Smith went home. Was it late?! Yes... ";
  std::string text;
  std::size_t chunks = 0;
  while (text.size() < (1u << 20)) {
    text += chunk;
    ++chunks;
  }
  EXPECT_EQ(SplitSentences(text).size(), 3 * chunks);
  std::string no_breaks(1u << 20, 'a');
  EXPECT_EQ(SplitSentences(no_breaks).size(), 1u);
  std::string dots;
  while (dots.size() < (1u << 20)) dots += "Dr. ";
  EXPECT_EQ(SplitSentences(dots).size(), 1u);
}

}  // namespace
}  // namespace loci::text
