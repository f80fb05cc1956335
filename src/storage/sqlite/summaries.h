// Session summaries for SQLite (schema: migration 8 in migrations.cpp).
// Thread-safety: Query* run on a reader inside its read transaction; Apply* and
// DropStaleSummary on the writer thread inside the writer's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/message.h"
#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// The session's summary, or nullopt when it has none.
Result<std::optional<SessionSummary>> QuerySummary(Connection& db, const model::UserRef& user,
                                                   const std::string& session_id);

// Every summary of the user, by session id.
Result<std::vector<SessionSummary>> QuerySummaries(Connection& db, const model::UserRef& user);

// Store::PutSummary.
Status ApplyPutSummary(Connection& db, const model::UserRef& user, const SessionSummary& summary,
                       std::int64_t replaces_seq);

// Drops the session's summary when the messages it covers are no longer all there (one was
// erased): called after messages of the session were erased. Returns whether it dropped one.
Result<bool> DropStaleSummary(Connection& db, std::int64_t session_ref);

}  // namespace loci::storage::sqlite
