#include "util/time.h"

#include <gtest/gtest.h>

namespace loci {
namespace {

TEST(TimeTest, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(1796022771123), "2026-11-30T07:12:51.123Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999Z");
}

TEST(TimeTest, ParsesWhatItFormats) {
  for (UnixMillis millis : {0LL, 1LL, 951782400000LL, 1683554160000LL, 1796022771123LL}) {
    auto parsed = ParseRfc3339(FormatRfc3339(millis));
    ASSERT_TRUE(parsed.has_value()) << millis;
    EXPECT_EQ(*parsed, millis);
  }
}

TEST(TimeTest, ParsesOffsetsAndFractions) {
  EXPECT_EQ(ParseRfc3339("2023-05-08T13:56:00Z"), 1683554160000);
  EXPECT_EQ(ParseRfc3339("2023-05-08T15:56:00+02:00"), 1683554160000);
  EXPECT_EQ(ParseRfc3339("2023-05-08T13:56:00.5Z"), 1683554160500);
  EXPECT_EQ(ParseRfc3339("2023-05-08T13:56:00.123456Z"), 1683554160123);
  EXPECT_EQ(ParseRfc3339("2000-02-29T00:00:00Z"), 951782400000);
}

TEST(TimeTest, RejectsMalformedAndOutOfRange) {
  for (const char* text : {"", "2023", "2023-05-08", "2023-05-08T13:56:00", "2023-13-01T00:00:00Z",
                           "2023-02-29T00:00:00Z", "2023-05-08T24:00:00Z", "2023-05-08T13:60:00Z",
                           "2023-05-08T13:56:00.Z", "2023-05-08T13:56:00Zjunk",
                           "0000-01-01T00:00:00Z", "2023-05-08T13:56:00+2:00", "yesterday"}) {
    EXPECT_FALSE(ParseRfc3339(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace loci
