#include "text/tokenizer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "util/strings.h"

namespace loci::text {
namespace {

std::vector<std::string> Surfaces(std::string_view text) {
  std::vector<std::string> out;
  for (const RawToken& t : Tokenize(text)) out.emplace_back(text.substr(t.begin, t.end - t.begin));
  return out;
}

using Strings = std::vector<std::string>;

TEST(TokenizerTest, EmptyAndSeparatorOnlyInputHaveNoTokens) {
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_TRUE(Tokenize("   \n\t  ").empty());
  EXPECT_TRUE(Tokenize("...,;:!?()[]{}\"'-").empty());
}

TEST(TokenizerTest, PunctuationSeparatesWords) {
  EXPECT_EQ(Surfaces("Hello, world! (yes) \"quoted\" end."),
            (Strings{"Hello", "world", "yes", "quoted", "end"}));
}

TEST(TokenizerTest, OffsetsPointIntoTheOriginal) {
  const std::string text = "  Hi,\tthere  friend ";
  const auto tokens = Tokenize(text);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].begin, 2u);
  EXPECT_EQ(tokens[0].end, 4u);
  EXPECT_EQ(tokens[1].begin, 6u);
  EXPECT_EQ(tokens[1].end, 11u);
  EXPECT_EQ(tokens[2].begin, 13u);
  EXPECT_EQ(tokens[2].end, 19u);
}

TEST(TokenizerTest, ApostrophesInsideWordsStay) {
  EXPECT_EQ(Surfaces("don't Caroline's rock'n'roll 90's"),
            (Strings{"don't", "Caroline's", "rock'n'roll", "90's"}));
  EXPECT_EQ(Surfaces("don\u2019t I\u02BCm"), (Strings{"don\u2019t", "I\u02BCm"}));
}

TEST(TokenizerTest, ApostrophesAtWordEdgesSeparate) {
  EXPECT_EQ(Surfaces("'quoted' the dogs' bowls \u2018single\u2019"),
            (Strings{"quoted", "the", "dogs", "bowls", "single"}));
  EXPECT_EQ(Surfaces("it' s"), (Strings{"it", "s"}));
}

TEST(TokenizerTest, NumbersKeepDecimalPointsAndGroupSeparators) {
  EXPECT_EQ(
      Surfaces("pi is 3.14, about 1,000,000.50 or 3,14 (v1.2.3) in 2020."),
      (Strings{"pi", "is", "3.14", "about", "1,000,000.50", "or", "3,14", "v1.2.3", "in", "2020"}));
  EXPECT_EQ(Surfaces("10:30 -5 1.5.x 1..2"), (Strings{"10", "30", "5", "1.5", "x", "1", "2"}));
}

TEST(TokenizerTest, NumberKind) {
  const auto tokens = Tokenize("3.14 3pm mp3 1,000");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kNumber);
  EXPECT_EQ(tokens[1].kind, TokenKind::kWord);
  EXPECT_EQ(tokens[2].kind, TokenKind::kWord);
  EXPECT_EQ(tokens[3].kind, TokenKind::kNumber);
}

TEST(TokenizerTest, HyphensAndUnderscoresSplit) {
  EXPECT_EQ(Surfaces("well-known state-of-the-art snake_case a/b"),
            (Strings{"well", "known", "state", "of", "the", "art", "snake", "case", "a", "b"}));
}

TEST(TokenizerTest, UrlsAreSingleTokens) {
  const std::string text =
      "see https://example.com/path?q=1&r=2#frag. and (https://en.wikipedia.org/wiki/Foo_(bar)), "
      "www.example.org, HTTP://EXAMPLE.COM/X!";
  EXPECT_EQ(Surfaces(text), (Strings{"see", "https://example.com/path?q=1&r=2#frag", "and",
                                     "https://en.wikipedia.org/wiki/Foo_(bar)", "www.example.org",
                                     "HTTP://EXAMPLE.COM/X"}));
  for (const RawToken& t : Tokenize(text)) {
    if (t.end - t.begin > 10) {
      EXPECT_EQ(t.kind, TokenKind::kUrl);
    }
  }
}

TEST(TokenizerTest, InternationalizedUrl) {
  EXPECT_EQ(Surfaces("link: https://ru.wikipedia.org/wiki/Москва."),
            (Strings{"link", "https://ru.wikipedia.org/wiki/Москва"}));
}

TEST(TokenizerTest, WhatOnlyLooksLikeAUrlIsWords) {
  EXPECT_EQ(Surfaces("http:// http:/x www. example.com"),
            (Strings{"http", "http", "x", "www", "example", "com"}));
}

TEST(TokenizerTest, EmailAddressesAreSingleTokens) {
  const std::string text = "mail john.smith+tag@mail.example.co.uk or me@example.com.";
  EXPECT_EQ(Surfaces(text),
            (Strings{"mail", "john.smith+tag@mail.example.co.uk", "or", "me@example.com"}));
  EXPECT_EQ(Tokenize(text)[1].kind, TokenKind::kEmail);
}

TEST(TokenizerTest, WhatOnlyLooksLikeAnEmailIsWords) {
  EXPECT_EQ(Surfaces("a@b x@y.c user@@example.com @home"),
            (Strings{"a", "b", "x", "y", "c", "user", "example", "com", "home"}));
}

TEST(TokenizerTest, OtherAlphabetsAreWords) {
  EXPECT_EQ(Surfaces("Привет, мир! Καλημέρα κόσμε. مرحبا بالعالم שלום नमस्ते"),
            (Strings{"Привет", "мир", "Καλημέρα", "κόσμε", "مرحبا", "بالعالم", "שלום", "नमस्ते"}));
}

