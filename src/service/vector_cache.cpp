#include "service/vector_cache.h"

namespace loci::service {

std::optional<VectorCache::Cached> VectorCache::Find(const model::UserRef& user,
                                                     const std::string& model) {
  const std::string key = user.Key();
  std::lock_guard lock(mutex_);
  Entry* found = entries_.Find(key);
  if (found == nullptr) return std::nullopt;
  if (found->model != model) {  // the server changed models: of no more use
    entries_.Erase(key);
    return std::nullopt;
  }
  return Cached{found->generation, found->matrix};
}

void VectorCache::Insert(const model::UserRef& user, const std::string& model,
                         std::uint64_t generation, std::shared_ptr<const VectorMatrix> matrix) {
  const std::size_t bytes = matrix->bytes();
  std::string key = user.Key();
  std::lock_guard lock(mutex_);
  entries_.Erase(key);
  if (bytes > entries_.max_bytes()) return;
  entries_.Put(std::move(key), Entry{model, generation, std::move(matrix)}, bytes);
}

void VectorCache::Drop(const model::UserRef& user) {
  std::lock_guard lock(mutex_);
  entries_.Erase(user.Key());
}

std::size_t VectorCache::bytes() const {
  std::lock_guard lock(mutex_);
  return entries_.bytes();
}

}  // namespace loci::service
