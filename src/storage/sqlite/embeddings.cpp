#include "storage/sqlite/embeddings.h"

#include <algorithm>
#include <optional>

#include "storage/sqlite/codec.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/work.h"

namespace loci::storage::sqlite {
namespace {

// Parameter numbers of the vectors query; the SQL names only those its filter uses.
constexpr int kUserParam = 1;
constexpr int kModelParam = 2;
constexpr int kSessionParam = 3;
constexpr int kRolesParam = 4;
constexpr int kSinceParam = 5;
constexpr int kUntilParam = 6;
constexpr int kAfterParam = 7;

// The user's vectors of one model in seq order (one range of the table's key), joined to
// their messages for the filter. Attributes are checked in C++ from the message's own list,
// which every message keeps whichever index tier holds it. Statements are cached per SQL
// text, so each filter shape is prepared once per connection.
std::string EmbeddingsSql(const MessageFilter& filter) {
  std::string sql = "SELECT e.seq, m.public_id, s.session_id, m.role, m.created_at, e.vector";
  if (!filter.attributes.empty()) sql += ", m.index_attributes";
  sql +=
      " FROM embeddings e JOIN messages m ON m.seq = e.seq"
      " JOIN sessions s ON s.id = m.session_ref"
      " WHERE e.user_ref = ?1 AND e.model = ?2 AND e.seq > ?7";
  if (filter.session_id) sql += " AND m.session_ref = ?3";
  if (!filter.roles.empty()) sql += " AND ((1 << m.role) & ?4) != 0";
  if (filter.since) sql += " AND m.created_at >= ?5";
  if (filter.until) sql += " AND m.created_at < ?6";
  sql += " ORDER BY e.seq";
  return sql;
}

Result<bool> HoldsAll(std::string_view encoded, const std::vector<std::string>& wanted) {
  ASSIGN_OR_RETURN(std::vector<std::string> attributes, DecodeEntries(encoded));
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& attribute) {
    return std::find(attributes.begin(), attributes.end(), attribute) != attributes.end();
  });
}

// How a vector is written: into a message that holds none yet, or replacing one. The plain
// insert is the cheaper statement (a replace may delete a row, so it needs a statement
// journal).
constexpr char kInsertVector[] =
    "INSERT INTO embeddings (user_ref, model, seq, vector) VALUES (?1, ?2, ?3, ?4)";
constexpr char kReplaceVector[] =
    "INSERT OR REPLACE INTO embeddings (user_ref, model, seq, vector) VALUES (?1, ?2, ?3, ?4)";

Status WriteEmbedding(Connection& db, const char* sql, std::int64_t user_ref, std::int64_t seq,
                      const MessageEmbedding& embedding) {
  ASSIGN_OR_RETURN(Statement write, db.Prepare(sql));
  return write.Bind(1, user_ref)
      .BindText(2, embedding.model)
      .Bind(3, seq)
      .BindBlob(4, embedding.vector)
      .Run();
}

}  // namespace

Status ValidateEmbedding(const MessageEmbedding& embedding, const std::string& field) {
  if (embedding.model.empty()) return InvalidArgument("embedding model is empty", field);
  if (embedding.vector.empty()) return InvalidArgument("embedding vector is empty", field);
  return Status::Ok();
}

Status InsertEmbedding(Connection& db, std::int64_t user_ref, std::int64_t seq,
                       const MessageEmbedding& embedding) {
  return WriteEmbedding(db, kInsertVector, user_ref, seq, embedding);
}

Result<int> ApplyPutEmbeddings(Connection& db, const model::UserRef& user,
                               const std::vector<EmbeddingWrite>& writes) {
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return 0;
  int written = 0;
  for (const EmbeddingWrite& write : writes) {
    std::optional<std::int64_t> seq;
    {
      ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT seq FROM messages"
                                                  " WHERE public_id = ?1 AND user_ref = ?2"));
      find.BindText(1, write.message_id).Bind(2, *user_ref);
      ASSIGN_OR_RETURN(bool row, find.Step());
      if (row) seq = find.Int(0);
    }
    if (!seq) continue;  // erased meanwhile: its vector must not outlive it
    RETURN_IF_ERROR(WriteEmbedding(db, kReplaceVector, *user_ref, *seq, write.embedding));
    ++written;
  }
  return written;
}

Result<std::vector<model::Message>> QueryMessagesWithoutEmbedding(Connection& db,
                                                                  const model::UserRef& user,
                                                                  const std::string& model,
                                                                  std::int64_t after_seq,
                                                                  int limit) {
  std::vector<model::Message> messages;
  if (limit <= 0) return messages;
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return messages;
  ASSIGN_OR_RETURN(
      Statement query,
      db.Prepare("SELECT " LOCI_SQLITE_MESSAGE_COLUMNS
                 " FROM messages m INDEXED BY messages_by_user"
                 " JOIN sessions s ON s.id = m.session_ref"
                 " WHERE m.user_ref = ?1 AND m.seq > ?2 AND NOT EXISTS (SELECT 1 FROM"
                 " embeddings e WHERE e.user_ref = ?1 AND e.model = ?3 AND e.seq = m.seq)"
                 " ORDER BY m.seq LIMIT ?4"));
  query.Bind(1, *user_ref).Bind(2, after_seq).BindText(3, model).Bind(4, limit);
  return ReadMessages(query, user.user_id);
}

