// RateLimiter: a token bucket per API key, answering whether one more request may pass now.
//
// A key with a rate of R requests per second may send a burst of R requests at once (at least
// one), then one every 1/R s. The bucket is kept in the GCRA form: one number per key, the
// "theoretical arrival time" of its next request, so taking a token is one comparison and one
// addition, and a key whose bucket has filled up again holds no information and may be
// forgotten. Keys live in 64 shards, each behind its own mutex, so requests of different keys
// rarely meet; a shard that reaches its share of `max_keys` first drops its idle keys (no
// loss), and, should every key in it be busy, starts over (a brief leniency, never growth).
//
// Time comes from the injected Clock (milliseconds). A clock that steps backwards cannot lock
// a key out: a bucket further ahead of now than any valid state is reset.
//
// Thread-safety: Acquire may be called concurrently from any thread. `clock` must outlive
// the limiter.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/time.h"

namespace loci::http {

class RateLimiter {
 public:
  explicit RateLimiter(const Clock& clock, std::size_t max_keys = 64 * 1024);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes a token from `key`'s bucket, which refills at `rate` per second. Returns 0 when the
  // request may pass; otherwise how many milliseconds (≥ 1) until it would, taking nothing.
  // REQUIRES: rate > 0
  std::int64_t Acquire(std::string_view key, int rate);

  // Keys currently held (for tests of the bound).
  std::size_t size();

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  struct Shard {
    std::mutex mutex;
    // Theoretical arrival time of the key's next request, in nanoseconds since the epoch.
    std::unordered_map<std::string, std::int64_t, StringHash, std::equal_to<>> next;
  };
  static constexpr std::size_t kShards = 64;

  const Clock& clock_;
  const std::size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

// The Retry-After value, in whole seconds, for a wait of `wait_ms`: rounded up, at least 1.
std::int64_t RetryAfterSeconds(std::int64_t wait_ms);

}  // namespace loci::http
