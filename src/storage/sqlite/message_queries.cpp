#include <algorithm>
#include <limits>

#include "storage/sqlite/queries.h"
#include "storage/sqlite/rows.h"

namespace loci::storage::sqlite {
namespace {

// Reads every row of `query` (newest first) and returns the messages oldest first.
Result<std::vector<model::Message>> ReadNewestFirst(Statement& query, const std::string& user_id) {
  ASSIGN_OR_RETURN(std::vector<model::Message> messages, ReadMessages(query, user_id));
  std::reverse(messages.begin(), messages.end());
  return messages;
}

#define LOCI_SQLITE_SESSION_COLUMNS \
  "s.session_id, s.message_count, s.first_at, s.last_at, s.last_seq"

// The session in the current row of `row`, which selects LOCI_SQLITE_SESSION_COLUMNS.
model::SessionInfo ReadSession(const Statement& row) {
  return {.session_id = row.Text(0),
          .message_count = row.Int(1),
          .first_at = row.Int(2),
          .last_at = row.Int(3),
          .last_seq = row.Int(4)};
}

}  // namespace

Result<std::vector<model::Message>> QueryRecentMessages(Connection& db, const model::UserRef& user,
                                                        const std::string& session_id, int limit) {
  if (limit <= 0) return std::vector<model::Message>();
  ASSIGN_OR_RETURN(Statement query,
                   db.Prepare("SELECT " LOCI_SQLITE_MESSAGE_COLUMNS
                              " FROM users u JOIN sessions s ON s.user_ref = u.id"
                              " JOIN messages m ON m.session_ref = s.id"
                              " WHERE u.tenant = ?1 AND u.user_id = ?2 AND s.session_id = ?3"
                              " ORDER BY m.created_at DESC, m.seq DESC LIMIT ?4"));
  query.BindText(1, user.tenant).BindText(2, user.user_id).BindText(3, session_id).Bind(4, limit);
  return ReadNewestFirst(query, user.user_id);
}

Result<std::optional<std::string>> QueryLatestSession(Connection& db, const model::UserRef& user) {
  ASSIGN_OR_RETURN(Statement query,
                   db.Prepare("SELECT s.session_id FROM users u JOIN sessions s"
                              " ON s.user_ref = u.id WHERE u.tenant = ?1 AND u.user_id = ?2"
                              " ORDER BY s.last_at DESC, s.last_seq DESC LIMIT 1"));
  query.BindText(1, user.tenant).BindText(2, user.user_id);
  ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(query.Text(0));
}

Result<std::vector<model::SessionInfo>> QuerySessions(Connection& db, const model::UserRef& user) {
  ASSIGN_OR_RETURN(Statement query, db.Prepare("SELECT " LOCI_SQLITE_SESSION_COLUMNS
                                               " FROM users u JOIN sessions s ON s.user_ref = u.id"
                                               " WHERE u.tenant = ?1 AND u.user_id = ?2"
                                               " ORDER BY s.last_at DESC, s.last_seq DESC"));
  query.BindText(1, user.tenant).BindText(2, user.user_id);
  std::vector<model::SessionInfo> sessions;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    sessions.push_back(ReadSession(query));
  }
  return sessions;
}

Result<std::optional<model::SessionInfo>> QuerySession(Connection& db, const model::UserRef& user,
                                                       const std::string& session_id) {
  ASSIGN_OR_RETURN(Statement query,
                   db.Prepare("SELECT " LOCI_SQLITE_SESSION_COLUMNS
                              " FROM users u JOIN sessions s ON s.user_ref = u.id"
                              " WHERE u.tenant = ?1 AND u.user_id = ?2 AND s.session_id = ?3"));
  query.BindText(1, user.tenant).BindText(2, user.user_id).BindText(3, session_id);
  ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return std::optional<model::SessionInfo>();
  return std::optional<model::SessionInfo>(ReadSession(query));
}

