#include "text/stop_words.h"

#include <gtest/gtest.h>

namespace loci::text {
namespace {

TEST(StopWordsTest, FunctionWordsAreStopWords) {
  for (const char* word :
       {"a", "an",  "the", "is", "are",        "was",        "to",    "of",  "and",   "in", "on",
        "i", "you", "me",  "my", "themselves", "yourselves", "don't", "i'm", "won't", "not"}) {
    EXPECT_TRUE(IsStopWord(word)) << word;
  }
}

TEST(StopWordsTest, MeaningfulWordsAreNot) {
  for (const char* word : {"", "cat", "own", "up", "down", "will", "may", "us", "well", "shell",
                           "ill", "2", "42", "the2", "themselvesx", "zebra", "'", "a'"}) {
    EXPECT_FALSE(IsStopWord(word)) << word;
  }
}

TEST(StopWordsTest, NeedsNormalizedInput) {
  EXPECT_FALSE(IsStopWord("The"));
  EXPECT_FALSE(IsStopWord("don\u2019t"));
}

}  // namespace
}  // namespace loci::text
