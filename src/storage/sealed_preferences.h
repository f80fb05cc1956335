// How SealedStore (sealed_store.h) keeps preferences: the key, which names what a user likes
// ("likes:jazz"), is personal, so the engine's key column holds a keyed hash of it (the index
// key), which still finds the row; the key and the value are sealed together in the value
// column, with associated data naming the row (user, hashed key, field), so no value can be
// moved to another user or key. Category, confidence, source, times and evidence (message ids,
// which are public) stay in clear. The engine's opaque style state is sealed the same way.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "crypto/keyring.h"
#include "model/preference.h"
#include "util/status.h"

namespace loci::storage {

// The engine's key for preference key `key` of the user.
std::string BlindPreferenceKey(const crypto::UserKeys& keys, std::string_view key);

// `preference` as the engine keeps it. `user_label` is crypto::UserKeyLabel of its user.
model::Preference SealPreference(const crypto::UserKeys& keys, std::string_view user_label,
                                 model::Preference preference);

// The preference as written, from what the engine kept. Corruption when it does not open
// (another key, another row) or its key does not hash to the row's.
Result<model::Preference> OpenPreference(const crypto::UserKeys& keys, std::string_view user_label,
                                         model::Preference sealed);

std::string SealStyle(const crypto::UserKeys& keys, std::string_view user_label,
                      std::string_view style);
// Corruption when `sealed` was not made by SealStyle for this user.
Result<std::string> OpenStyle(const crypto::UserKeys& keys, std::string_view user_label,
                              std::string_view sealed);

}  // namespace loci::storage