TEST(TokenizerTest, CjkIsOneTokenPerCharacter) {
  EXPECT_EQ(Surfaces("我喜欢苹果"), (Strings{"我", "喜", "欢", "苹", "果"}));
  EXPECT_EQ(Surfaces("東京タワー2024年"), (Strings{"東", "京", "タ", "ワ", "ー", "2024", "年"}));
  EXPECT_EQ(Surfaces("한국어 텍스트"), (Strings{"한", "국", "어", "텍", "스", "트"}));
  EXPECT_EQ(Surfaces("Tokyo東京"), (Strings{"Tokyo", "東", "京"}));
  for (const RawToken& t : Tokenize("我喜欢")) EXPECT_EQ(t.kind, TokenKind::kIdeograph);
}

TEST(TokenizerTest, ThaiIsOneTokenPerLetterWithItsMarks) {
  // สวัสดี: ส ว ั ส ด ี — the vowel marks stay with the consonant before them.
  EXPECT_EQ(Surfaces("สวัสดี"), (Strings{"ส", "วั", "ส", "ดี"}));
}

TEST(TokenizerTest, CombiningMarksStayWithTheirCharacter) {
  EXPECT_EQ(Surfaces("cafe\u0301 au lait"), (Strings{"cafe\u0301", "au", "lait"}));
  EXPECT_EQ(Surfaces("\u304B\u3099\u304D"), (Strings{"\u304B\u3099", "\u304D"}));
  EXPECT_EQ(Surfaces("\uFF76\uFF9E"), (Strings{"\uFF76\uFF9E"}));  // half-width ｶﾞ
}

TEST(TokenizerTest, JoinersInsideWordsStay) {
  EXPECT_EQ(Surfaces("hy\u00ADphen"), (Strings{"hy\u00ADphen"}));
  EXPECT_EQ(Surfaces("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"),
            (Strings{"\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"}));
  EXPECT_EQ(Surfaces("end\u200D next"), (Strings{"end", "next"}));
}

TEST(TokenizerTest, EmojiAndSymbolsAreNotTokens) {
  EXPECT_EQ(Surfaces("I \u2764\uFE0F pizza \U0001F355 a\u2192b \u00A9 $5"),
            (Strings{"I", "pizza", "a", "b", "5"}));
  EXPECT_TRUE(Tokenize("\U0001F468\u200D\U0001F469\u200D\U0001F467 \U0001F44D\U0001F3FD").empty());
}

TEST(TokenizerTest, FlagsDescribeTheToken) {
  const auto tokens = Tokenize("plain café Привет");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_TRUE(tokens[0].ascii);
  EXPECT_TRUE(tokens[0].latin_or_greek);
  EXPECT_FALSE(tokens[1].ascii);
  EXPECT_TRUE(tokens[1].latin_or_greek);
  EXPECT_FALSE(tokens[2].ascii);
  EXPECT_FALSE(tokens[2].latin_or_greek);
}

TEST(TokenizerTest, InvalidUtf8BytesSeparate) {
  EXPECT_EQ(Surfaces("ab\xFF"
                     "cd"),
            (Strings{"ab", "cd"}));
  EXPECT_EQ(Surfaces("ab\xE4"), (Strings{"ab"}));                  // truncated sequence at the end
  EXPECT_EQ(Surfaces("x\xC0\xAFy"), (Strings{"x", "y"}));          // overlong '/'
  EXPECT_EQ(Surfaces("x\xED\xA0\x80y"), (Strings{"x", "y"}));      // UTF-16 surrogate
  EXPECT_EQ(Surfaces("x\xF4\x90\x80\x80y"), (Strings{"x", "y"}));  // beyond U+10FFFF
  EXPECT_EQ(Surfaces("\x80\x80\x80"), Strings{});
}

// Tokens must be non-empty, in order, non-overlapping, inside the text, and well-formed.
void ExpectWellFormed(std::string_view text) {
  std::uint32_t last_end = 0;
  for (const RawToken& t : Tokenize(text)) {
    ASSERT_LT(t.begin, t.end);
    ASSERT_LE(last_end, t.begin);
    ASSERT_LE(t.end, text.size());
    ASSERT_TRUE(IsValidUtf8(text.substr(t.begin, t.end - t.begin)));
    last_end = t.end;
  }
}

TEST(TokenizerTest, RandomBytesNeverBreakIt) {
  std::mt19937 rng(12345);
  // Bytes that matter to the scanner, plus anything at all.
  const std::string interesting =
      "aZ09 .,'@:/-_w\xC3\xA9\xE2\x80\x99\xE4\xB8\xAD\xF0\x9F\x98\x80\xCC\x81";
  for (int round = 0; round < 5000; ++round) {
    std::string text(rng() % 64, '\0');
    for (char& c : text) {
      c = rng() % 2 ? interesting[rng() % interesting.size()] : static_cast<char>(rng());
    }
    ExpectWellFormed(text);
  }
}

TEST(TokenizerTest, PathologicalMegabyteInputsStayLinear) {
  // Each of these would take minutes if a scan restarted at every token.
  for (const std::string unit : {"a.", "x.y@", "a@b.", "http://", "www.", "1,", "a'", "\xCC\x81",
                                 "a@a.aa", "https://x.y/(", "\xE4\xB8\xAD"}) {
    std::string text;
    while (text.size() < (1u << 20)) text += unit;
    ExpectWellFormed(text);
  }
}

}  // namespace
}  // namespace loci::text
