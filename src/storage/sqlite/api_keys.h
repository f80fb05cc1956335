// The API-key part of Store for SQLite: the `api_keys` table (migration 3).
// Thread-safety: writes run on the writer thread inside its transaction; reads on a leased
// reader inside a read transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// Checks what needs no database (empty fields, a negative rate limit): InvalidArgument.
Status ValidateNewApiKey(const NewApiKey& key);

// Inserts the key. Conflict when its id or secret hash is already taken.
Status InsertApiKey(Connection& db, const NewApiKey& key);

// Sets revoked_at unless it is set; returns the revocation time. NotFound for an unknown id.
Result<UnixMillis> ApplyRevokeApiKey(Connection& db, const std::string& id, UnixMillis now);

Result<std::vector<ApiKeyInfo>> QueryApiKeys(Connection& db,
                                             const std::optional<std::string>& tenant);

Result<std::optional<ApiKeyInfo>> QueryApiKeyByHash(Connection& db, std::string_view secret_hash);

}  // namespace loci::storage::sqlite
