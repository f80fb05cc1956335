#include "storage/sqlite/preferences.h"

#include <cmath>
#include <set>
#include <vector>

#include "storage/sqlite/append.h"
#include "storage/sqlite/rows.h"

namespace loci::storage::sqlite {
namespace {

constexpr double kMillionths = 1'000'000.0;

int SourceCode(model::PreferenceSource source) { return static_cast<int>(source); }

model::PreferenceSource SourceOf(std::int64_t code) {
  if (code < 0 || code > SourceCode(model::PreferenceSource::kManual)) {
    return model::PreferenceSource::kExplicit;
  }
  return static_cast<model::PreferenceSource>(code);
}

Result<std::vector<std::string>> Evidence(Connection& db, std::int64_t preference_ref) {
  ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT m.public_id FROM preference_evidence e"
                                              " JOIN messages m ON m.seq = e.message_seq"
                                              " WHERE e.preference_ref = ?1 ORDER BY e.position"));
  find.Bind(1, preference_ref);
  std::vector<std::string> ids;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, find.Step());
    if (!row) break;
    ids.push_back(find.Text(0));
  }
  return ids;
}

Result<std::int64_t> RemoveKey(Connection& db, std::int64_t user_ref, const std::string& key) {
  ASSIGN_OR_RETURN(Statement remove,
                   db.Prepare("DELETE FROM preferences WHERE user_ref = ?1 AND key = ?2"));
  RETURN_IF_ERROR(remove.Bind(1, user_ref).BindBlob(2, key).Run());
  return db.Changes();
}

Status Put(Connection& db, std::int64_t user_ref, const model::Preference& preference,
           UnixMillis now) {
  std::int64_t preference_ref = 0;
  {
    ASSIGN_OR_RETURN(
        Statement upsert,
        db.Prepare("INSERT INTO preferences (user_ref, key, value, category, confidence, source,"
                   " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                   " ON CONFLICT (user_ref, key) DO UPDATE SET value = excluded.value,"
                   " category = excluded.category, confidence = excluded.confidence,"
                   " source = excluded.source, updated_at = excluded.updated_at RETURNING id"));
    upsert.Bind(1, user_ref)
        .BindBlob(2, preference.key)
        .BindBlob(3, preference.value)
        .BindText(4, preference.category)
        .Bind(5, std::llround(preference.confidence * kMillionths))
        .Bind(6, SourceCode(preference.source))
        .Bind(7, preference.updated_at != 0 ? preference.updated_at : now);
    ASSIGN_OR_RETURN(bool row, upsert.Step());
    if (!row) return Internal("sqlite: a preference upsert returned no row");
    preference_ref = upsert.Int(0);
    RETURN_IF_ERROR(upsert.Run());
  }
  // New evidence first, then the old goes: the preference is never left without evidence on
  // the way (the trigger would drop it).
  std::set<std::int64_t> kept;
  {
    ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT seq FROM messages"
                                                " WHERE public_id = ?1 AND user_ref = ?2"));
    ASSIGN_OR_RETURN(Statement add,
                     db.Prepare("INSERT INTO preference_evidence (preference_ref, message_seq,"
                                " position) VALUES (?1, ?2, ?3) ON CONFLICT (preference_ref,"
                                " message_seq) DO UPDATE SET position = excluded.position"));
    std::int64_t position = 0;
    for (const std::string& id : preference.evidence) {
      find.BindText(1, id).Bind(2, user_ref);
      ASSIGN_OR_RETURN(bool row, find.Step());
      std::int64_t seq = row ? find.Int(0) : 0;
      find.Reset();
      if (!row) continue;  // not (or no longer) a message of the user
      if (!kept.insert(seq).second) continue;
      RETURN_IF_ERROR(add.Bind(1, preference_ref).Bind(2, seq).Bind(3, position++).Run());
    }
  }
  std::vector<std::int64_t> stale;
  {
    ASSIGN_OR_RETURN(Statement old, db.Prepare("SELECT message_seq FROM preference_evidence"
                                               " WHERE preference_ref = ?1"));
    old.Bind(1, preference_ref);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, old.Step());
      if (!row) break;
      if (!kept.contains(old.Int(0))) stale.push_back(old.Int(0));
    }
  }
  ASSIGN_OR_RETURN(Statement drop, db.Prepare("DELETE FROM preference_evidence"
                                              " WHERE preference_ref = ?1 AND message_seq = ?2"));
  for (std::int64_t seq : stale) RETURN_IF_ERROR(drop.Bind(1, preference_ref).Bind(2, seq).Run());
  return Status::Ok();
}

Status Forget(Connection& db, std::int64_t user_ref, const std::string& key) {
  ASSIGN_OR_RETURN(
      Statement forget,
      db.Prepare("INSERT INTO forgotten_preferences (user_ref, key, through_seq)"
                 " SELECT ?1, ?2, coalesce(max(seq), 0) FROM messages"
                 " WHERE user_ref = ?1 ON CONFLICT (user_ref, key)"
                 " DO UPDATE SET through_seq = max(through_seq, excluded.through_seq)"));
  return forget.Bind(1, user_ref).BindBlob(2, key).Run();
}