Result<std::vector<model::Message>> QuerySessionMessages(
    Connection& db, const model::UserRef& user, const std::string& session_id, int limit,
    const std::optional<std::string>& before_id) {
  ASSIGN_OR_RETURN(std::int64_t session_ref, RequireSession(db, user, session_id));
  if (!before_id) return QueryRecentMessages(db, user, session_id, limit);
  ASSIGN_OR_RETURN(Statement before, db.Prepare("SELECT m.created_at, m.seq FROM messages m"
                                                " WHERE m.session_ref = ?1 AND m.public_id = ?2"));
  before.Bind(1, session_ref).BindText(2, *before_id);
  ASSIGN_OR_RETURN(bool found, before.Step());
  if (!found) return NotFound("before_id names no message of the session");
  const std::int64_t before_created_at = before.Int(0);
  const std::int64_t before_seq = before.Int(1);
  if (limit <= 0) return std::vector<model::Message>();
  // Sessions are ordered by when turns were said, ties by arrival: page on that pair.
  ASSIGN_OR_RETURN(Statement query,
                   db.Prepare("SELECT " LOCI_SQLITE_MESSAGE_COLUMNS
                              " FROM messages m JOIN sessions s ON s.id = m.session_ref"
                              " WHERE m.session_ref = ?1 AND (m.created_at, m.seq) < (?2, ?3)"
                              " ORDER BY m.created_at DESC, m.seq DESC LIMIT ?4"));
  query.Bind(1, session_ref).Bind(2, before_created_at).Bind(3, before_seq).Bind(4, limit);
  return ReadNewestFirst(query, user.user_id);
}

Result<std::vector<model::Message>> QuerySessionMessagesAfter(
    Connection& db, const model::UserRef& user, const std::string& session_id, int limit,
    const std::optional<std::string>& after_id) {
  ASSIGN_OR_RETURN(std::int64_t session_ref, RequireSession(db, user, session_id));
  // Before the first message: every (created_at, seq) pair is greater.
  std::int64_t after_created_at = std::numeric_limits<std::int64_t>::min();
  std::int64_t after_seq = 0;
  if (after_id) {
    ASSIGN_OR_RETURN(Statement after, db.Prepare("SELECT m.created_at, m.seq FROM messages m"
                                                 " WHERE m.session_ref = ?1 AND m.public_id = ?2"));
    after.Bind(1, session_ref).BindText(2, *after_id);
    ASSIGN_OR_RETURN(bool found, after.Step());
    if (!found) return NotFound("after_id names no message of the session");
    after_created_at = after.Int(0);
    after_seq = after.Int(1);
  }
  if (limit <= 0) return std::vector<model::Message>();
  ASSIGN_OR_RETURN(Statement query,
                   db.Prepare("SELECT " LOCI_SQLITE_MESSAGE_COLUMNS
                              " FROM messages m JOIN sessions s ON s.id = m.session_ref"
                              " WHERE m.session_ref = ?1 AND (m.created_at, m.seq) > (?2, ?3)"
                              " ORDER BY m.created_at, m.seq LIMIT ?4"));
  query.Bind(1, session_ref).Bind(2, after_created_at).Bind(3, after_seq).Bind(4, limit);
  return ReadMessages(query, user.user_id);
}

Result<std::vector<model::Message>> QueryUserMessages(Connection& db, const model::UserRef& user,
                                                      std::int64_t after_seq, int limit) {
  std::vector<model::Message> messages;
  if (limit <= 0) return messages;
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return messages;
  // messages_by_user holds (user_ref, seq): one range seek per page, no sort.
  ASSIGN_OR_RETURN(Statement query, db.Prepare("SELECT " LOCI_SQLITE_MESSAGE_COLUMNS
                                               " FROM messages m JOIN sessions s"
                                               " ON s.id = m.session_ref"
                                               " WHERE m.user_ref = ?1 AND m.seq > ?2"
                                               " ORDER BY m.seq LIMIT ?3"));
  query.Bind(1, *user_ref).Bind(2, after_seq).Bind(3, limit);
  return ReadMessages(query, user.user_id);
}

Result<std::vector<model::Message>> QueryMessagesBySeq(Connection& db, const model::UserRef& user,
                                                       std::span<const std::int64_t> seqs,
                                                       MessageParts parts) {
  std::vector<model::Message> messages;
  if (seqs.empty()) return messages;
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return messages;
  const char* columns = parts == MessageParts::kWhole ? LOCI_SQLITE_MESSAGE_COLUMNS
                                                      : LOCI_SQLITE_MESSAGE_HEADER_COLUMNS;
  ASSIGN_OR_RETURN(Statement query,
                   db.Prepare(std::string("SELECT ") + columns +
                              " FROM messages m JOIN sessions s ON s.id = m.session_ref"
                              " WHERE m.seq = ?1 AND m.user_ref = ?2"));
  query.Bind(2, *user_ref);
  messages.reserve(seqs.size());
  for (std::int64_t seq : seqs) {
    query.Bind(1, seq);
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (row) {
      ASSIGN_OR_RETURN(model::Message message, ReadMessage(query, user.user_id));
      messages.push_back(std::move(message));
    }
    query.Reset();
  }
  return messages;
}

}  // namespace loci::storage::sqlite
