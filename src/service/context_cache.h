// ContextCache: context packs recently built, reused until the user's data changes.
//
// An assistant asks for context before every answer, often several times between two
// stores (retries, several components, streaming restarts); a pack is the same until a
// write or erasure touches the user. Every change bumps the user's generation; a pack is
// served only if it was built at the generation still current. Read the generation BEFORE
// building a pack: a write that lands while the pack is being built then leaves the pack
// unservable instead of stale.
//
// Generations live in a fixed array of stripes indexed by a hash of the user, so memory does
// not grow with the number of users; two users sharing a stripe only cost each other cache
// misses. Entries are evicted least recently used beyond a byte budget.
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "model/message.h"
#include "service/byte_lru.h"
#include "service/commands.h"

namespace loci::service {

class ContextCache {
 public:
  explicit ContextCache(std::size_t max_bytes);

  // The generation of the user's data, for Find and Insert.
  std::uint64_t Generation(const model::UserRef& user) const;

  // The pack stored under `key` when it was built at `generation`, or null.
  std::shared_ptr<const ContextPack> Find(const std::string& key, std::uint64_t generation);

  // Stores `pack` under `key` as built at `generation`. Packs larger than a quarter of the
  // budget are not kept.
  void Insert(const std::string& key, std::uint64_t generation,
              std::shared_ptr<const ContextPack> pack);

  // Makes every pack of the user unservable. Call after each durable change to its data.
  void Invalidate(const model::UserRef& user);

  // The key of a context query: the user and every parameter that shapes the pack.
  static std::string KeyOf(const model::UserRef& user, const ContextQuery& query);

 private:
  static constexpr std::size_t kStripes = 4096;
  struct Entry {
    std::uint64_t generation = 0;
    std::shared_ptr<const ContextPack> pack;
  };

  std::atomic<std::uint64_t>& StripeOf(const model::UserRef& user) const;
  mutable std::array<std::atomic<std::uint64_t>, kStripes> generations_{};
  std::mutex mutex_;
  ByteLru<Entry> entries_;  // guarded by mutex_
};

}  // namespace loci::service