Status PutState(Connection& db, std::int64_t user_ref, const PreferenceState& state,
                UnixMillis now) {
  ASSIGN_OR_RETURN(Statement upsert,
                   db.Prepare("INSERT INTO preference_state (user_ref, learned_seq, style,"
                              " updated_at, model_seq) VALUES (?1, ?2, ?3, ?4, ?5)"
                              " ON CONFLICT (user_ref) DO UPDATE SET"
                              " learned_seq = excluded.learned_seq, style = excluded.style,"
                              " updated_at = excluded.updated_at, model_seq = excluded.model_seq"));
  return upsert.Bind(1, user_ref)
      .Bind(2, state.learned_seq)
      .BindBlob(3, state.style)
      .Bind(4, now)
      .Bind(5, state.model_seq)
      .Run();
}

}  // namespace

Result<PreferenceSnapshot> QueryPreferences(Connection& db, const model::UserRef& user) {
  PreferenceSnapshot snapshot;
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return snapshot;
  std::vector<std::int64_t> refs;
  {
    ASSIGN_OR_RETURN(Statement rows,
                     db.Prepare("SELECT id, key, value, category, confidence, source, updated_at"
                                " FROM preferences WHERE user_ref = ?1 ORDER BY key"));
    rows.Bind(1, *user_ref);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, rows.Step());
      if (!row) break;
      refs.push_back(rows.Int(0));
      snapshot.preferences.push_back(
          model::Preference{.key = rows.Text(1),
                            .value = rows.Text(2),
                            .category = rows.Text(3),
                            .confidence = static_cast<double>(rows.Int(4)) / kMillionths,
                            .source = SourceOf(rows.Int(5)),
                            .updated_at = rows.Int(6)});
    }
  }
  for (std::size_t i = 0; i < refs.size(); ++i) {
    ASSIGN_OR_RETURN(snapshot.preferences[i].evidence, Evidence(db, refs[i]));
  }
  ASSIGN_OR_RETURN(Statement state, db.Prepare("SELECT learned_seq, style, model_seq"
                                               " FROM preference_state WHERE user_ref = ?1"));
  state.Bind(1, *user_ref);
  ASSIGN_OR_RETURN(bool row, state.Step());
  if (row) {
    snapshot.state = PreferenceState{
        .learned_seq = state.Int(0), .style = state.Text(1), .model_seq = state.Int(2)};
  }
  return snapshot;
}

Result<std::optional<std::int64_t>> QueryForgottenThrough(Connection& db,
                                                          const model::UserRef& user,
                                                          const std::string& key) {
  ASSIGN_OR_RETURN(Statement find,
                   db.Prepare("SELECT f.through_seq FROM users u JOIN forgotten_preferences f"
                              " ON f.user_ref = u.id WHERE u.tenant = ?1 AND u.user_id = ?2"
                              " AND f.key = ?3"));
  find.BindText(1, user.tenant).BindText(2, user.user_id).BindBlob(3, key);
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(find.Int(0));
}

Status ValidatePreferenceWrite(const PreferenceWrite& write) {
  if (write.user.tenant.empty()) return InvalidArgument("tenant is empty", "tenant");
  if (write.user.user_id.empty()) return InvalidArgument("user_id is empty", "user_id");
  for (const model::Preference& preference : write.put) {
    if (preference.key.empty()) return InvalidArgument("a preference key is empty", "key");
    if (!(preference.confidence >= 0 && preference.confidence <= 1)) {
      return InvalidArgument("a confidence is outside [0, 1]", "confidence");
    }
  }
  for (const std::string& key : write.remove) {
    if (key.empty()) return InvalidArgument("a preference key is empty", "key");
  }
  if (write.forget && write.forget->empty()) {
    return InvalidArgument("a preference key is empty", "key");
  }
  return Status::Ok();
}

Result<std::int64_t> ApplyWritePreferences(Connection& db, const PreferenceWrite& write) {
  ASSIGN_OR_RETURN(std::optional<UserRow> found, FindUserRow(db, write.user));
  ASSIGN_OR_RETURN(UserRow user, UserForWrite(db, write.user, write.now, write.user_key,
                                              write.create_user_key, std::move(found)));
  const std::int64_t user_ref = user.id;
  std::int64_t removed = 0;
  for (const std::string& key : write.remove) {
    ASSIGN_OR_RETURN(std::int64_t count, RemoveKey(db, user_ref, key));
    removed += count;
  }
  if (write.forget) {
    ASSIGN_OR_RETURN(std::int64_t count, RemoveKey(db, user_ref, *write.forget));
    removed += count;
    RETURN_IF_ERROR(Forget(db, user_ref, *write.forget));
  }
  for (const model::Preference& preference : write.put) {
    RETURN_IF_ERROR(Put(db, user_ref, preference, write.now));
  }
  if (write.state) RETURN_IF_ERROR(PutState(db, user_ref, *write.state, write.now));
  return removed;
}

Result<std::int64_t> CountPreferences(Connection& db, std::int64_t user_ref) {
  ASSIGN_OR_RETURN(Statement count,
                   db.Prepare("SELECT count(*) FROM preferences WHERE user_ref = ?1"));
  count.Bind(1, user_ref);
  ASSIGN_OR_RETURN(bool row, count.Step());
  return row ? count.Int(0) : 0;
}

}  // namespace loci::storage::sqlite
