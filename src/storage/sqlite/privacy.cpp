#include "storage/sqlite/privacy.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/sqlite/erase.h"
#include "storage/sqlite/index_writes.h"
#include "storage/sqlite/rows.h"

namespace loci::storage::sqlite {
namespace {

constexpr std::int64_t kDayMillis = 24LL * 60 * 60 * 1000;

// The settings in the current row of `row`, whose first four columns are store_messages,
// learn_preferences, retention_days and redact_pii.
model::PrivacySettings ReadSettings(const Statement& row) {
  model::PrivacySettings settings;
  settings.store_messages = row.Int(0) != 0;
  settings.learn_preferences = row.Int(1) != 0;
  if (row.OptionalText(2)) settings.retention_days = static_cast<int>(row.Int(2));
  settings.redact_pii = row.Int(3) != 0;
  return settings;
}

Result<std::int64_t> FindOrInsertUser(Connection& db, const model::UserRef& user, UnixMillis now) {
  ASSIGN_OR_RETURN(Statement insert,
                   db.Prepare("INSERT INTO users (tenant, user_id, created_at) VALUES (?1, ?2, ?3)"
                              " ON CONFLICT (tenant, user_id) DO NOTHING"));
  RETURN_IF_ERROR(insert.BindText(1, user.tenant).BindText(2, user.user_id).Bind(3, now).Run());
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return Internal("sqlite: a user row vanished as it was written");
  return *user_ref;
}

// A session holding expired messages, and the horizon that applies to its user.
struct ExpiredSession {
  std::int64_t user_ref = 0;
  UnixMillis horizon = std::numeric_limits<UnixMillis>::min();  // created_at < horizon expire
};

UnixMillis Horizon(UnixMillis now, std::int64_t days) { return now - days * kDayMillis; }

// Adds the sessions of `query` (rows: session id, user_ref, the user's retention_days or NULL)
// to `sessions`, each with the stricter (later) of the horizons that apply.
Status CollectSessions(Statement& query, std::optional<UnixMillis> global_horizon, UnixMillis now,
                       std::map<std::int64_t, ExpiredSession>& sessions) {
  for (;;) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    std::optional<UnixMillis> horizon = global_horizon;
    if (query.OptionalText(2)) {
      UnixMillis own = Horizon(now, query.Int(2));
      horizon = horizon ? std::max(*horizon, own) : own;
    }
    if (!horizon) continue;
    ExpiredSession& session = sessions[query.Int(0)];
    session.user_ref = query.Int(1);
    session.horizon = std::max(session.horizon, *horizon);
  }
  return Status::Ok();
}

// Sessions that hold messages expired under the operator's horizon or their user's own, at
// most `limit` from each source (each holds at least one expired message).
Result<std::map<std::int64_t, ExpiredSession>> ExpiredSessions(Connection& db,
                                                               const PurgeRequest& request) {
  std::map<std::int64_t, ExpiredSession> sessions;
  std::optional<UnixMillis> global_horizon;
  if (request.retention_days) global_horizon = Horizon(request.now, *request.retention_days);
  if (global_horizon) {
    ASSIGN_OR_RETURN(Statement oldest,
                     db.Prepare("SELECT s.id, s.user_ref, p.retention_days FROM sessions s"
                                " LEFT JOIN privacy p ON p.user_ref = s.user_ref"
                                " WHERE s.first_at < ?1 ORDER BY s.first_at LIMIT ?2"));
    oldest.Bind(1, *global_horizon).Bind(2, request.max_messages);
    RETURN_IF_ERROR(CollectSessions(oldest, global_horizon, request.now, sessions));
  }
  ASSIGN_OR_RETURN(Statement own,
                   db.Prepare("SELECT s.id, s.user_ref, p.retention_days FROM privacy p"
                              " JOIN sessions s ON s.user_ref = p.user_ref"
                              " WHERE p.retention_days IS NOT NULL"
                              " AND s.first_at < ?1 - p.retention_days * ?2 LIMIT ?3"));
  own.Bind(1, request.now).Bind(2, kDayMillis).Bind(3, request.max_messages);
  RETURN_IF_ERROR(CollectSessions(own, global_horizon, request.now, sessions));
  return sessions;
}

// Erases up to `budget` of the session's messages older than its horizon, oldest first.
Result<std::vector<IndexedMessage>> EraseExpired(Connection& db, std::int64_t session_ref,
                                                 const ExpiredSession& session,
                                                 std::int64_t budget) {
  std::vector<IndexedMessage> expired;
  {
    ASSIGN_OR_RETURN(Statement find,
                     db.Prepare("SELECT seq, term_count, index_terms, index_attributes"
                                " FROM messages WHERE session_ref = ?1 AND created_at < ?2"
                                " ORDER BY created_at, seq LIMIT ?3"));
    find.Bind(1, session_ref).Bind(2, session.horizon).Bind(3, budget);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, find.Step());
      if (!row) break;
      expired.push_back({.seq = find.Int(0),
                         .term_count = find.Int(1),
                         .index_terms = find.Text(2),
                         .index_attributes = find.Text(3)});
    }
  }
  RETURN_IF_ERROR(RemoveEntries(db, session.user_ref, expired));
  ASSIGN_OR_RETURN(Statement remove, db.Prepare("DELETE FROM messages WHERE seq = ?1"));
  for (const IndexedMessage& message : expired) RETURN_IF_ERROR(remove.Bind(1, message.seq).Run());
  return expired;
}

