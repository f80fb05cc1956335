// Time expressions: finds the times an English query speaks of ("yesterday", "two weeks ago",
// "last May", "in 2022", "in June 2023", "on 13 October, 2023", "during the summer"), so that
// search can favour what was said then. Relative expressions count from `now`; a month or
// season named without a year stands for that month or season of any year.
// "May", "March" and "fall" are words too: they count as times only next to a number or
// after "in", "last", "early" and the like. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "util/time.h"

namespace loci::text {

// [begin, end) in Unix milliseconds, UTC.
struct TimeSpan {
  UnixMillis begin = 0;
  UnixMillis end = 0;
};

struct TimeReference {
  std::vector<TimeSpan> spans;  // absolute spans
  std::uint16_t months = 0;     // bit m - 1: month m (1-12) of any year
  bool empty() const { return spans.empty() && months == 0; }
};

// Every time expression of `text`, with relative ones taken from `now`. Empty when there is
// none; never fails (anything unrecognized is ignored).
TimeReference FindTimeExpressions(std::string_view text, UnixMillis now);

// True when `at` lies in one of the reference's spans or months, or up to `grace` after one
// (people tell of things some time after they happen).
bool Matches(const TimeReference& reference, UnixMillis at, UnixMillis grace);

}  // namespace loci::text
