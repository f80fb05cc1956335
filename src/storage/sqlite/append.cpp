#include "storage/sqlite/append.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <unordered_set>

#include "storage/sqlite/codec.h"
#include "storage/sqlite/embeddings.h"
#include "storage/sqlite/index_writes.h"
#include "storage/sqlite/keys.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/work.h"
#include "util/ids.h"

namespace loci::storage::sqlite {
namespace {

// idempotency.kind. Written to disk: never renumber.
enum class KeyKind : std::int64_t { kMessage = 0, kRequest = 1 };

Result<std::optional<std::string>> FindKey(Connection& db, std::int64_t user_ref, KeyKind kind,
                                           const std::string& key) {
  ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT outcome FROM idempotency"
                                              " WHERE user_ref = ?1 AND kind = ?2 AND key = ?3"));
  find.Bind(1, user_ref).Bind(2, static_cast<std::int64_t>(kind)).BindBlob(3, key);
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(find.Text(0));
}

Status InsertKey(Connection& db, std::int64_t user_ref, KeyKind kind, const std::string& key,
                 const std::string& outcome, UnixMillis now) {
  ASSIGN_OR_RETURN(Statement insert,
                   db.Prepare("INSERT INTO idempotency (user_ref, kind, key, outcome, created_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5)"));
  return insert.Bind(1, user_ref)
      .Bind(2, static_cast<std::int64_t>(kind))
      .BindBlob(3, key)
      .BindBlob(4, outcome)
      .Bind(5, now)
      .Run();
}

Result<std::int64_t> InsertUser(Connection& db, const model::UserRef& user, UnixMillis now) {
  ASSIGN_OR_RETURN(
      Statement insert,
      db.Prepare("INSERT INTO users (tenant, user_id, created_at) VALUES (?1, ?2, ?3)"));
  RETURN_IF_ERROR(insert.BindText(1, user.tenant).BindText(2, user.user_id).Bind(3, now).Run());
  return db.LastInsertRowid();
}

// What an append needs of its session's row.
struct SessionRow {
  std::int64_t id = 0;  // sessions.id
  UnixMillis first_at = 0;
};

Result<SessionRow> FindOrInsertSession(Connection& db, std::int64_t user_ref,
                                       const std::string& session_id) {
  {
    ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT id, first_at FROM sessions"
                                                " WHERE user_ref = ?1 AND session_id = ?2"));
    find.Bind(1, user_ref).BindText(2, session_id);
    ASSIGN_OR_RETURN(bool row, find.Step());
    if (row) return SessionRow{.id = find.Int(0), .first_at = find.Int(1)};
  }
  // Counters start empty; AddToSessionAndUser brings them to the stored messages.
  const SessionRow created{.id = 0, .first_at = std::numeric_limits<std::int64_t>::max()};
  ASSIGN_OR_RETURN(Statement insert,
                   db.Prepare("INSERT INTO sessions"
                              " (user_ref, session_id, message_count, first_at, last_at, last_seq)"
                              " VALUES (?1, ?2, 0, ?3, ?4, 0)"));
  RETURN_IF_ERROR(insert.Bind(1, user_ref)
                      .BindText(2, session_id)
                      .Bind(3, created.first_at)
                      .Bind(4, std::numeric_limits<std::int64_t>::min())
                      .Run());
  return SessionRow{.id = db.LastInsertRowid(), .first_at = created.first_at};
}

