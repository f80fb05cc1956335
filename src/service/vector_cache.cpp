#include "service/vector_cache.h"

namespace loci::service {

std::string VectorCache::KeyOf(const model::UserRef& user) {
  std::string key = user.tenant;
  key.push_back('\x1f');  // cannot occur in identifiers: they hold no control characters
  key += user.user_id;
  return key;
}

void VectorCache::Erase(std::unordered_map<std::string, Entries::iterator>::iterator found) {
  bytes_ -= found->second->bytes;
  entries_.erase(found->second);
  index_.erase(found);
}

std::shared_ptr<const VectorMatrix> VectorCache::Find(const model::UserRef& user,
                                                      const std::string& model,
                                                      std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  auto found = index_.find(KeyOf(user));
  if (found == index_.end()) return nullptr;
  if (found->second->generation != generation || found->second->model != model) {
    Erase(found);  // stale: it may hold vectors of erased messages
    return nullptr;
  }
  entries_.splice(entries_.begin(), entries_, found->second);
  return found->second->matrix;
}

void VectorCache::Insert(const model::UserRef& user, const std::string& model,
                         std::uint64_t generation, std::shared_ptr<const VectorMatrix> matrix) {
  const std::size_t bytes = matrix->bytes();
  std::string key = KeyOf(user);
  std::lock_guard lock(mutex_);
  if (auto found = index_.find(key); found != index_.end()) Erase(found);
  if (bytes > max_bytes_) return;
  entries_.push_front(Entry{key, model, generation, bytes, std::move(matrix)});
  index_[std::move(key)] = entries_.begin();
  bytes_ += bytes;
  while (bytes_ > max_bytes_) Erase(index_.find(entries_.back().key));
}

void VectorCache::Drop(const model::UserRef& user) {
  std::lock_guard lock(mutex_);
  if (auto found = index_.find(KeyOf(user)); found != index_.end()) Erase(found);
}

std::size_t VectorCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace loci::service