Result<std::vector<StoredEmbedding>> QueryEmbeddings(Connection& db, const model::UserRef& user,
                                                     const std::string& model,
                                                     const MessageFilter& filter,
                                                     std::int64_t after_seq) {
  std::vector<StoredEmbedding> embeddings;
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return embeddings;
  std::optional<std::int64_t> session_ref;
  if (filter.session_id) {
    ASSIGN_OR_RETURN(session_ref, FindSession(db, *user_ref, *filter.session_id));
    if (!session_ref) return embeddings;  // no such session: nothing passes the filter
  }
  ASSIGN_OR_RETURN(Statement query, db.Prepare(EmbeddingsSql(filter)));
  query.Bind(kUserParam, *user_ref).BindText(kModelParam, model).Bind(kAfterParam, after_seq);
  if (session_ref) query.Bind(kSessionParam, *session_ref);
  if (!filter.roles.empty()) query.Bind(kRolesParam, RoleMask(filter.roles));
  if (filter.since) query.Bind(kSinceParam, *filter.since);
  if (filter.until) query.Bind(kUntilParam, *filter.until);
  constexpr int kAttributesColumn = 6;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    if (!filter.attributes.empty()) {
      ASSIGN_OR_RETURN(bool passes, HoldsAll(query.View(kAttributesColumn), filter.attributes));
      if (!passes) continue;
    }
    ASSIGN_OR_RETURN(model::Role role, RoleFromCode(query.Int(3)));
    embeddings.push_back({.seq = query.Int(0),
                          .message_id = query.Text(1),
                          .session_id = query.Text(2),
                          .role = role,
                          .created_at = query.Int(4),
                          .vector = query.Text(5)});
  }
  return embeddings;
}

Result<std::int64_t> QueryEmbeddingCount(Connection& db, const model::UserRef& user,
                                         const std::string& model) {
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return 0;
  // Counted on embeddings_by_user, whose entries are keys only: a few MB for 100,000 vectors
  // where the table's leaves hold the vectors themselves.
  ASSIGN_OR_RETURN(Statement count,
                   db.Prepare("SELECT count(*) FROM embeddings INDEXED BY embeddings_by_user"
                              " WHERE user_ref = ?1 AND model = ?2"));
  count.Bind(1, *user_ref).BindText(2, model);
  ASSIGN_OR_RETURN(bool row, count.Step());
  return row ? count.Int(0) : 0;
}

Result<std::int64_t> ApplyDeleteOtherEmbeddings(Connection& db, const model::UserRef& user,
                                                const std::string& model) {
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return 0;
  std::vector<std::string> others;
  {
    ASSIGN_OR_RETURN(Statement models,
                     db.Prepare("SELECT DISTINCT model FROM embeddings INDEXED BY"
                                " embeddings_by_user WHERE user_ref = ?1 AND model != ?2"));
    models.Bind(1, *user_ref).BindText(2, model);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, models.Step());
      if (!row) break;
      others.push_back(models.Text(0));
    }
  }
  std::int64_t deleted = 0;
  for (const std::string& other : others) {
    // One range of the table's key per model, counted on the keys-only index first.
    ASSIGN_OR_RETURN(std::int64_t count, QueryEmbeddingCount(db, user, other));
    ASSIGN_OR_RETURN(Statement erase,
                     db.Prepare("DELETE FROM embeddings WHERE user_ref = ?1 AND model = ?2"));
    RETURN_IF_ERROR(erase.Bind(1, *user_ref).BindText(2, other).Run());
    deleted += count;
  }
  return deleted;
}

Result<int> ApplyMarkStaleEmbeddingWork(Connection& db, const std::string& model,
                                        const WorkMark& mark) {
  // users.document_count is the user's message count; both counts read keys-only indexes, so
  // a user whose vectors are complete costs two index ranges, not a read of the vectors.
  ASSIGN_OR_RETURN(Statement stale,
                   db.Prepare("SELECT u.id FROM users u WHERE u.document_count !="
                              " (SELECT count(*) FROM embeddings INDEXED BY embeddings_by_user"
                              "  WHERE user_ref = u.id AND model = ?1)"
                              " OR EXISTS (SELECT 1 FROM embeddings INDEXED BY embeddings_by_user"
                              "  WHERE user_ref = u.id AND (model < ?1 OR model > ?1))"));
  stale.BindText(1, model);
  std::vector<std::int64_t> users;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stale.Step());
    if (!row) break;
    users.push_back(stale.Int(0));
  }
  for (std::int64_t user_ref : users) RETURN_IF_ERROR(ApplyMarkWork(db, user_ref, {mark}));
  return static_cast<int>(users.size());
}

}  // namespace loci::storage::sqlite