// Inserts one message row, which carries its index entries (the unmerged tier); returns its
// seq.
Result<std::int64_t> InsertMessage(Connection& db, std::int64_t user_ref, std::int64_t session_ref,
                                   const NewMessage& message, const std::string& public_id) {
  std::string index_terms = EncodeTerms(message.terms);
  std::string index_attributes;
  for (const std::string& attribute : message.attributes) AppendEntry(attribute, &index_attributes);

  ASSIGN_OR_RETURN(Statement insert,
                   db.Prepare("INSERT INTO messages (public_id, user_ref, session_ref, role,"
                              " created_at, term_count, token_count, index_terms,"
                              " index_attributes, name, content, metadata)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  RETURN_IF_ERROR(insert.BindText(1, public_id)
                      .Bind(2, user_ref)
                      .Bind(3, session_ref)
                      .Bind(4, RoleCode(message.role))
                      .Bind(5, message.created_at)
                      .Bind(6, message.term_count)
                      .Bind(7, message.token_count)
                      .BindBlob(8, index_terms)
                      .BindBlob(9, index_attributes)
                      .BindOptionalBlob(10, message.name)
                      .BindBlob(11, message.content)
                      .BindBlob(12, message.metadata_json)
                      .Run());
  return db.LastInsertRowid();
}

// What the stored messages add to their session and user.
struct Additions {
  std::int64_t messages = 0;
  std::int64_t length = 0;
  std::int64_t entries = 0;  // index entries (terms and attributes)
  UnixMillis first_at = std::numeric_limits<UnixMillis>::max();
  UnixMillis last_at = std::numeric_limits<UnixMillis>::min();
  std::int64_t last_seq = 0;
};

// Adds `added` to the session's and the user's counters, whose rows were read in this
// transaction as `session` and `user`; returns the user's unmerged index entries after the
// addition. Knowing the rows spares re-reading them, and spares moving the session's entry
// in sessions_by_first_at when its first message stays the first.
Result<std::int64_t> AddToSessionAndUser(Connection& db, const UserRow& user,
                                         const SessionRow& session, const Additions& added) {
  const bool earlier = added.first_at < session.first_at;
  ASSIGN_OR_RETURN(Statement update_session,
                   db.Prepare(earlier ? "UPDATE sessions SET message_count = message_count + ?2,"
                                        " first_at = ?3, last_at = max(last_at, ?4),"
                                        " last_seq = ?5 WHERE id = ?1"
                                      : "UPDATE sessions SET message_count = message_count + ?2,"
                                        " last_at = max(last_at, ?4), last_seq = ?5"
                                        " WHERE id = ?1"));
  update_session.Bind(1, session.id)
      .Bind(2, added.messages)
      .Bind(4, added.last_at)
      .Bind(5, added.last_seq);
  if (earlier) update_session.Bind(3, added.first_at);
  RETURN_IF_ERROR(update_session.Run());
  ASSIGN_OR_RETURN(Statement update_user,
                   db.Prepare("UPDATE users SET document_count = document_count + ?2,"
                              " total_length = total_length + ?3,"
                              " unmerged_entries = unmerged_entries + ?4 WHERE id = ?1"));
  RETURN_IF_ERROR(update_user.Bind(1, user.id)
                      .Bind(2, added.messages)
                      .Bind(3, added.length)
                      .Bind(4, added.entries)
                      .Run());
  return user.unmerged_entries + added.entries;
}

}  // namespace

Result<UserRow> UserForWrite(Connection& db, const model::UserRef& user, UnixMillis now,
                             const std::string& user_key, bool create_user_key,
                             std::optional<UserRow> found) {
  if (user_key.empty()) {
    if (found) return *std::move(found);
    ASSIGN_OR_RETURN(std::int64_t user_ref, InsertUser(db, user, now));
    return UserRow{.id = user_ref};
  }
  if (!found) {
    if (!create_user_key) return Conflict("the user was erased while the write was in flight");
    ASSIGN_OR_RETURN(std::int64_t user_ref, InsertUser(db, user, now));
    RETURN_IF_ERROR(SetUserKey(db, user_ref, user_key));
    return UserRow{.id = user_ref, .data_key = user_key};
  }
  if (!found->data_key && create_user_key) {  // made keyless, e.g. by a privacy setting
    RETURN_IF_ERROR(SetUserKey(db, found->id, user_key));
    found->data_key = user_key;
    return *std::move(found);
  }
  if (found->data_key != user_key) {
    return Conflict("the user holds another data key than the write was sealed with");
  }
  return *std::move(found);
}

