#include "storage/sqlite/erase.h"

#include <optional>
#include <vector>

#include "storage/sqlite/index_writes.h"
#include "storage/sqlite/preferences.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/summaries.h"

namespace loci::storage::sqlite {

Status SubtractFromUser(Connection& db, std::int64_t user_ref, std::int64_t messages,
                        std::int64_t length) {
  ASSIGN_OR_RETURN(Statement update,
                   db.Prepare("UPDATE users SET document_count = document_count - ?2,"
                              " total_length = total_length - ?3 WHERE id = ?1"));
  return update.Bind(1, user_ref).Bind(2, messages).Bind(3, length).Run();
}

Result<SessionRefresh> RefreshSession(Connection& db, std::int64_t session_ref) {
  std::int64_t count = 0;
  std::int64_t first_at = 0;
  std::int64_t last_at = 0;
  std::int64_t last_seq = 0;
  {
    ASSIGN_OR_RETURN(Statement totals,
                     db.Prepare("SELECT count(*), min(created_at), max(created_at), max(seq)"
                                " FROM messages WHERE session_ref = ?1"));
    totals.Bind(1, session_ref);
    ASSIGN_OR_RETURN(bool row, totals.Step());
    if (row) {
      count = totals.Int(0);
      first_at = totals.Int(1);
      last_at = totals.Int(2);
      last_seq = totals.Int(3);
    }
  }
  if (count == 0) {  // its summary goes with it (ON DELETE CASCADE)
    ASSIGN_OR_RETURN(Statement drop, db.Prepare("DELETE FROM sessions WHERE id = ?1"));
    RETURN_IF_ERROR(drop.Bind(1, session_ref).Run());
    return SessionRefresh{.removed = true};
  }
  ASSIGN_OR_RETURN(Statement update,
                   db.Prepare("UPDATE sessions SET message_count = ?2, first_at = ?3,"
                              " last_at = ?4, last_seq = ?5 WHERE id = ?1"));
  RETURN_IF_ERROR(update.Bind(1, session_ref)
                      .Bind(2, count)
                      .Bind(3, first_at)
                      .Bind(4, last_at)
                      .Bind(5, last_seq)
                      .Run());
  ASSIGN_OR_RETURN(bool dropped, DropStaleSummary(db, session_ref));
  return SessionRefresh{.summary_dropped = dropped};
}

Result<UserErasure> ApplyEraseUser(Connection& db, const model::UserRef& user) {
  UserErasure erasure;
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return erasure;
  erasure.existed = true;
  // Counted first: erasing the messages takes learned preferences with their evidence.
  ASSIGN_OR_RETURN(erasure.preferences, CountPreferences(db, *user_ref));
  ASSIGN_OR_RETURN(Statement messages,
                   db.Prepare("DELETE FROM messages WHERE session_ref IN"
                              " (SELECT id FROM sessions WHERE user_ref = ?1)"));
  RETURN_IF_ERROR(messages.Bind(1, *user_ref).Run());
  erasure.messages = db.Changes();
  RETURN_IF_ERROR(RemoveUserEntries(db, *user_ref));
  ASSIGN_OR_RETURN(Statement keys, db.Prepare("DELETE FROM idempotency WHERE user_ref = ?1"));
  RETURN_IF_ERROR(keys.Bind(1, *user_ref).Run());
  ASSIGN_OR_RETURN(Statement sessions, db.Prepare("DELETE FROM sessions WHERE user_ref = ?1"));
  RETURN_IF_ERROR(sessions.Bind(1, *user_ref).Run());
  erasure.sessions = db.Changes();
  ASSIGN_OR_RETURN(Statement row, db.Prepare("DELETE FROM users WHERE id = ?1"
                                             " RETURNING data_key IS NOT NULL"));
  row.Bind(1, *user_ref);
  ASSIGN_OR_RETURN(bool deleted, row.Step());
  erasure.key_destroyed = deleted && row.Int(0) != 0;
  RETURN_IF_ERROR(row.Run());
  return erasure;
}

Result<std::int64_t> ApplyEraseSession(Connection& db, const model::UserRef& user,
                                       const std::string& session_id) {
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return NotFound("session not found");
  ASSIGN_OR_RETURN(std::optional<std::int64_t> session_ref, FindSession(db, *user_ref, session_id));
  if (!session_ref) return NotFound("session not found");

  std::vector<IndexedMessage> erased;
  {
    ASSIGN_OR_RETURN(Statement messages,
                     db.Prepare("SELECT seq, term_count, index_terms, index_attributes"
                                " FROM messages WHERE session_ref = ?1"));
    messages.Bind(1, *session_ref);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, messages.Step());
      if (!row) break;
      erased.push_back({.seq = messages.Int(0),
                        .term_count = messages.Int(1),
                        .index_terms = messages.Text(2),
                        .index_attributes = messages.Text(3)});
    }
  }
  RETURN_IF_ERROR(RemoveEntries(db, *user_ref, erased));
  const auto count = static_cast<std::int64_t>(erased.size());
  std::int64_t length = 0;
  for (const IndexedMessage& message : erased) length += message.term_count;
  ASSIGN_OR_RETURN(Statement remove, db.Prepare("DELETE FROM messages WHERE session_ref = ?1"));
  RETURN_IF_ERROR(remove.Bind(1, *session_ref).Run());
  ASSIGN_OR_RETURN(Statement drop, db.Prepare("DELETE FROM sessions WHERE id = ?1"));
  RETURN_IF_ERROR(drop.Bind(1, *session_ref).Run());
  RETURN_IF_ERROR(SubtractFromUser(db, *user_ref, count, length));
  return count;
}

Result<MessageErasure> ApplyEraseMessage(Connection& db, const model::UserRef& user,
                                         const std::string& message_id) {
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return NotFound("message not found");
  std::int64_t session_ref = 0;
  std::vector<IndexedMessage> erased;
  {
    ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT seq, session_ref, term_count, index_terms,"
                                                " index_attributes FROM messages"
                                                " WHERE public_id = ?1 AND user_ref = ?2"));
    find.BindText(1, message_id).Bind(2, *user_ref);
    ASSIGN_OR_RETURN(bool row, find.Step());
    if (!row) return NotFound("message not found");
    session_ref = find.Int(1);
    erased.push_back({.seq = find.Int(0),
                      .term_count = find.Int(2),
                      .index_terms = find.Text(3),
                      .index_attributes = find.Text(4)});
  }
  RETURN_IF_ERROR(RemoveEntries(db, *user_ref, erased));
  ASSIGN_OR_RETURN(Statement remove, db.Prepare("DELETE FROM messages WHERE seq = ?1"));
  RETURN_IF_ERROR(remove.Bind(1, erased[0].seq).Run());
  RETURN_IF_ERROR(SubtractFromUser(db, *user_ref, 1, erased[0].term_count));
  MessageErasure erasure;
  {
    ASSIGN_OR_RETURN(Statement session,
                     db.Prepare("SELECT session_id FROM sessions WHERE id = ?1"));
    session.Bind(1, session_ref);
    ASSIGN_OR_RETURN(bool row, session.Step());
    if (!row) return Internal("a message without its session");
    erasure.session_id = session.Text(0);
  }
  ASSIGN_OR_RETURN(SessionRefresh refreshed, RefreshSession(db, session_ref));
  erasure.session_removed = refreshed.removed;
  erasure.summary_dropped = refreshed.summary_dropped;
  return erasure;
}

}  // namespace loci::storage::sqlite
