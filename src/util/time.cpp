#include "util/time.h"

#include <charconv>
#include <chrono>

namespace loci {
namespace {

class SystemClockImpl final : public Clock {
 public:
  UnixMillis NowMillis() const override {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    return duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
};

bool IsLeap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at text[*pos]; advances *pos.
bool ReadDigits(std::string_view text, size_t* pos, int n, int* out) {
  if (*pos + n > text.size()) return false;
  int value = 0;
  for (int i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *pos += n;
  *out = value;
  return true;
}

// Writes the last `width` decimal digits of `value`, zero-padded. REQUIRES: value >= 0.
char* WriteDigits(char* out, std::int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

}  // namespace

// Howard Hinnant's algorithms.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, std::int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<std::int64_t>(yoe) + era * 400 + (*m <= 2 ? 1 : 0);
}

const Clock& SystemClock() {
  static const SystemClockImpl kClock;
  return kClock;
}

std::string FormatRfc3339(UnixMillis millis) {
  std::int64_t days = millis >= 0 ? millis / 86400000 : (millis - 86399999) / 86400000;
  std::int64_t rem = millis - days * 86400000;
  std::int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  CivilFromDays(days, &y, &m, &d);
  // Written digit by digit: this runs for every message of every response, and snprintf's
  // format parsing showed up in profiles. The output is what "%04lld-%02u-%02uT%02lld:%02lld:
  // %02lld.%03lldZ" gives.
  char buf[48];
  char* p = buf;
  if (y >= 0 && y <= 9999) {
    p = WriteDigits(p, y, 4);
  } else {  // as %04lld: the sign counts towards the width of 4
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, y);
    const char* digit = digits;
    if (*digit == '-') *p++ = *digit++;
    for (auto n = static_cast<int>(end - digits); n < 4; ++n) *p++ = '0';
    while (digit != end) *p++ = *digit++;
  }
  *p++ = '-';
  p = WriteDigits(p, m, 2);
  *p++ = '-';
  p = WriteDigits(p, d, 2);
  *p++ = 'T';
  p = WriteDigits(p, rem / 3600000, 2);
  *p++ = ':';
  p = WriteDigits(p, rem / 60000 % 60, 2);
  *p++ = ':';
  p = WriteDigits(p, rem / 1000 % 60, 2);
  *p++ = '.';
  p = WriteDigits(p, rem % 1000, 3);
  *p++ = 'Z';
  return std::string(buf, p);
}

std::optional<UnixMillis> ParseRfc3339(std::string_view text) {
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, &pos, 4, &year) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day)) {
    return std::nullopt;
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  if (!ReadDigits(text, &pos, 2, &hour) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &minute) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &second)) {
    return std::nullopt;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      day > static_cast<int>(DaysInMonth(year, month)) || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 3; ++i) millis *= 10;
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '+' ? 1 : -1;
    ++pos;
    int oh = 0, om = 0;
    if (!ReadDigits(text, &pos, 2, &oh) || !Expect(text, &pos, ':') ||
        !ReadDigits(text, &pos, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  if (second == 60) second = 59;  // leap second: clamp, as most systems do
  std::int64_t days = DaysFromCivil(year, month, day);
  std::int64_t total_seconds =
      days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return total_seconds * 1000 + millis;
}

}  // namespace loci
