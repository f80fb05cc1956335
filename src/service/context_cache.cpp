#include "service/context_cache.h"

#include <functional>

namespace loci::service {
namespace {

std::size_t ApproximateBytes(const ContextPack& pack) {
  std::size_t bytes = sizeof(ContextPack) + pack.prompt.size();
  for (const model::Message& message : pack.messages) {
    bytes += sizeof(model::Message) + message.content.size() + message.metadata_json.size() +
             message.id.size() + message.session_id.size() + message.user_id.size();
  }
  return bytes;
}

void AppendField(std::string* key, std::string_view field) {
  key->append(field);
  key->push_back('\x1f');  // cannot occur in identifiers: they hold no control characters
}

}  // namespace

ContextCache::ContextCache(std::size_t max_bytes) : entries_(max_bytes) {}

std::atomic<std::uint64_t>& ContextCache::StripeOf(const model::UserRef& user) const {
  const std::size_t hash =
      std::hash<std::string>{}(user.tenant) * 31 + std::hash<std::string>{}(user.user_id);
  return generations_[hash % kStripes];
}

std::uint64_t ContextCache::Generation(const model::UserRef& user) const {
  return StripeOf(user).load(std::memory_order_acquire);
}

void ContextCache::Invalidate(const model::UserRef& user) {
  StripeOf(user).fetch_add(1, std::memory_order_acq_rel);
}

std::string ContextCache::KeyOf(const model::UserRef& user, const ContextQuery& query) {
  std::string key;
  AppendField(&key, user.tenant);
  AppendField(&key, user.user_id);
  AppendField(&key, query.session_id ? "s:" + *query.session_id : "latest");
  AppendField(&key, query.max_messages ? std::to_string(*query.max_messages) : "-");
  AppendField(&key, query.max_tokens ? std::to_string(*query.max_tokens) : "-");
  return key;
}

std::shared_ptr<const ContextPack> ContextCache::Find(const std::string& key,
                                                      std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  Entry* found = entries_.Find(key);
  if (found == nullptr) return nullptr;
  if (found->generation != generation) {
    entries_.Erase(key);
    return nullptr;
  }
  return found->pack;
}

void ContextCache::Insert(const std::string& key, std::uint64_t generation,
                          std::shared_ptr<const ContextPack> pack) {
  const std::size_t bytes = ApproximateBytes(*pack) + key.size();
  if (bytes > entries_.max_bytes() / 4) return;
  std::lock_guard lock(mutex_);
  entries_.Put(key, Entry{generation, std::move(pack)}, bytes);
}

}  // namespace loci::service
