#include "storage/sqlite/api_keys.h"

namespace loci::storage::sqlite {
namespace {

#define LOCI_SQLITE_API_KEY_COLUMNS "id, tenant, scope, name, created_at, revoked_at, rate_limit"

std::string_view ScopeText(ApiKeyScope scope) {
  return scope == ApiKeyScope::kAdmin ? "admin" : "app";
}

// Reads a row of LOCI_SQLITE_API_KEY_COLUMNS.
Result<ApiKeyInfo> ReadApiKey(const Statement& row) {
  ApiKeyInfo key;
  key.id = row.Text(0);
  key.tenant = row.Text(1);
  const std::string_view scope = row.View(2);
  if (scope == "app") {
    key.scope = ApiKeyScope::kApp;
  } else if (scope == "admin") {
    key.scope = ApiKeyScope::kAdmin;
  } else {
    return Corruption("sqlite: an API key has an unknown scope");
  }
  key.name = row.Text(3);
  key.created_at = row.Int(4);
  if (row.OptionalText(5)) key.revoked_at = row.Int(5);
  if (row.OptionalText(6)) key.rate_limit = static_cast<int>(row.Int(6));
  return key;
}

// True when `sql` (with one parameter, bound to `text` or `blob`) returns a row.
Result<bool> Exists(Connection& db, std::string_view sql, std::optional<std::string_view> text,
                    std::optional<std::string_view> blob) {
  ASSIGN_OR_RETURN(Statement query, db.Prepare(sql));
  if (text) query.BindText(1, *text);
  if (blob) query.BindBlob(1, *blob);
  return query.Step();
}

}  // namespace

Status ValidateNewApiKey(const NewApiKey& key) {
  if (key.id.empty()) return InvalidArgument("an API key needs an id", "id");
  if (key.tenant.empty()) return InvalidArgument("an API key needs a tenant", "tenant");
  if (key.secret_hash.empty()) {
    return InvalidArgument("an API key needs the hash of its secret", "secret_hash");
  }
  if (key.rate_limit && *key.rate_limit < 0) {
    return InvalidArgument("a rate limit cannot be negative", "rate_limit");
  }
  return Status::Ok();
}

Status InsertApiKey(Connection& db, const NewApiKey& key) {
  // Checked first rather than left to the UNIQUE constraints, whose failure would read as an
  // internal error. The writer's transaction (BEGIN IMMEDIATE) keeps this free of races, also
  // with other processes.
  ASSIGN_OR_RETURN(bool id_taken,
                   Exists(db, "SELECT 1 FROM api_keys WHERE id = ?1", key.id, std::nullopt));
  if (id_taken) return Conflict("an API key with this id exists already");
  ASSIGN_OR_RETURN(bool hash_taken, Exists(db, "SELECT 1 FROM api_keys WHERE secret_hash = ?1",
                                           std::nullopt, key.secret_hash));
  if (hash_taken) return Conflict("an API key with this secret exists already");
  ASSIGN_OR_RETURN(Statement insert,
                   db.Prepare("INSERT INTO api_keys (id, tenant, scope, name, secret_hash,"
                              " created_at, rate_limit) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  insert.BindText(1, key.id)
      .BindText(2, key.tenant)
      .BindText(3, ScopeText(key.scope))
      .BindText(4, key.name)
      .BindBlob(5, key.secret_hash)
      .Bind(6, key.created_at);
  if (key.rate_limit) insert.Bind(7, *key.rate_limit);  // unbound stays NULL
  return insert.Run();
}

Result<UnixMillis> ApplyRevokeApiKey(Connection& db, const std::string& id, UnixMillis now) {
  ASSIGN_OR_RETURN(Statement update,
                   db.Prepare("UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?2)"
                              " WHERE id = ?1 RETURNING revoked_at"));
  update.BindText(1, id).Bind(2, now);
  ASSIGN_OR_RETURN(bool row, update.Step());
  if (!row) return NotFound("no API key has this id");
  const UnixMillis revoked_at = update.Int(0);
  update.Reset();
  return revoked_at;
}

Result<std::vector<ApiKeyInfo>> QueryApiKeys(Connection& db,
                                             const std::optional<std::string>& tenant) {
  ASSIGN_OR_RETURN(Statement query,
                   db.Prepare("SELECT " LOCI_SQLITE_API_KEY_COLUMNS " FROM api_keys"
                              " WHERE ?1 IS NULL OR tenant = ?1 ORDER BY created_at, id"));
  query.BindOptionalText(1, tenant);
  std::vector<ApiKeyInfo> keys;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(ApiKeyInfo key, ReadApiKey(query));
    keys.push_back(std::move(key));
  }
  return keys;
}

Result<std::optional<ApiKeyInfo>> QueryApiKeyByHash(Connection& db, std::string_view secret_hash) {
  ASSIGN_OR_RETURN(Statement query, db.Prepare("SELECT " LOCI_SQLITE_API_KEY_COLUMNS
                                               " FROM api_keys WHERE secret_hash = ?1"));
  query.BindBlob(1, secret_hash);
  ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return std::optional<ApiKeyInfo>();
  ASSIGN_OR_RETURN(ApiKeyInfo key, ReadApiKey(query));
  return std::optional<ApiKeyInfo>(std::move(key));
}

}  // namespace loci::storage::sqlite
