#include "text/time_expressions.h"

#include <gtest/gtest.h>

namespace loci::text {
namespace {

constexpr UnixMillis kDay = 86'400'000;

UnixMillis Day(int year, int month, int day) { return DaysFromCivil(year, month, day) * kDay; }

// Saturday 20 May 2023, noon UTC.
const UnixMillis kNow = Day(2023, 5, 20) + kDay / 2;

TimeSpan Only(const TimeReference& reference) {
  EXPECT_EQ(reference.spans.size(), 1u);
  EXPECT_EQ(reference.months, 0);
  return reference.spans.empty() ? TimeSpan{} : reference.spans[0];
}

void ExpectSpan(std::string_view query, UnixMillis begin, UnixMillis end) {
  SCOPED_TRACE(query);
  const TimeSpan span = Only(FindTimeExpressions(query, kNow));
  EXPECT_EQ(span.begin, begin);
  EXPECT_EQ(span.end, end);
}

TEST(TimeExpressionsTest, NoTimeNoReference) {
  EXPECT_TRUE(FindTimeExpressions("where did Caroline move from", kNow).empty());
  EXPECT_TRUE(FindTimeExpressions("", kNow).empty());
  EXPECT_TRUE(FindTimeExpressions("I read 1000 pages on my 18th birthday", kNow).empty());
}

TEST(TimeExpressionsTest, DaysRelativeToNow) {
  ExpectSpan("what did I eat yesterday?", Day(2023, 5, 19), Day(2023, 5, 20));
  ExpectSpan("plans for today", Day(2023, 5, 20), Day(2023, 5, 21));
}

TEST(TimeExpressionsTest, CountsAgo) {
  ExpectSpan("the concert two weeks ago", kNow - 21 * kDay, kNow - 7 * kDay);
  ExpectSpan("moved from 4 years ago", kNow - 5 * 365 * kDay, kNow - 3 * 365 * kDay);
  ExpectSpan("a couple of days ago", kNow - 3 * kDay, kNow - kDay);
  EXPECT_TRUE(FindTimeExpressions("two weeks later", kNow).empty());
}

TEST(TimeExpressionsTest, LastAndThisCalendarPeriods) {
  ExpectSpan("last week", Day(2023, 5, 8), Day(2023, 5, 15));  // Monday to Monday
  ExpectSpan("this week", Day(2023, 5, 15), Day(2023, 5, 22));
  ExpectSpan("last weekend", Day(2023, 5, 13), Day(2023, 5, 15));
  ExpectSpan("last month", Day(2023, 4, 1), Day(2023, 5, 1));
  ExpectSpan("this month", Day(2023, 5, 1), Day(2023, 6, 1));
  ExpectSpan("last year", Day(2022, 1, 1), Day(2023, 1, 1));
  ExpectSpan("last May", Day(2022, 5, 1), Day(2022, 6, 1));  // this May is not over
  ExpectSpan("last March", Day(2023, 3, 1), Day(2023, 4, 1));
  ExpectSpan("last summer", Day(2022, 6, 1), Day(2022, 9, 1));
  ExpectSpan("last winter", Day(2022, 12, 1), Day(2023, 3, 1));
}

TEST(TimeExpressionsTest, LastMonthInJanuaryIsDecember) {
  const TimeReference reference = FindTimeExpressions("last month", Day(2024, 1, 10));
  ASSERT_EQ(reference.spans.size(), 1u);
  EXPECT_EQ(reference.spans[0].begin, Day(2023, 12, 1));
  EXPECT_EQ(reference.spans[0].end, Day(2024, 1, 1));
}

TEST(TimeExpressionsTest, AbsoluteDates) {
  ExpectSpan("in 2022", Day(2022, 1, 1), Day(2023, 1, 1));
  ExpectSpan("in June 2023", Day(2023, 6, 1), Day(2023, 7, 1));
  ExpectSpan("painting shown on October 13, 2023", Day(2023, 10, 13), Day(2023, 10, 14));
  ExpectSpan("found on 1 February, 2023", Day(2023, 2, 1), Day(2023, 2, 2));
  ExpectSpan("on the 3rd of March 2021?", Day(2021, 3, 1), Day(2021, 4, 1));
  ExpectSpan("in the summer of 2022", Day(2022, 6, 1), Day(2022, 9, 1));
  ExpectSpan("winter 2023", Day(2023, 12, 1), Day(2024, 3, 1));
}

TEST(TimeExpressionsTest, MonthsAndSeasonsWithoutAYearMatchAnyYear) {
  TimeReference june = FindTimeExpressions("When did Melanie go camping in June?", kNow);
  EXPECT_TRUE(june.spans.empty());
  EXPECT_EQ(june.months, 1 << 5);
  TimeReference summer = FindTimeExpressions("a pride parade during the summer", kNow);
  EXPECT_EQ(summer.months, (1 << 5) | (1 << 6) | (1 << 7));
  TimeReference winter = FindTimeExpressions("in winter", kNow);
  EXPECT_EQ(winter.months, (1 << 11) | 1 | (1 << 1));
}

TEST(TimeExpressionsTest, MayMarchAndFallAreWordsOutsideTimePhrases) {
  EXPECT_TRUE(FindTimeExpressions("May I ask what you think?", kNow).empty());
  EXPECT_TRUE(FindTimeExpressions("did the prices march up", kNow).empty());
  EXPECT_TRUE(FindTimeExpressions("leaves fall", kNow).empty());
  EXPECT_EQ(FindTimeExpressions("early May", kNow).months, 1 << 4);
  EXPECT_EQ(FindTimeExpressions("in the fall", kNow).months, (1 << 8) | (1 << 9) | (1 << 10));
  EXPECT_EQ(FindTimeExpressions("May 8", kNow).months, 1 << 4);  // no year: any year's May
}

TEST(TimeExpressionsTest, MatchesSpansWithGraceAndMonths) {
  TimeReference reference = FindTimeExpressions("in June 2023", kNow);
  EXPECT_TRUE(Matches(reference, Day(2023, 6, 15), 0));
  EXPECT_FALSE(Matches(reference, Day(2023, 7, 5), 0));
  EXPECT_TRUE(Matches(reference, Day(2023, 7, 5), 7 * kDay));
  EXPECT_FALSE(Matches(reference, Day(2023, 5, 31), 7 * kDay));

  TimeReference june = FindTimeExpressions("in June", kNow);
  EXPECT_TRUE(Matches(june, Day(2019, 6, 2), 0));
  EXPECT_FALSE(Matches(june, Day(2019, 7, 2), 0));
  EXPECT_TRUE(Matches(june, Day(2019, 7, 2), 7 * kDay));
  EXPECT_FALSE(Matches(TimeReference{}, Day(2019, 7, 2), 7 * kDay));
}

}  // namespace
}  // namespace loci::text
