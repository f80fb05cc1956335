#include "storage/sqlite/audit.h"

#include <string>

namespace loci::storage::sqlite {
namespace {

constexpr char kColumns[] =
    "SELECT seq, at, tenant, key_id, action, subject, request_id, outcome, count, mac"
    " FROM audit_events";

AuditEvent ReadEvent(const Statement& row) {
  AuditEvent event;
  event.seq = row.Int(0);
  event.at = row.Int(1);
  event.tenant = row.Text(2);
  event.key_id = row.Text(3);
  event.action = row.Text(4);
  event.subject = row.Text(5);
  event.request_id = row.Text(6);
  event.outcome = row.Text(7);
  event.count = row.Int(8);
  event.mac = row.Text(9);
  return event;
}

Result<std::vector<AuditEvent>> ReadAll(Statement& statement) {
  std::vector<AuditEvent> events;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, statement.Step());
    if (!row) break;
    events.push_back(ReadEvent(statement));
  }
  return events;
}

Status InsertAuditEvent(Connection& db, const AuditEvent& event) {
  ASSIGN_OR_RETURN(Statement insert,
                   db.Prepare("INSERT INTO audit_events (seq, at, tenant, key_id, action, subject,"
                              " request_id, outcome, count, mac)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
  insert.Bind(1, event.seq)
      .Bind(2, event.at)
      .BindText(3, event.tenant)
      .BindText(4, event.key_id)
      .BindText(5, event.action)
      .BindText(6, event.subject)
      .BindText(7, event.request_id)
      .BindText(8, event.outcome)
      .Bind(9, event.count)
      .BindBlob(10, event.mac);
  return insert.Run();
}

}  // namespace

Result<std::optional<AuditHead>> QueryAuditHead(Connection& db) {
  ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT seq, mac, tag FROM audit_head WHERE id = 1"));
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<AuditHead>();
  return std::optional<AuditHead>(AuditHead{find.Int(0), find.Text(1), find.Text(2)});
}

Result<std::int64_t> ApplyAppendAudit(Connection& db, const AuditChain& chain,
                                      std::vector<AuditEvent>& events) {
  ASSIGN_OR_RETURN(std::optional<AuditHead> head, QueryAuditHead(db));
  const std::int64_t first = head ? head->seq + 1 : 1;
  std::int64_t seq = first - 1;
  std::string mac = head ? head->mac : std::string();
  for (AuditEvent& event : events) {
    event.seq = ++seq;
    event.mac = chain.Mac(mac, event);
    RETURN_IF_ERROR(InsertAuditEvent(db, event));
    mac = event.mac;
  }
  if (events.empty()) return first;
  const std::string tag = chain.HeadTag(seq, mac);
  ASSIGN_OR_RETURN(Statement move,
                   db.Prepare("INSERT INTO audit_head (id, seq, mac, tag) VALUES (1, ?1, ?2, ?3)"
                              " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq,"
                              " mac = excluded.mac, tag = excluded.tag"));
  RETURN_IF_ERROR(move.Bind(1, seq).BindBlob(2, mac).BindBlob(3, tag).Run());
  return first;
}

Result<std::vector<AuditEvent>> QueryAuditEvents(Connection& db, const AuditQuery& query) {
  if (query.limit <= 0) return std::vector<AuditEvent>();
  // Spelled per filter, so that each form uses its index (by subject, else by tenant).
  std::string sql = kColumns;
  sql += " WHERE tenant = ?1 AND seq > ?2";
  if (query.subject) sql += " AND subject = ?3";
  if (query.action) sql += " AND action = ?4";
  if (query.since) sql += " AND at >= ?5";
  sql += " ORDER BY seq LIMIT ?6";
  ASSIGN_OR_RETURN(Statement select, db.Prepare(sql));
  select.BindText(1, query.tenant).Bind(2, query.after_seq).Bind(6, query.limit);
  if (query.subject) select.BindText(3, *query.subject);
  if (query.action) select.BindText(4, *query.action);
  if (query.since) select.Bind(5, *query.since);
  return ReadAll(select);
}

Result<std::vector<AuditEvent>> QueryAuditChainPage(Connection& db, std::int64_t after_seq,
                                                    int limit) {
  if (limit <= 0) return std::vector<AuditEvent>();
  ASSIGN_OR_RETURN(Statement select,
                   db.Prepare(std::string(kColumns) + " WHERE seq > ?1 ORDER BY seq LIMIT ?2"));
  select.Bind(1, after_seq).Bind(2, limit);
  return ReadAll(select);
}

}  // namespace loci::storage::sqlite
