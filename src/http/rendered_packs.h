// RenderedPacks: serialized context packs, remembered by the pack's identity.
//
// The service hands out one immutable pack for identical context requests until the user's
// data changes, so a pack serialized once need not be serialized again. Each entry holds a
// weak reference to its pack and matches only that very object: a pack the service has
// dropped can never be confused with a newer one. Memory is bounded by a byte budget; when
// it is reached, entries of dropped packs go first, then everything.
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "service/commands.h"

namespace loci::http {

class RenderedPacks {
 public:
  explicit RenderedPacks(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The body serialized earlier from this very pack, or null.
  std::shared_ptr<const std::string> Find(const std::shared_ptr<const service::ContextPack>& pack);

  void Insert(const std::shared_ptr<const service::ContextPack>& pack,
              std::shared_ptr<const std::string> body);

 private:
  struct Entry {
    std::weak_ptr<const service::ContextPack> pack;
    std::shared_ptr<const std::string> body;
  };
  void MakeRoom(std::size_t bytes);  // REQUIRES: mutex_ held

  const std::size_t max_bytes_;
  std::mutex mutex_;
  std::unordered_map<const service::ContextPack*, Entry> entries_;
  std::size_t bytes_ = 0;
};

}  // namespace loci::http
