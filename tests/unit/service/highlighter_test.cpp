#include "service/highlighter.h"

#include <gtest/gtest.h>

#include "util/strings.h"

namespace loci::service {
namespace {

class HighlighterTest : public ::testing::Test {
 protected:
  std::unordered_set<std::string> TermsOf(std::string_view query) {
    auto terms = analyzer_.Terms(query);
    return {terms.begin(), terms.end()};
  }
  text::Analyzer analyzer_;
  Highlighter highlighter_{analyzer_};
};

TEST_F(HighlighterTest, MarksStemmedMatchesInTheOriginalText) {
  auto snippets =
      highlighter_.Highlight("I moved to Lisbon last spring.", TermsOf("moving lisbon"));
  ASSERT_EQ(snippets.size(), 1u);
  EXPECT_EQ(snippets[0], "I <mark>moved</mark> to <mark>Lisbon</mark> last spring.");
}

TEST_F(HighlighterTest, EscapesHtmlAroundMarks) {
  auto snippets = highlighter_.Highlight("<b>jazz</b> & blues", TermsOf("jazz"));
  ASSERT_EQ(snippets.size(), 1u);
  EXPECT_EQ(snippets[0], "&lt;b&gt;<mark>jazz</mark>&lt;/b&gt; &amp; blues");
}

TEST_F(HighlighterTest, LongTextGivesBoundedSnippetsAroundMatches) {
  std::string filler;
  for (int i = 0; i < 60; ++i) filler += "nothing relevant here ";
  std::string content = "jazz at the start " + filler + "and jazz at the end";
  auto snippets = highlighter_.Highlight(content, TermsOf("jazz"));
  ASSERT_EQ(snippets.size(), 2u);
  for (const std::string& snippet : snippets) {
    EXPECT_NE(snippet.find("<mark>jazz</mark>"), std::string::npos);
    EXPECT_LT(snippet.size(), 220u);
  }
  EXPECT_NE(snippets[0].find(" …"), std::string::npos);
  EXPECT_EQ(snippets[1].rfind("… ", 0), 0u);
}

TEST_F(HighlighterTest, WithoutMatchGivesTheBeginningUnmarked) {
  auto snippets = highlighter_.Highlight("A quiet day.", TermsOf("volcano"));
  ASSERT_EQ(snippets.size(), 1u);
  EXPECT_EQ(snippets[0], "A quiet day.");
  EXPECT_TRUE(highlighter_.Highlight("", TermsOf("x")).empty());
}

TEST_F(HighlighterTest, NeverCutsInsideAMultibyteCharacter) {
  std::string content;
  for (int i = 0; i < 80; ++i) content += "\xC3\xA9t\xC3\xA9";  // "été", no spaces
  content += " jazz ";
  for (int i = 0; i < 80; ++i) content += "\xC3\xA9t\xC3\xA9";
  for (const std::string& snippet : highlighter_.Highlight(content, TermsOf("jazz"))) {
    EXPECT_TRUE(IsValidUtf8(snippet));
  }
}

}  // namespace
}  // namespace loci::service
