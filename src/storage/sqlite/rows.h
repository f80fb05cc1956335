// Row-level helpers shared by the SQLite reads and writes: how roles are stored, how users
// and sessions are found, and how a message row becomes a model::Message.
// Thread-safety: functions use the given connection, which the caller holds exclusively.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/message.h"
#include "storage/sqlite/connection.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// The columns ReadMessage expects, for a query over `messages m JOIN sessions s`. A macro so
// that queries can splice it into their SQL literals.
#define LOCI_SQLITE_MESSAGE_COLUMNS                                                         \
  "m.seq, m.public_id, s.session_id, m.role, m.name, m.content, m.created_at, m.metadata, " \
  "m.token_count"

// LOCI_SQLITE_MESSAGE_COLUMNS with content and metadata read as empty.
#define LOCI_SQLITE_MESSAGE_HEADER_COLUMNS \
  "m.seq, m.public_id, s.session_id, m.role, m.name, '', m.created_at, '', m.token_count"

// Stored role codes. Written to disk: never renumber.
std::int64_t RoleCode(model::Role role);
// Corruption for a code no build ever wrote.
Result<model::Role> RoleFromCode(std::int64_t code);
// The bit set of `roles`, matched in SQL as ((1 << role) & mask) != 0.
std::int64_t RoleMask(const std::vector<model::Role>& roles);

// The users.id of `user`, or nullopt when the user has no row.
Result<std::optional<std::int64_t>> FindUser(Connection& db, const model::UserRef& user);

// What a write needs of a user's row.
struct UserRow {
  std::int64_t id = 0;                  // users.id
  std::optional<std::string> data_key;  // wrapped; nullopt for a keyless user
  std::int64_t unmerged_entries = 0;
};

// The user's row, or nullopt when the user has none.
Result<std::optional<UserRow>> FindUserRow(Connection& db, const model::UserRef& user);

// The sessions.id of the user's session, or nullopt when it has no row.
Result<std::optional<std::int64_t>> FindSession(Connection& db, std::int64_t user_ref,
                                                const std::string& session_id);

// The message in the current row of `row`, a statement that selects
// LOCI_SQLITE_MESSAGE_COLUMNS first. Corruption for an unknown role code.
Result<model::Message> ReadMessage(const Statement& row, const std::string& user_id);

// Every row of `query` (as ReadMessage reads one), in the order the query gives.
Result<std::vector<model::Message>> ReadMessages(Statement& query, const std::string& user_id);

// The sessions.id of the user's session; NotFound when the user or the session does not exist.
Result<std::int64_t> RequireSession(Connection& db, const model::UserRef& user,
                                    const std::string& session_id);

}  // namespace loci::storage::sqlite
