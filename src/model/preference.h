// Preferences (API.md, "Preferences"): what Loci has learned or been told about how a user
// wants to be answered and who they are. Plain data shared by storage, service and http; safe to
// copy between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/time.h"

namespace loci::model {

// Where a preference came from: the user said so (explicit), learned from how they write
// (inferred), from POST /memory/feedback (feedback), or set through the API (manual).
enum class PreferenceSource { kExplicit, kInferred, kFeedback, kManual };

std::string_view PreferenceSourceName(PreferenceSource source);
// nullopt for anything but "explicit", "inferred", "feedback", "manual".
std::optional<PreferenceSource> ParsePreferenceSource(std::string_view name);

struct Preference {
  std::string key;    // lower-case snake_case; "likes:<thing>" and "dislikes:<thing>" too
  std::string value;  // personal: sealed at rest
  std::string category;
  double confidence = 0;  // in [0, 1]
  PreferenceSource source = PreferenceSource::kExplicit;
  std::vector<std::string> evidence;  // ids of the messages it was learned from, oldest first
  UnixMillis updated_at = 0;
};

// The category API.md gives `key` ("likes:jazz" → "likes"); "personal" for keys it does not
// name.
std::string_view DefaultPreferenceCategory(std::string_view key);

// True for a key API.md allows: lower-case snake_case words (letters beyond ASCII allowed,
// as learned things keep them: "likes:kraków"), optionally "likes:" or "dislikes:"
// followed by a snake_case thing; at most kMaxPreferenceKeyBytes.
bool IsValidPreferenceKey(std::string_view key);

inline constexpr std::size_t kMaxPreferenceKeyBytes = 128;
inline constexpr std::size_t kMaxPreferenceValueBytes = 1024;

}  // namespace loci::model
