// PrivacySettingsCache: users' privacy settings as last read from the store, so that a store
// request (which must know whether to keep and whether to redact) does not read them from the
// database every time. Settings change only through PrivacyController::Update and go with the
// user's erasure; both invalidate the user's entry once the change is made.
//
// A read that races a change must not put back what the change replaced: read Generation()
// BEFORE reading the store; Put keeps the value only when no invalidation happened since.
// Correct for a store that one process owns (as every in-process cache of the service layer):
// a change made by another process would not be seen.
// Users are evicted least recently used beyond `max_users`.
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>

#include "model/message.h"
#include "model/privacy.h"
#include "service/byte_lru.h"

namespace loci::service {

class PrivacySettingsCache {
 public:
  // REQUIRES: max_users >= 1.
  explicit PrivacySettingsCache(std::size_t max_users) : entries_(max_users) {}

  // The user's settings if held; nullopt otherwise (read them from the store).
  std::optional<model::PrivacySettings> Find(const model::UserRef& user);

  // The generation to pass to Put, read before reading the settings from the store.
  std::uint64_t Generation() const;

  // Holds `settings` as the user's, unless an invalidation happened after `generation` was
  // read (the settings may then be stale already: the next read reads the store again).
  void Put(const model::UserRef& user, const model::PrivacySettings& settings,
           std::uint64_t generation);

  // Drops the user's entry and makes every read in flight unfit to Put. Call after each
  // change to the user's settings and after the user's erasure, whatever their outcome.
  void Invalidate(const model::UserRef& user);

  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;             // guarded by mutex_
  ByteLru<model::PrivacySettings> entries_;  // by UserRef::Key, 1 "byte" each; guarded
};

}  // namespace loci::service
