#include "text/normalizer.h"

#include <gtest/gtest.h>

#include <string>

namespace loci::text {
namespace {

std::string Norm(std::string_view s, bool strip_marks = true) {
  std::string out = "stale content";
  Normalize(s, strip_marks, &out);
  return out;
}

TEST(NormalizerTest, AsciiIsLowerCased) {
  EXPECT_EQ(Norm("Hello-World 42"), "hello-world 42");
  EXPECT_EQ(Norm(""), "");
}

TEST(NormalizerTest, CaseFoldsAndComposes) {
  EXPECT_EQ(Norm("ÉCOLE", false), "école");
  EXPECT_EQ(Norm("E\u0301COLE", false), "école");  // composed whichever way it came in
  EXPECT_EQ(Norm("Straße", false), "strasse");
  EXPECT_EQ(Norm("ΣΟΦΙΑ", false), "σοφια");
}

TEST(NormalizerTest, StripsMarksOnlyWhenAsked) {
  EXPECT_EQ(Norm("Crème Brûlée", true), "creme brulee");
  EXPECT_EQ(Norm("Crème Brûlée", false), "crème brûlée");
}

TEST(NormalizerTest, AppliesCompatibilityMappings) {
  EXPECT_EQ(Norm("ｈｅｌｌｏ"), "hello");
  EXPECT_EQ(Norm("ﬁ"), "fi");
  EXPECT_EQ(Norm("①"), "1");
  EXPECT_EQ(Norm("㎏"), "kg");
}

TEST(NormalizerTest, DropsIgnorablesAndUnifiesApostrophes) {
  EXPECT_EQ(Norm("hy\u00ADphen"), "hyphen");
  EXPECT_EQ(Norm("a\u200Db"), "ab");
  EXPECT_EQ(Norm("don\u2019t"), "don't");
  EXPECT_EQ(Norm("don\u02BCt"), "don't");
  EXPECT_EQ(Norm("don\uFF07t"), "don't");
}

TEST(NormalizerTest, ReusesTheOutputAndHandlesLongInput) {
  std::string out;
  Normalize(std::string(10000, 'A'), true, &out);
  EXPECT_EQ(out, std::string(10000, 'a'));
  std::string long_unicode;
  for (int i = 0; i < 5000; ++i) long_unicode += "É";
  Normalize(long_unicode, true, &out);
  EXPECT_EQ(out, std::string(5000, 'e'));
  Normalize("x", true, &out);
  EXPECT_EQ(out, "x");
}

}  // namespace
}  // namespace loci::text
