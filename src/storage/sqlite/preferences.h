// Preferences for SQLite (schema: migration 9 in migrations.cpp): the rows, their evidence,
// forgotten keys and the preference engine's state.
// Thread-safety: Query* run on a reader inside its read transaction; Apply* on the writer
// thread inside the writer's transaction.
#pragma once

#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

Result<PreferenceSnapshot> QueryPreferences(Connection& db, const model::UserRef& user);

Result<std::optional<std::int64_t>> QueryForgottenThrough(Connection& db,
                                                          const model::UserRef& user,
                                                          const std::string& key);

// What can be checked without the database (Store::WritePreferences).
Status ValidatePreferenceWrite(const PreferenceWrite& write);

// Applies `write` as Store::WritePreferences documents and returns the rows removed.
// REQUIRES: ValidatePreferenceWrite(write) is OK; a transaction is open on `db`.
Result<std::int64_t> ApplyWritePreferences(Connection& db, const PreferenceWrite& write);

// How many preferences the user holds (for the count of an erasure).
Result<std::int64_t> CountPreferences(Connection& db, std::int64_t user_ref);

}  // namespace loci::storage::sqlite
