// The domain's value types, shared by every layer above util: messages, sessions, users.
// Plain data with no behaviour beyond naming; safe to copy between threads.
//
// These live below storage, service and http (rather than in one of them) because all three
// speak them and the layering forbids http from including storage: see docs/architecture.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/time.h"

namespace loci::model {

enum class Role { kUser, kAssistant, kSystem, kTool };

std::string_view RoleName(Role role);
// nullopt for anything but "user", "assistant", "system", "tool".
std::optional<Role> ParseRole(std::string_view name);

// Whose data: users are scoped by tenant, so one tenant's "u1" is not another's.
struct UserRef {
  std::string tenant;
  std::string user_id;

  bool operator==(const UserRef&) const = default;

  // One string for the user, for in-memory maps: tenant, U+001F, user id (identifiers hold no
  // control characters, so no two users share it).
  std::string Key() const { return tenant + '\x1f' + user_id; }
};

struct Message {
  std::int64_t seq = 0;  // the engine's row key; ordering and index key, never shown to clients
  std::string id;        // public opaque id, "m_" + ULID
  std::string user_id;
  std::string session_id;
  Role role = Role::kUser;
  std::optional<std::string> name;
  std::string content;
  UnixMillis created_at = 0;
  std::string metadata_json = "{}";  // a serialized JSON object, returned verbatim
  int token_count = 0;
};

struct SessionInfo {
  std::string session_id;
  std::int64_t message_count = 0;
  UnixMillis first_at = 0;
  UnixMillis last_at = 0;
  // The engine's seq of its newest message (Message::seq); bounds an export to what existed
  // when it began. Never shown to clients.
  std::int64_t last_seq = 0;
};

// The attribute that stands for one top-level metadata entry in the index: the key and the
// value's canonical JSON text (compact, as the JSON layer serializes it), joined by U+001F.
// Filters match attributes exactly, so {"n": 1} matches 1 but not "1".
std::string MetadataAttribute(std::string_view key, std::string_view canonical_value_json);

}  // namespace loci::model
