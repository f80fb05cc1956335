#include "text/time_expressions.h"

#include <array>
#include <string>

namespace loci::text {
namespace {

constexpr UnixMillis kDay = 86'400'000;

// A word of the query: lower-case ASCII letters and digits; `number` is the value of a word of
// digits (an ordinal suffix allowed: "13th"), else -1.
struct Word {
  std::string text;
  int number = -1;
  int digits = 0;
};

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::vector<Word> Words(std::string_view text) {
  std::vector<Word> words;
  std::string current;
  auto flush = [&] {
    if (current.empty()) return;
    Word word{current};
    std::size_t digits = 0;
    while (digits < current.size() && current[digits] >= '0' && current[digits] <= '9') ++digits;
    const std::string_view rest = std::string_view(current).substr(digits);
    if (digits > 0 && digits <= 4 &&
        (rest.empty() || rest == "st" || rest == "nd" || rest == "rd" || rest == "th")) {
      word.number = std::stoi(current.substr(0, digits));
      word.digits = static_cast<int>(digits);
    }
    words.push_back(std::move(word));
    current.clear();
  };
  for (char c : text) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (IsAlnum(lower)) {
      current.push_back(lower);
    } else if (c != '\'') {  // "Caroline's" stays one word
      flush();
    }
  }
  flush();
  return words;
}

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

int MonthOf(std::string_view word) {
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (word == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return word == "sept" ? 9 : 0;
}

// The first month of a season, or 0.
int SeasonOf(std::string_view word) {
  if (word == "spring") return 3;
  if (word == "summer") return 6;
  if (word == "autumn" || word == "fall") return 9;
  if (word == "winter") return 12;
  return 0;
}

// Words that put a following month or season name in a time phrase.
bool TimeContext(std::string_view word) {
  static constexpr std::array<std::string_view, 17> kWords = {
      "in",  "on",   "during", "since", "until", "before", "after", "early", "late",
      "mid", "last", "this",   "of",    "by",    "from",   "the",   "around"};
  for (std::string_view context : kWords) {
    if (word == context) return true;
  }
  return false;
}

int CountOf(const Word& word) {
  if (word.number >= 0) return word.number;
  static constexpr std::array<std::string_view, 13> kCounts = {
      "zero",  "one",   "two",  "three", "four",   "five",  "six",
      "seven", "eight", "nine", "ten",   "eleven", "twelve"};
  for (std::size_t i = 0; i < kCounts.size(); ++i) {
    if (word.text == kCounts[i]) return static_cast<int>(i);
  }
  if (word.text == "a" || word.text == "an") return 1;
  if (word.text == "couple") return 2;
  if (word.text == "few") return 3;
  return -1;
}

UnixMillis UnitOf(std::string_view word) {
  if (word == "day" || word == "days") return kDay;
  if (word == "week" || word == "weeks") return 7 * kDay;
  if (word == "month" || word == "months") return 30 * kDay;
  if (word == "year" || word == "years") return 365 * kDay;
  return 0;
}

int YearOf(const Word& word) {
  return word.digits == 4 && word.number >= 1900 && word.number <= 2100 ? word.number : 0;
}

bool IsDay(const Word& word) {
  return word.digits > 0 && word.digits <= 2 && word.number >= 1 && word.number <= 31;
}

UnixMillis At(std::int64_t year, int month, int day) {
  // Months past December roll into the next year (seasons, "next month").
  year += (month - 1) / 12;
  month = (month - 1) % 12 + 1;
  return DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * kDay;
}

TimeSpan MonthSpan(std::int64_t year, int month, int months = 1) {
  return {At(year, month, 1), At(year, month + months, 1)};
}

struct Today {
  std::int64_t days = 0;  // since the epoch
  std::int64_t year = 0;
  int month = 0;
  int weekday = 0;  // 0 = Monday
};

Today TodayOf(UnixMillis now) {
  Today today;
  today.days = now / kDay;
  unsigned month = 0;
  unsigned day = 0;
  CivilFromDays(today.days, &today.year, &month, &day);
  today.month = static_cast<int>(month);
  today.weekday = static_cast<int>((today.days + 3) % 7);  // 1970-01-01 was a Thursday
  return today;
}

TimeSpan DaysSpan(std::int64_t first_day, std::int64_t days) {
  return {first_day * kDay, (first_day + days) * kDay};
}

// "last"/"this" + week, weekend, month, year, a month or a season name. Returns the number of
// words after `i` it used (0: none).
std::size_t Calendar(const std::vector<Word>& words, std::size_t i, const Today& today,
                     TimeReference* out) {
  if (i + 1 >= words.size()) return 0;
  const bool last =
      words[i].text == "last" || words[i].text == "past" || words[i].text == "previous";
  if (!last && words[i].text != "this") return 0;
  const std::string& next = words[i + 1].text;
  const std::int64_t monday = today.days - today.weekday;
  if (next == "week") {
    out->spans.push_back(DaysSpan(last ? monday - 7 : monday, 7));
  } else if (next == "weekend") {
    out->spans.push_back(DaysSpan(last ? monday - 2 : monday + 5, 2));
  } else if (next == "month") {
    // Counted from December of the year before, so that January's "last month" rolls back.
    out->spans.push_back(MonthSpan(today.year - 1, today.month + 12 - (last ? 1 : 0)));
  } else if (next == "year") {
    out->spans.push_back(MonthSpan(last ? today.year - 1 : today.year, 1, 12));
  } else if (const int month = MonthOf(next); month != 0) {
    out->spans.push_back(
        MonthSpan(last && month >= today.month ? today.year - 1 : today.year, month));
  } else if (const int first = SeasonOf(next); first != 0) {
    // A season is named by the year its first month falls in (winter: December's). "last":
    // the latest one over by now; "this": the one of this year.
    std::int64_t year = today.year;
    if (last && today.month < first + 3) --year;
    if (!last && first == 12 && today.month < 3) --year;
    out->spans.push_back(MonthSpan(year, first, 3));
  } else {
    return 0;
  }
  return 1;
}

// "<count> <unit>s ago" starting at word i: the words used after i (0: none).
std::size_t Ago(const std::vector<Word>& words, std::size_t i, UnixMillis now, TimeReference* out) {
  const int count = CountOf(words[i]);
  if (count < 0) return 0;
  std::size_t j = i + 1;
  if (j < words.size() && words[j].text == "of") ++j;  // "a couple of weeks ago"
  if (j + 1 >= words.size() || words[j + 1].text != "ago") return 0;
  const UnixMillis unit = UnitOf(words[j].text);
  if (unit == 0) return 0;
  const UnixMillis point = now - count * unit;
  out->spans.push_back({point - unit, point + unit});
  return j + 1 - i;
}

// A month name at word i with its day and year around it: the words used after i.
std::size_t Month(const std::vector<Word>& words, std::size_t i, TimeReference* out) {
  const int month = MonthOf(words[i].text);
  if (month == 0) return 0;
  std::size_t j = i + 1;
  int day = 0;
  if (j < words.size() && IsDay(words[j])) day = words[j++].number;
  int year = 0;
  if (j < words.size() && YearOf(words[j]) != 0) year = YearOf(words[j++]);
  if (day == 0 && i > 0 && IsDay(words[i - 1])) day = words[i - 1].number;
  const bool ambiguous = month == 3 || month == 5;  // "march", "may" are verbs too
  if (ambiguous && day == 0 && year == 0 && (i == 0 || !TimeContext(words[i - 1].text))) return 0;
  if (year != 0 && day != 0) {
    out->spans.push_back(DaysSpan(DaysFromCivil(year, month, day), 1));
  } else if (year != 0) {
    out->spans.push_back(MonthSpan(year, month));
  } else {
    out->months |= static_cast<std::uint16_t>(1u << (month - 1));
  }
  return j - i - 1;
}

// A season name at word i, with the year after it if any: the words used after i.
std::size_t Season(const std::vector<Word>& words, std::size_t i, TimeReference* out) {
  const int first = SeasonOf(words[i].text);
  if (first == 0) return 0;
  std::size_t j = i + 1;
  if (j + 1 < words.size() && words[j].text == "of") ++j;  // "the summer of 2022"
  const int year = j < words.size() ? YearOf(words[j]) : 0;
  if (words[i].text == "fall" && year == 0 && (i == 0 || !TimeContext(words[i - 1].text))) {
    return 0;
  }
  if (year != 0) {
    out->spans.push_back(MonthSpan(year, first, 3));
    return j - i;
  }
  for (int m = first; m < first + 3; ++m) {
    out->months |= static_cast<std::uint16_t>(1u << ((m - 1) % 12));
  }
  return 0;
}

int MonthOfMillis(UnixMillis at) {
  std::int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  CivilFromDays(at / kDay, &year, &month, &day);
  return static_cast<int>(month);
}

}  // namespace

TimeReference FindTimeExpressions(std::string_view text, UnixMillis now) {
  const std::vector<Word> words = Words(text);
  const Today today = TodayOf(now);
  TimeReference reference;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i].text;
    if (word == "yesterday") {
      reference.spans.push_back(DaysSpan(today.days - 1, 1));
    } else if (word == "today" || word == "tonight") {
      reference.spans.push_back(DaysSpan(today.days, 1));
    } else if (std::size_t used = Calendar(words, i, today, &reference); used > 0) {
      i += used;
    } else if (used = Ago(words, i, now, &reference); used > 0) {
      i += used;
    } else if (used = Month(words, i, &reference); used > 0 || MonthOf(word) != 0) {
      i += used;
    } else if (used = Season(words, i, &reference); used > 0 || SeasonOf(word) != 0) {
      i += used;
    } else if (const int year = YearOf(words[i]); year != 0) {
      reference.spans.push_back(MonthSpan(year, 1, 12));
    }
  }
  return reference;
}

bool Matches(const TimeReference& reference, UnixMillis at, UnixMillis grace) {
  for (const TimeSpan& span : reference.spans) {
    if (at >= span.begin && at < span.end + grace) return true;
  }
  if (reference.months == 0) return false;
  const auto in_months = [&](UnixMillis t) {
    return (reference.months & (1u << (MonthOfMillis(t) - 1))) != 0;
  };
  return in_months(at) || in_months(at - grace);
}

}  // namespace loci::text
