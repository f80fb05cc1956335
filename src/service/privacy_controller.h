// PrivacyController: a user's privacy settings and what they cause (DESIGN.md, "Security and
// privacy"): whether a store keeps anything, PII redaction before anything is stored or
// indexed, and the retention purge. MemoryServiceImpl owns one and calls it on every store;
// app/ runs Purge (the background purger in `loci serve`, and `loci purge`).
//
// Rules:
// - A user who never set anything has the defaults (model::PrivacySettings); reading them
//   creates nothing.
// - Redaction applies when the user's redact_pii or the operator's LOCI_REDACT_PII is on.
//   Content and the speaker's name go through text::RedactPii; metadata is kept as sent.
// - Retention: the operator's CONTEXT_RETENTION_DAYS and the user's retention_days both
//   apply: the stricter (shorter) wins.
// Settings changed while a store is in flight may not apply to that store.
// The settings are cached in memory (privacy_settings_cache.h): Update and UserErased keep
// the cache exact, so every change goes through them.
// Thread-safety: all methods may be called concurrently; collaborators are borrowed.
#pragma once

#include <functional>

#include "service/commands.h"
#include "service/context_cache.h"
#include "service/privacy_policy.h"
#include "service/privacy_settings_cache.h"
#include "storage/store.h"
#include "util/time.h"

namespace loci::service {

// What a store of the user's messages must do.
struct StorePolicy {
  bool store_messages = true;
  bool redact_pii = false;
};

class PrivacyController {
 public:
  // REQUIRES: store, clock and cache outlive the controller.
  PrivacyController(storage::Store& store, const Clock& clock, PrivacyPolicy policy,
                    ContextCache& cache);

  // The user's settings, or the defaults. Unavailable/Internal when storage fails.
  Result<model::PrivacySettings> Settings(const model::UserRef& user);

  // Applies `change` (nothing is written when it is empty) and returns the resulting settings.
  // Turning on redaction or a shorter retention does not touch what is stored already: the
  // next purge applies the retention.
  Result<model::PrivacySettings> Update(const model::UserRef& user,
                                        const model::PrivacyChange& change);

  // The user's settings combined with the operator's policy, for a store. Unavailable/Internal
  // when storage fails.
  Result<StorePolicy> PolicyFor(const model::UserRef& user);
  // True when PolicyFor would answer from memory, without reading the store.
  bool PolicyIsAtHand(const model::UserRef& user) { return settings_cache_.Find(user).has_value(); }

  // Forgets what is cached of the user. Call after the user's erasure, whatever its outcome:
  // the settings go with the user.
  void UserErased(const model::UserRef& user) { settings_cache_.Invalidate(user); }

  // Replaces PII in the message's content and name by placeholders ("[EMAIL]", ...).
  static void Redact(IncomingMessage& message);

  // Purges every expired message, a batch (one write transaction) at a time so that stores
  // wait for one batch at most; invalidates the context cache of each user who lost messages
  // after each batch. `stop` (when set) is asked between batches; true ends the purge early
  // (complete = false). Unavailable/Internal when storage fails (batches already done stay
  // done; their users' caches are invalidated).
  Result<PurgeReport> Purge(const std::function<bool()>& stop = {});

  const PrivacyPolicy& policy() const { return policy_; }

 private:
  storage::Store& store_;
  const Clock& clock_;
  const PrivacyPolicy policy_;
  ContextCache& cache_;
  PrivacySettingsCache settings_cache_;
};

}  // namespace loci::service
