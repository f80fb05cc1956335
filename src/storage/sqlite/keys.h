// Wrapped keys in the database: users' data keys (in their rows) and the server's own
// (system_keys). The bytes are opaque here; crypto/ wraps and unwraps them.
#pragma once

#include <optional>
#include <string>

#include "model/message.h"
#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

Result<std::optional<std::string>> FindUserKey(Connection& db, const model::UserRef& user);

Status SetUserKey(Connection& db, std::int64_t user_ref, const std::string& wrapped);

Result<std::string> ApplyEnsureSystemKey(Connection& db, const std::string& name,
                                         const std::string& candidate);

Status ApplyRewrapKeys(Connection& db, const KeyRewrap& rewrap);

}  // namespace loci::storage::sqlite
