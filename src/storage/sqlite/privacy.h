// Privacy settings and the retention purge for SQLite (schema: migration 6 in migrations.cpp).
// Thread-safety: Query* run on a reader inside its read transaction; Apply* on the writer
// thread inside the writer's transaction.
#pragma once

#include "model/message.h"
#include "model/privacy.h"
#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// The user's settings row, or nullopt when the user has none (or does not exist).
Result<std::optional<model::PrivacySettings>> QueryPrivacy(Connection& db,
                                                           const model::UserRef& user);

// Creates the user (without a data key) and the settings row as needed, applies `change`
// and returns the settings it leaves.
Result<model::PrivacySettings> ApplyUpdatePrivacy(Connection& db, const model::UserRef& user,
                                                  const model::PrivacyChange& change,
                                                  UnixMillis now);

// One batch of Store::PurgeExpired.
Result<PurgeOutcome> ApplyPurgeExpired(Connection& db, const PurgeRequest& request);

}  // namespace loci::storage::sqlite
