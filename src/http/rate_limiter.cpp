#include "http/rate_limiter.h"

#include <algorithm>

namespace loci::http {
namespace {

constexpr std::int64_t kNanosPerMilli = 1'000'000;
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

}  // namespace

RateLimiter::RateLimiter(const Clock& clock, std::size_t max_keys)
    : clock_(clock), shard_capacity_(std::max<std::size_t>(1, max_keys / kShards)) {}

std::int64_t RateLimiter::Acquire(std::string_view key, int rate) {
  const std::int64_t interval = kNanosPerSecond / std::max(rate, 1);
  const std::int64_t burst = std::max(rate, 1);
  // How far ahead of now the next arrival may be while a request still passes.
  const std::int64_t tolerance = (burst - 1) * interval;
  const std::int64_t now = clock_.NowMillis() * kNanosPerMilli;

  Shard& shard = shards_[StringHash{}(key) % kShards];
  std::lock_guard lock(shard.mutex);
  auto found = shard.next.find(key);
  if (found == shard.next.end()) {
    if (shard.next.size() >= shard_capacity_) {
      // A key whose next arrival is due has a full bucket: forgetting it changes nothing.
      std::erase_if(shard.next, [now](const auto& entry) { return entry.second <= now; });
      if (shard.next.size() >= shard_capacity_) shard.next.clear();
    }
    found = shard.next.emplace(std::string(key), now).first;
  }
  std::int64_t next = found->second;
  // No valid state is further ahead than this; beyond it the clock stepped back.
  if (next > now + tolerance + interval) next = now;
  next = std::max(next, now);
  if (next - now > tolerance) {
    found->second = next;
    const std::int64_t wait = next - now - tolerance;
    return std::max<std::int64_t>(1, (wait + kNanosPerMilli - 1) / kNanosPerMilli);
  }
  found->second = next + interval;
  return 0;
}

std::size_t RateLimiter::size() {
  std::size_t total = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.next.size();
  }
  return total;
}

std::int64_t RetryAfterSeconds(std::int64_t wait_ms) {
  return std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
}

}  // namespace loci::http
