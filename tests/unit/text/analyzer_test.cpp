#include "text/analyzer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "util/strings.h"

namespace loci::text {
namespace {

using Strings = std::vector<std::string>;

class AnalyzerTest : public ::testing::Test {
 protected:
  Strings Terms(std::string_view text) const { return analyzer_.Terms(text); }
  std::string Term(std::string_view word) const {
    const Strings terms = Terms(word);
    if (terms.size() == 1) return terms[0];
    return terms.empty() ? "<no term>" : "<several terms>";
  }

  Analyzer analyzer_;
};

TEST_F(AnalyzerTest, EmptyInputHasNoTerms) {
  EXPECT_TRUE(analyzer_.Analyze("").empty());
  EXPECT_TRUE(analyzer_.Analyze(" \n\t ").empty());
  EXPECT_TRUE(analyzer_.Analyze("?!... \U0001F600").empty());
}

TEST_F(AnalyzerTest, StemsEnglishWords) {
  EXPECT_EQ(Terms("Running runs run"), (Strings{"run", "run", "run"}));
  EXPECT_EQ(Term("cats"), "cat");
  EXPECT_EQ(Term("happiness"), Term("happy"));
}

TEST_F(AnalyzerTest, DropsStopWords) {
  EXPECT_EQ(Terms("The cat is on the mat and I am with you"), (Strings{"cat", "mat"}));
  EXPECT_TRUE(Terms("it's what they're doing, isn't it? I'd say we'll see").size() == 2);
  EXPECT_EQ(Terms("it's what they're doing, isn't it? I'd say we'll see"), (Strings{"say", "see"}));
}

TEST_F(AnalyzerTest, KeepsWordsThatCarryMeaning) {
  EXPECT_EQ(Terms("I own 2 cars"), (Strings{"own", "2", "car"}));
  EXPECT_EQ(Terms("feeling down"), (Strings{"feel", "down"}));
  EXPECT_EQ(Terms("Will moved to the US in May"), (Strings{"will", "move", "us", "may"}));
}

TEST_F(AnalyzerTest, FoldsCase) {
  EXPECT_EQ(Term("HELLO"), "hello");
  EXPECT_EQ(Term("ÉCOLE"), Term("école"));
  EXPECT_EQ(Term("Straße"), Term("STRASSE"));
}

TEST_F(AnalyzerTest, StripsDiacriticsFromLatinAndGreek) {
  EXPECT_EQ(Term("café"), "cafe");
  EXPECT_EQ(Term("cafe\u0301"), "cafe");  // decomposed form
  EXPECT_EQ(Term("naïve"), Term("naive"));
  EXPECT_EQ(Term("ÉCOLE"), Term("ecole"));
  EXPECT_EQ(Term("Καλημέρα"), "καλημερα");
}

TEST_F(AnalyzerTest, KeepsMarksThatMatterInOtherScripts) {
  EXPECT_EQ(Term("йогурт"), "йогурт");  // й is not и
  EXPECT_EQ(Term("नमस्ते"), "नमस्ते");      // vowel signs are part of the word
}

TEST_F(AnalyzerTest, AppliesNfkc) {
  EXPECT_EQ(Term("ｈｅｌｌｏ"), "hello");
  EXPECT_EQ(Term("ＨＥＬＬＯ"), "hello");
  EXPECT_EQ(Term("ﬁsh"), "fish");
  EXPECT_EQ(Term("１２３"), "123");
}

TEST_F(AnalyzerTest, DropsPossessives) {
  EXPECT_EQ(Term("Caroline's"), Term("Caroline"));
  EXPECT_EQ(Term("Caroline\u2019s"), Term("Caroline"));
  EXPECT_EQ(Term("CAROLINE'S"), Term("caroline"));
}

TEST_F(AnalyzerTest, ContractionsKeepAStraightApostrophe) {
  EXPECT_EQ(Term("o'clock"), "o'clock");
  EXPECT_EQ(Term("o\u2019clock"), "o'clock");
  EXPECT_EQ(Term("O\u02BCclock"), "o'clock");
  EXPECT_EQ(Terms("rock\u2019n\u2019roll"), Terms("rock'n'roll"));
  // Contractions never collide with real words.
  EXPECT_EQ(Terms("we'll"), Strings{});
  EXPECT_EQ(Terms("well"), Strings{"well"});
  EXPECT_EQ(Terms("she'll shell"), Strings{"shell"});
}

TEST_F(AnalyzerTest, NumbersAreNeitherStemmedNorDropped) {
  EXPECT_EQ(Terms("1,000 1,000,000.50 3.14 3,14 1,2,3 2024 0"),
            (Strings{"1000", "1000000.50", "3.14", "3,14", "1,2,3", "2024", "0"}));
  EXPECT_EQ(Terms("3pm 1st mp3s"), (Strings{"3pm", "1st", "mp3s"}));
}

TEST_F(AnalyzerTest, UrlsAndEmailsAreLowerCasedButNotStemmed) {
  EXPECT_EQ(Terms("Visit HTTPS://Example.com/Running today"),
            (Strings{"visit", "https://example.com/running", "today"}));
  EXPECT_EQ(Terms("write to John.Smith@Example.COM."),
            (Strings{"write", "john.smith@example.com"}));
}

TEST_F(AnalyzerTest, OtherScripts) {
  EXPECT_EQ(Terms("Привет, МИР! Книги"), (Strings{"привет", "мир", "книги"}));
  EXPECT_EQ(Terms("我喜欢苹果"), (Strings{"我", "喜", "欢", "苹", "果"}));
  EXPECT_EQ(Terms("ｶﾞ"), (Strings{"ガ"}));  // half-width katakana and its voiced mark compose
  EXPECT_EQ(Terms("مرحبا"), (Strings{"مرحبا"}));
}

TEST_F(AnalyzerTest, OffsetsCoverTheOriginalSurface) {
  const std::string text = "Caroline's dog, ÉCOLE\u2019s café! 我们 https://x.org/a.";
  const auto tokens = analyzer_.Analyze(text);
  const Strings expected_surfaces = {"Caroline's", "dog", "ÉCOLE\u2019s",   "café",
                                     "我",         "们",  "https://x.org/a"};
  ASSERT_EQ(tokens.size(), expected_surfaces.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    EXPECT_EQ(text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin), expected_surfaces[i]);
  }
  EXPECT_EQ(tokens[0].term, Term("caroline"));
  EXPECT_EQ(tokens[2].term, "ecol");
}

// Analyzing a token's surface on its own gives the token's term again.
void ExpectSurfacesRoundTrip(const Analyzer& analyzer, std::string_view text) {
  std::uint32_t last_end = 0;
  for (const Token& token : analyzer.Analyze(text)) {
    ASSERT_LT(token.begin, token.end);
    ASSERT_LE(last_end, token.begin);
    ASSERT_LE(token.end, text.size());
    ASSERT_FALSE(token.term.empty());
    ASSERT_TRUE(IsValidUtf8(token.term));
    const auto again = analyzer.Terms(text.substr(token.begin, token.end - token.begin));
    ASSERT_EQ(again, Strings{token.term}) << "in: " << text;
    last_end = token.end;
  }
}

TEST_F(AnalyzerTest, SurfacesRoundTripOnMixedText) {
  ExpectSurfacesRoundTrip(
      analyzer_,
      "Hi Melanie! On 12/05 I met Dr. O'Brien at the café near 東京駅 — she said: \"Don’t "
      "forget the 1,500 € deposit\" (see https://example.com/x?y=1, or mail info@example.org). "
      "Привет из Москвы 🙂 Καλημέρα. ｈｅｌｌｏ ﬁne rock'n'roll "
      "3.14159 "
      "ok.");
}

TEST_F(AnalyzerTest, TermsMatchAnalyze) {
  const std::string text = "The runners were running in Paris' streets; 5 km.";
  Strings from_tokens;
  for (const Token& t : analyzer_.Analyze(text)) from_tokens.push_back(t.term);
  EXPECT_EQ(analyzer_.Terms(text), from_tokens);
}

TEST_F(AnalyzerTest, OverlongTokensAreNotIndexed) {
  EXPECT_EQ(Terms(std::string(128, 'x')).size(), 1u);
  EXPECT_TRUE(Terms(std::string(129, 'x')).empty());
  EXPECT_EQ(Terms("keep " + std::string(5000, 'b') + " end"), (Strings{"keep", "end"}));
  EXPECT_EQ(Terms("https://example.com/" + std::string(900, 'p')).size(), 1u);
}

TEST_F(AnalyzerTest, RandomBytesNeverBreakIt) {
  std::mt19937 rng(777);
  const std::string interesting =
      "aZ09 .,'@:/-sw\xC3\xA9\xC3\x89\xE2\x80\x99\xE4\xB8\xAD\xF0\x9F\x98\x80\xCC\x81\xEF\xBD\x88";
  for (int round = 0; round < 5000; ++round) {
    std::string text(rng() % 80, '\0');
    for (char& c : text) {
      c = rng() % 2 ? interesting[rng() % interesting.size()] : static_cast<char>(rng());
    }
    for (const Token& token : analyzer_.Analyze(text)) {
      ASSERT_LT(token.begin, token.end);
      ASSERT_LE(token.end, text.size());
      ASSERT_TRUE(IsValidUtf8(token.term));
    }
  }
}

TEST_F(AnalyzerTest, MegabyteInputIsAnalyzedInFull) {
  const std::string chunk = "Caroline went running in the park with 2 friends. ";
  const std::size_t per_chunk = analyzer_.Analyze(chunk).size();
  std::string text;
  std::size_t chunks = 0;
  while (text.size() < (1u << 20)) {
    text += chunk;
    ++chunks;
  }
  const auto tokens = analyzer_.Analyze(text);
  ASSERT_EQ(tokens.size(), per_chunk * chunks);
  EXPECT_EQ(tokens.back().end, text.size() - 2);
}

TEST_F(AnalyzerTest, IsSafeToShareBetweenThreads) {
  const Strings texts = {
      "Caroline's running club meets on Tuesdays at 7pm.",
      "Привет! Как дела? Я люблю йогурт.",
      "我喜欢吃苹果，你呢？",
      "Visit https://example.com or write to a.b@example.org — café, naïve, ÉCOLE.",
      "The quick brown foxes were jumping over the lazy dogs' kennels.",
  };
  std::vector<Strings> expected;
  for (const auto& text : texts) expected.push_back(analyzer_.Terms(text));

  std::vector<std::thread> threads;
  threads.reserve(8);
  std::vector<int> mismatches(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const std::size_t k = static_cast<std::size_t>(i + t) % texts.size();
        if (analyzer_.Terms(texts[k]) != expected[k]) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace loci::text
