#include "storage/sqlite/keys.h"

#include <cstdint>
#include <vector>

namespace loci::storage::sqlite {

Result<std::optional<std::string>> FindUserKey(Connection& db, const model::UserRef& user) {
  ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT data_key FROM users"
                                              " WHERE tenant = ?1 AND user_id = ?2"));
  find.BindText(1, user.tenant).BindText(2, user.user_id);
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<std::string>();
  return find.OptionalText(0);
}

Status SetUserKey(Connection& db, std::int64_t user_ref, const std::string& wrapped) {
  ASSIGN_OR_RETURN(Statement update, db.Prepare("UPDATE users SET data_key = ?2 WHERE id = ?1"));
  return update.Bind(1, user_ref).BindBlob(2, wrapped).Run();
}

Result<std::string> ApplyEnsureSystemKey(Connection& db, const std::string& name,
                                         const std::string& candidate) {
  ASSIGN_OR_RETURN(Statement insert,
                   db.Prepare("INSERT INTO system_keys (name, wrapped) VALUES (?1, ?2)"
                              " ON CONFLICT (name) DO NOTHING"));
  RETURN_IF_ERROR(insert.BindText(1, name).BindBlob(2, candidate).Run());
  ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT wrapped FROM system_keys WHERE name = ?1"));
  find.BindText(1, name);
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return Internal("sqlite: a system key vanished as it was written");
  return find.Text(0);
}

namespace {

struct StoredKey {
  std::int64_t id = 0;  // users.id; unused for system keys
  KeyOwner owner;
  std::string wrapped;
};

Result<std::vector<StoredKey>> AllKeys(Connection& db) {
  std::vector<StoredKey> keys;
  ASSIGN_OR_RETURN(Statement users, db.Prepare("SELECT id, tenant, user_id, data_key FROM users"
                                               " WHERE data_key IS NOT NULL"));
  for (;;) {
    ASSIGN_OR_RETURN(bool row, users.Step());
    if (!row) break;
    StoredKey& key = keys.emplace_back();
    key.id = users.Int(0);
    key.owner.user = model::UserRef{users.Text(1), users.Text(2)};
    key.wrapped = users.Text(3);
  }
  ASSIGN_OR_RETURN(Statement system, db.Prepare("SELECT name, wrapped FROM system_keys"));
  for (;;) {
    ASSIGN_OR_RETURN(bool row, system.Step());
    if (!row) break;
    StoredKey& key = keys.emplace_back();
    key.owner.system_name = system.Text(0);
    key.wrapped = system.Text(1);
  }
  return keys;
}

}  // namespace

Status ApplyRewrapKeys(Connection& db, const KeyRewrap& rewrap) {
  ASSIGN_OR_RETURN(std::vector<StoredKey> keys, AllKeys(db));
  ASSIGN_OR_RETURN(Statement system,
                   db.Prepare("UPDATE system_keys SET wrapped = ?2 WHERE name = ?1"));
  for (const StoredKey& key : keys) {
    ASSIGN_OR_RETURN(std::string rewrapped, rewrap(key.owner, key.wrapped));
    if (key.owner.user) {
      RETURN_IF_ERROR(SetUserKey(db, key.id, rewrapped));
    } else {
      RETURN_IF_ERROR(system.BindText(1, key.owner.system_name).BindBlob(2, rewrapped).Run());
    }
  }
  return Status::Ok();
}

}  // namespace loci::storage::sqlite
