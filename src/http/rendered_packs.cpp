#include "http/rendered_packs.h"

namespace loci::http {

std::shared_ptr<const std::string> RenderedPacks::Find(
    const std::shared_ptr<const service::ContextPack>& pack) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(pack.get());
  if (found == entries_.end()) return nullptr;
  // Same address and same living object: the weak reference still leads to `pack`.
  if (found->second.pack.lock() != pack) return nullptr;
  return found->second.body;
}

void RenderedPacks::Insert(const std::shared_ptr<const service::ContextPack>& pack,
                           std::shared_ptr<const std::string> body) {
  const std::size_t bytes = body->size();
  if (bytes > max_bytes_ / 4) return;
  std::lock_guard lock(mutex_);
  MakeRoom(bytes);
  auto [slot, inserted] = entries_.try_emplace(pack.get());
  if (!inserted) bytes_ -= slot->second.body->size();
  slot->second = Entry{pack, std::move(body)};
  bytes_ += bytes;
}

void RenderedPacks::MakeRoom(std::size_t bytes) {
  if (bytes_ + bytes <= max_bytes_) return;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.pack.expired()) {
      bytes_ -= it->second.body->size();
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  if (bytes_ + bytes > max_bytes_) {
    entries_.clear();
    bytes_ = 0;
  }
}

}  // namespace loci::http
