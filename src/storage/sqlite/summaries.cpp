#include "storage/sqlite/summaries.h"

#include "storage/sqlite/rows.h"

namespace loci::storage::sqlite {
namespace {

// The columns ReadSummary expects, over `summaries x JOIN sessions s JOIN messages m` (m the
// message covered last).
#define LOCI_SQLITE_SUMMARY_COLUMNS \
  "s.session_id, x.text, m.public_id, x.covers_until_seq, x.message_count, x.updated_at"

SessionSummary ReadSummary(const Statement& row) {
  return {.session_id = row.Text(0),
          .text = row.Text(1),
          .covers_until = row.Text(2),
          .covers_until_seq = row.Int(3),
          .message_count = row.Int(4),
          .updated_at = row.Int(5)};
}

// How many of the session's messages come up to (and including) the one with `seq` in the
// session's order; 0 when that message is not in the session. Counted as all of them but those
// after it: those are few (the recent window, mostly), so a fold's check costs the same however
// long the session is.
Result<std::int64_t> CountCovered(Connection& db, std::int64_t session_ref, std::int64_t seq) {
  ASSIGN_OR_RETURN(Statement count,
                   db.Prepare("SELECT s.message_count - (SELECT count(*) FROM messages m"
                              " WHERE m.session_ref = ?1"
                              " AND (m.created_at, m.seq) > (last.created_at, last.seq))"
                              " FROM sessions s, (SELECT created_at, seq FROM messages"
                              " WHERE seq = ?2 AND session_ref = ?1) last WHERE s.id = ?1"));
  count.Bind(1, session_ref).Bind(2, seq);
  ASSIGN_OR_RETURN(bool row, count.Step());
  return row ? count.Int(0) : 0;
}

}  // namespace

Result<std::optional<SessionSummary>> QuerySummary(Connection& db, const model::UserRef& user,
                                                   const std::string& session_id) {
  ASSIGN_OR_RETURN(Statement find,
                   db.Prepare("SELECT " LOCI_SQLITE_SUMMARY_COLUMNS
                              " FROM users u JOIN sessions s ON s.user_ref = u.id"
                              " JOIN summaries x ON x.session_ref = s.id"
                              " JOIN messages m ON m.seq = x.covers_until_seq"
                              " WHERE u.tenant = ?1 AND u.user_id = ?2 AND s.session_id = ?3"));
  find.BindText(1, user.tenant).BindText(2, user.user_id).BindText(3, session_id);
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<SessionSummary>();
  return std::optional<SessionSummary>(ReadSummary(find));
}

Result<std::vector<SessionSummary>> QuerySummaries(Connection& db, const model::UserRef& user) {
  ASSIGN_OR_RETURN(Statement find,
                   db.Prepare("SELECT " LOCI_SQLITE_SUMMARY_COLUMNS
                              " FROM users u JOIN sessions s ON s.user_ref = u.id"
                              " JOIN summaries x ON x.session_ref = s.id"
                              " JOIN messages m ON m.seq = x.covers_until_seq"
                              " WHERE u.tenant = ?1 AND u.user_id = ?2 ORDER BY s.session_id"));
  find.BindText(1, user.tenant).BindText(2, user.user_id);
  std::vector<SessionSummary> summaries;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, find.Step());
    if (!row) break;
    summaries.push_back(ReadSummary(find));
  }
  return summaries;
}

Status ApplyPutSummary(Connection& db, const model::UserRef& user, const SessionSummary& summary,
                       std::int64_t replaces_seq) {
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  std::optional<std::int64_t> session_ref;
  if (user_ref) {
    ASSIGN_OR_RETURN(session_ref, FindSession(db, *user_ref, summary.session_id));
  }
  if (!session_ref) return NotFound("session not found");
  std::int64_t current_seq = 0;
  {
    ASSIGN_OR_RETURN(Statement current,
                     db.Prepare("SELECT covers_until_seq FROM summaries WHERE session_ref = ?1"));
    current.Bind(1, *session_ref);
    ASSIGN_OR_RETURN(bool row, current.Step());
    if (row) current_seq = current.Int(0);
  }
  if (current_seq != replaces_seq) {
    return Conflict("the session's summary changed while a new one was being made");
  }
  std::int64_t covers_seq = 0;
  {
    ASSIGN_OR_RETURN(Statement last, db.Prepare("SELECT seq FROM messages"
                                                " WHERE public_id = ?1 AND session_ref = ?2"));
    last.BindText(1, summary.covers_until).Bind(2, *session_ref);
    ASSIGN_OR_RETURN(bool row, last.Step());
    if (!row) return Conflict("covers_until names no message of the session");
    covers_seq = last.Int(0);
  }
  ASSIGN_OR_RETURN(std::int64_t covered, CountCovered(db, *session_ref, covers_seq));
  if (covered != summary.message_count) {
    return Conflict("the session's messages changed while its summary was being made");
  }
  ASSIGN_OR_RETURN(
      Statement upsert,
      db.Prepare("INSERT INTO summaries (session_ref, text, covers_until_seq, message_count,"
                 " updated_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (session_ref) DO UPDATE"
                 " SET text = excluded.text, covers_until_seq = excluded.covers_until_seq,"
                 " message_count = excluded.message_count, updated_at = excluded.updated_at"));
  return upsert.Bind(1, *session_ref)
      .BindBlob(2, summary.text)
      .Bind(3, covers_seq)
      .Bind(4, summary.message_count)
      .Bind(5, summary.updated_at)
      .Run();
}

Result<bool> DropStaleSummary(Connection& db, std::int64_t session_ref) {
  std::int64_t covers_seq = 0;
  std::int64_t message_count = 0;
  {
    ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT covers_until_seq, message_count"
                                                " FROM summaries WHERE session_ref = ?1"));
    find.Bind(1, session_ref);
    ASSIGN_OR_RETURN(bool row, find.Step());
    if (!row) return false;
    covers_seq = find.Int(0);
    message_count = find.Int(1);
  }
  ASSIGN_OR_RETURN(std::int64_t covered, CountCovered(db, session_ref, covers_seq));
  if (covered == message_count) return false;
  ASSIGN_OR_RETURN(Statement drop, db.Prepare("DELETE FROM summaries WHERE session_ref = ?1"));
  RETURN_IF_ERROR(drop.Bind(1, session_ref).Run());
  return true;
}

}  // namespace loci::storage::sqlite
