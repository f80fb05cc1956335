// The durable work queue for SQLite (schema: migration 7 in migrations.cpp; the contract is
// Store::MarkWork and the methods after it). Thread-safety: Apply* run on the writer thread
// inside the writer's transaction.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// Marks work for the user whose users.id is `user_ref`.
Status ApplyMarkWork(Connection& db, std::int64_t user_ref, const std::vector<WorkMark>& marks);

Status ApplyMarkUserWork(Connection& db, const model::UserRef& user,
                         const std::vector<WorkMark>& marks);

Result<std::vector<WorkItem>> ApplyClaimWork(Connection& db, UnixMillis now, UnixMillis lease_until,
                                             int limit);

Status ApplyFinishWork(Connection& db, const WorkItem& item);

Status ApplyRetryWork(Connection& db, const WorkItem& item, UnixMillis due_at);

// Ends every lease: for a database that one process owns, no lease survives its start.
Status ApplyReleaseAllWork(Connection& db);

}  // namespace loci::storage::sqlite
