// A user's privacy settings (GET/PUT /memory/privacy/{user_id}) and a change to them.
// Plain data, shared by storage, service and http; safe to copy between threads.
//
// Settings are not personal content (booleans and a number): engines keep them unsealed.
#pragma once

#include <optional>

namespace loci::model {

// Retention limits, in days, that a user or the operator may set.
inline constexpr int kMinRetentionDays = 1;
inline constexpr int kMaxRetentionDays = 36'500;

// The defaults are those of a user who never configured anything.
struct PrivacySettings {
  bool store_messages = true;         // false: stores keep nothing of the user
  bool learn_preferences = true;      // false: the preference engine learns nothing
  std::optional<int> retention_days;  // messages older than this are purged; nullopt: no limit
  bool redact_pii = false;            // true: PII is replaced by placeholders before storage

  bool operator==(const PrivacySettings&) const = default;
};

// A partial update: absent fields keep their value. retention_days holds nullopt for "leave
// as is", and an empty inner optional for "no limit".
struct PrivacyChange {
  std::optional<bool> store_messages;
  std::optional<bool> learn_preferences;
  std::optional<std::optional<int>> retention_days;
  std::optional<bool> redact_pii;

  bool empty() const {
    return !store_messages && !learn_preferences && !retention_days && !redact_pii;
  }
  // `settings` with this change applied.
  PrivacySettings AppliedTo(PrivacySettings settings) const {
    if (store_messages) settings.store_messages = *store_messages;
    if (learn_preferences) settings.learn_preferences = *learn_preferences;
    if (retention_days) settings.retention_days = *retention_days;
    if (redact_pii) settings.redact_pii = *redact_pii;
    return settings;
  }
};

}  // namespace loci::model
