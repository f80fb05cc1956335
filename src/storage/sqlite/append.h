// The write side of Store::Append for SQLite: checking a request, then writing its messages,
// their index entries and idempotency keys, and the session's and user's bookkeeping.
// Thread-safety: ValidateAppend is pure; ApplyAppend runs on the writer thread, inside the
// writer's transaction and the job's savepoint (which is what makes a request all or nothing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/sqlite/connection.h"
#include "storage/sqlite/rows.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// The user a write goes to: found (`found`, as FindUserRow read it in this transaction), or
// created (with no unmerged entries). A write that names a data key (sealed_store.h) must
// match the user's; only one with create_user_key may create the user holding it, or give it
// to a user that has none yet. Conflict otherwise.
Result<UserRow> UserForWrite(Connection& db, const model::UserRef& user, UnixMillis now,
                             const std::string& user_key, bool create_user_key,
                             std::optional<UserRow> found);

// What can be checked without the database. InvalidArgument (with the field) when the user or
// session id is empty, an idempotency key is repeated inside the request, or a term count is
// not positive.
Status ValidateAppend(const AppendRequest& request);

// Writes `request` as Store::Append documents: duplicates by idempotency key are not written
// again, a request key seen before returns the first outcome. The user row is created on the
// first write, the session row when its first message is stored. The user's unmerged index
// entries are merged once they reach `merge_threshold`. Errors of the SQL.
// REQUIRES: ValidateAppend(request) is OK; a transaction is open on `db`.
Result<AppendOutcome> ApplyAppend(Connection& db, const AppendRequest& request,
                                  std::int64_t merge_threshold);

}  // namespace loci::storage::sqlite
