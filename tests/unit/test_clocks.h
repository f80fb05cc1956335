// Clocks for tests: one that never moves, one that moves only when told.
// Thread-safety: NowMillis may be called from any thread; ManualClock::Advance too.
#pragma once

#include <atomic>

#include "util/time.h"

namespace loci::testing {

class FixedClock final : public Clock {
 public:
  UnixMillis NowMillis() const override { return 1683554160000; }  // 2023-05-08T13:56:00Z
};

class ManualClock final : public Clock {
 public:
  UnixMillis NowMillis() const override { return now_.load(); }
  void Advance(UnixMillis millis) { now_ += millis; }

 private:
  std::atomic<UnixMillis> now_{1'700'000'000'000};
};

}  // namespace loci::testing
