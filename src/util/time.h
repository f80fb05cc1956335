// Time in Loci: milliseconds since the Unix epoch (UTC), an injectable clock, and RFC 3339.
// Thread-safety: the functions are pure; Clock implementations must be thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loci {

using UnixMillis = std::int64_t;

// The source of "now". The real one reads the system clock; tests inject a fixed one.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMillis NowMillis() const = 0;
};

// The system's wall clock. Stateless; one shared instance.
const Clock& SystemClock();

// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12, day 1-31), and back.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d);
void CivilFromDays(std::int64_t z, std::int64_t* y, unsigned* m, unsigned* d);

// Formats as RFC 3339 in UTC with milliseconds: "2026-11-30T07:12:51.123Z".
std::string FormatRfc3339(UnixMillis millis);

// Parses RFC 3339 ("2026-11-30T07:12:51Z", "...51.123Z", "...51.1+02:00"), any fraction
// digits (truncated to milliseconds). Returns nullopt for anything else, including
// out-of-range fields and years outside 0001-9999.
std::optional<UnixMillis> ParseRfc3339(std::string_view text);

}  // namespace loci