Status ValidateAppend(const AppendRequest& request) {
  if (request.user.tenant.empty()) return InvalidArgument("tenant is empty", "tenant");
  if (request.user.user_id.empty()) return InvalidArgument("user_id is empty", "user_id");
  if (request.session_id.empty()) return InvalidArgument("session_id is empty", "session_id");
  std::unordered_set<std::string_view> keys;
  auto field = [](std::size_t index, std::string_view name) {
    std::string field = "messages[";
    field += std::to_string(index);
    field += "].";
    field += name;
    return field;
  };
  for (std::size_t i = 0; i < request.messages.size(); ++i) {
    const NewMessage& message = request.messages[i];
    if (message.idempotency_key && !keys.insert(*message.idempotency_key).second) {
      return InvalidArgument("idempotency key repeated within the request",
                             field(i, "idempotency_key"));
    }
    for (const TermFrequency& term : message.terms) {
      if (term.count <= 0) return InvalidArgument("term count must be positive", field(i, "terms"));
    }
    if (message.embedding)
      RETURN_IF_ERROR(ValidateEmbedding(*message.embedding, field(i, "embedding")));
  }
  return Status::Ok();
}

Result<AppendOutcome> ApplyAppend(Connection& db, const AppendRequest& request,
                                  std::int64_t merge_threshold) {
  AppendOutcome outcome;
  if (request.messages.empty()) return outcome;
  ASSIGN_OR_RETURN(std::optional<UserRow> found, FindUserRow(db, request.user));
  if (found && request.request_key) {
    ASSIGN_OR_RETURN(std::optional<std::string> previous,
                     FindKey(db, found->id, KeyKind::kRequest, *request.request_key));
    if (previous) {
      ASSIGN_OR_RETURN(outcome.message_ids, DecodeEntries(*previous));
      outcome.duplicates = static_cast<int>(outcome.message_ids.size());
      return outcome;
    }
  }
  ASSIGN_OR_RETURN(const UserRow user, UserForWrite(db, request.user, request.now, request.user_key,
                                                    request.create_user_key, std::move(found)));

  std::optional<SessionRow> session;  // found or created with the first stored message
  Additions added;
  for (const NewMessage& message : request.messages) {
    if (message.idempotency_key) {
      ASSIGN_OR_RETURN(std::optional<std::string> previous,
                       FindKey(db, user.id, KeyKind::kMessage, *message.idempotency_key));
      if (previous) {
        outcome.message_ids.push_back(std::move(*previous));
        ++outcome.duplicates;
        continue;
      }
    }
    if (!session) {
      ASSIGN_OR_RETURN(session, FindOrInsertSession(db, user.id, request.session_id));
    }
    std::string public_id = message.id.empty() ? NewId("m_", request.now) : message.id;
    ASSIGN_OR_RETURN(std::int64_t seq, InsertMessage(db, user.id, session->id, message, public_id));
    if (message.embedding) RETURN_IF_ERROR(InsertEmbedding(db, user.id, seq, *message.embedding));
    added.entries += static_cast<std::int64_t>(message.terms.size() + message.attributes.size());
    if (message.idempotency_key) {
      RETURN_IF_ERROR(InsertKey(db, user.id, KeyKind::kMessage, *message.idempotency_key, public_id,
                                request.now));
    }
    ++added.messages;
    added.length += message.term_count;
    added.first_at = std::min(added.first_at, message.created_at);
    added.last_at = std::max(added.last_at, message.created_at);
    added.last_seq = seq;
    outcome.message_ids.push_back(std::move(public_id));
    ++outcome.stored;
  }
  if (session) {
    ASSIGN_OR_RETURN(std::int64_t unmerged, AddToSessionAndUser(db, user, *session, added));
    if (unmerged >= merge_threshold) RETURN_IF_ERROR(MergeUserEntries(db, user.id));
    RETURN_IF_ERROR(ApplyMarkWork(db, user.id, request.work));
  }
  if (request.request_key) {
    std::string ids;
    for (const std::string& id : outcome.message_ids) AppendEntry(id, &ids);
    RETURN_IF_ERROR(
        InsertKey(db, user.id, KeyKind::kRequest, *request.request_key, ids, request.now));
  }
  return outcome;
}

}  // namespace loci::storage::sqlite