Result<model::UserRef> UserOfRef(Connection& db, std::int64_t user_ref) {
  ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT tenant, user_id FROM users WHERE id = ?1"));
  find.Bind(1, user_ref);
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return Internal("sqlite: a session names no user");
  return model::UserRef{find.Text(0), find.Text(1)};
}

}  // namespace

Result<std::optional<model::PrivacySettings>> QueryPrivacy(Connection& db,
                                                           const model::UserRef& user) {
  ASSIGN_OR_RETURN(Statement find,
                   db.Prepare("SELECT p.store_messages, p.learn_preferences, p.retention_days,"
                              " p.redact_pii FROM users u JOIN privacy p ON p.user_ref = u.id"
                              " WHERE u.tenant = ?1 AND u.user_id = ?2"));
  find.BindText(1, user.tenant).BindText(2, user.user_id);
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<model::PrivacySettings>();
  return std::optional<model::PrivacySettings>(ReadSettings(find));
}

Result<model::PrivacySettings> ApplyUpdatePrivacy(Connection& db, const model::UserRef& user,
                                                  const model::PrivacyChange& change,
                                                  UnixMillis now) {
  ASSIGN_OR_RETURN(std::optional<model::PrivacySettings> current, QueryPrivacy(db, user));
  model::PrivacySettings settings = change.AppliedTo(current.value_or(model::PrivacySettings{}));
  ASSIGN_OR_RETURN(std::int64_t user_ref, FindOrInsertUser(db, user, now));
  ASSIGN_OR_RETURN(
      Statement upsert,
      db.Prepare("INSERT INTO privacy (user_ref, store_messages, learn_preferences,"
                 " retention_days, redact_pii, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                 " ON CONFLICT (user_ref) DO UPDATE SET store_messages = excluded.store_messages,"
                 " learn_preferences = excluded.learn_preferences,"
                 " retention_days = excluded.retention_days, redact_pii = excluded.redact_pii,"
                 " updated_at = excluded.updated_at"));
  upsert.Bind(1, user_ref)
      .Bind(2, settings.store_messages ? 1 : 0)
      .Bind(3, settings.learn_preferences ? 1 : 0)
      .Bind(5, settings.redact_pii ? 1 : 0)
      .Bind(6, now);
  if (settings.retention_days) {
    upsert.Bind(4, *settings.retention_days);
  } else {
    upsert.BindOptionalText(4, std::nullopt);
  }
  RETURN_IF_ERROR(upsert.Run());
  return settings;
}

Result<PurgeOutcome> ApplyPurgeExpired(Connection& db, const PurgeRequest& request) {
  PurgeOutcome outcome;
  ASSIGN_OR_RETURN(auto sessions, ExpiredSessions(db, request));
  std::map<std::int64_t, PurgedUser> users;  // by user_ref
  std::int64_t budget = request.max_messages;
  for (const auto& [session_ref, session] : sessions) {
    if (budget <= 0) break;
    ASSIGN_OR_RETURN(std::vector<IndexedMessage> erased,
                     EraseExpired(db, session_ref, session, budget));
    if (erased.empty()) continue;
    std::int64_t length = 0;
    for (const IndexedMessage& message : erased) length += message.term_count;
    const auto count = static_cast<std::int64_t>(erased.size());
    RETURN_IF_ERROR(SubtractFromUser(db, session.user_ref, count, length));
    ASSIGN_OR_RETURN(SessionRefresh refreshed, RefreshSession(db, session_ref));
    PurgedUser& user = users[session.user_ref];
    user.messages += count;
    if (refreshed.removed) ++user.sessions;
    outcome.messages += count;
    budget -= count;
  }
  for (auto& [user_ref, purged] : users) {
    ASSIGN_OR_RETURN(purged.user, UserOfRef(db, user_ref));
    outcome.users.push_back(std::move(purged));
  }
  outcome.more = budget <= 0;
  return outcome;
}

}  // namespace loci::storage::sqlite
