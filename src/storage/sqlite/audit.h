// The audit part of Store for SQLite: the `audit_events` and `audit_head` tables (migration 5).
// Thread-safety: writes run on the writer thread inside its transaction (which is what orders
// the chain); reads on a leased reader inside a read transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "storage/audit_chain.h"
#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// Appends `event` after the current head: gives it seq = head + 1 and its mac, and moves the
// head. Returns the seq.
Result<std::int64_t> ApplyAppendAudit(Connection& db, const AuditChain& chain,
                                      std::vector<AuditEvent>& events);

Result<std::vector<AuditEvent>> QueryAuditEvents(Connection& db, const AuditQuery& query);
Result<std::vector<AuditEvent>> QueryAuditChainPage(Connection& db, std::int64_t after_seq,
                                                    int limit);
Result<std::optional<AuditHead>> QueryAuditHead(Connection& db);

}  // namespace loci::storage::sqlite
