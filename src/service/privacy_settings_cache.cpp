#include "service/privacy_settings_cache.h"

namespace loci::service {

std::optional<model::PrivacySettings> PrivacySettingsCache::Find(const model::UserRef& user) {
  const std::string key = user.Key();
  std::lock_guard lock(mutex_);
  const model::PrivacySettings* found = entries_.Find(key);
  if (found == nullptr) return std::nullopt;
  return *found;
}

std::uint64_t PrivacySettingsCache::Generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void PrivacySettingsCache::Put(const model::UserRef& user, const model::PrivacySettings& settings,
                               std::uint64_t generation) {
  std::string key = user.Key();
  std::lock_guard lock(mutex_);
  if (generation != generation_) return;
  entries_.Put(std::move(key), settings, 1);
}

void PrivacySettingsCache::Invalidate(const model::UserRef& user) {
  const std::string key = user.Key();
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.Erase(key);
}

std::size_t PrivacySettingsCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.bytes();
}

}  // namespace loci::service
