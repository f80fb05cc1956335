#include "storage/sqlite/connection.h"

#include <sqlite3.h>

#include <utility>

#include "storage/sqlite/sqlite_error.h"

namespace loci::storage::sqlite {
namespace {

// Enough of the SQL to tell which statement failed; the SQL holds only placeholders.
std::string_view SqlContext(std::string_view sql) {
  constexpr std::size_t kMax = 60;
  return sql.substr(0, kMax);
}

std::string_view SqlContext(sqlite3_stmt* stmt) {
  const char* sql = sqlite3_sql(stmt);
  return SqlContext(sql == nullptr ? std::string_view() : std::string_view(sql));
}

// SQLite's WAL hook: hands the WAL's size to the connection's hook.
int CallWalHook(void* hook, sqlite3* /*db*/, const char* /*schema*/, int wal_frames) {
  (*static_cast<std::function<void(int)>*>(hook))(wal_frames);
  return SQLITE_OK;
}

}  // namespace

Statement::Statement(Connection* connection, sqlite3_stmt* stmt, bool* in_use)
    : connection_(connection), stmt_(stmt), in_use_(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      bind_error_(other.bind_error_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (in_use_ == nullptr) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

void Statement::NoteBind(int rc) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

Statement& Statement::Bind(int index, std::int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::BindText(int index, std::string_view value) {
  // Empty text from a null pointer would bind NULL; point at a terminator instead.
  const char* data = value.empty() ? "" : value.data();
  NoteBind(sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_STATIC, SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view value) {
  // A zero-length blob from a null pointer would bind NULL; bind an empty blob instead.
  static const char kEmpty = 0;
  const char* data = value.empty() ? &kEmpty : value.data();
  NoteBind(sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_STATIC));
  return *this;
}

Statement& Statement::BindOptionalText(int index, const std::optional<std::string>& value) {
  if (value) return BindText(index, *value);
  NoteBind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::BindOptionalBlob(int index, const std::optional<std::string>& value) {
  if (value) return BindBlob(index, *value);
  NoteBind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_ != SQLITE_OK) return connection_->Error(bind_error_, SqlContext(stmt_));
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return connection_->Error(rc, SqlContext(stmt_));
}

Status Statement::Run() {
  for (;;) {
    Result<bool> row = Step();
    if (!row.ok() || !*row) {
      Reset();
      return row.status();
    }
  }
}

void Statement::Reset() { sqlite3_reset(stmt_); }

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const { return std::string(View(column)); }

std::string_view Statement::View(int column) const {
  // sqlite3_column_blob works for text too and never converts encodings.
  const void* data = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return {static_cast<const char*>(data), static_cast<std::size_t>(size)};
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return Text(column);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     const ConnectionOptions& options) {
  if (sqlite3_threadsafe() == 0) return Internal("sqlite: library built without thread support");
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteStatus(rc, "open database", db);
    sqlite3_close_v2(db);
    return status;
  }
  auto connection = std::make_unique<Connection>(PrivateTag{}, db);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // Reading the schema is the first access to the file: a file that is not a database (or a
  // damaged header) fails here, before any pragma could silently do nothing.
  RETURN_IF_ERROR(connection->QueryInt("SELECT count(*) FROM sqlite_schema").status());
  std::string pragmas =
      "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA synchronous=FULL;"
      " PRAGMA temp_store=MEMORY; PRAGMA cache_size=-" +
      std::to_string(options.cache_kib) + ";";
  if (options.read_only) pragmas += " PRAGMA query_only=ON;";
  RETURN_IF_ERROR(connection->Exec(pragmas));
  return connection;
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

Status Connection::Exec(std::string_view sql) {
  std::string copy(sql);  // sqlite3_exec wants a terminated string
  int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, SqlContext(sql));
  return Status::Ok();
}

Status Connection::Run(std::string_view sql) {
  ASSIGN_OR_RETURN(Statement statement, Prepare(sql));
  return statement.Run();
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(this, it->second.stmt, &it->second.in_use);
  }
  sqlite3_stmt* stmt = nullptr;
  bool cache = it == cache_.end();
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(rc, SqlContext(sql));
  }
  if (stmt == nullptr) return Internal("sqlite: empty statement");
  if (!cache) return Statement(this, stmt, nullptr);
  auto [inserted, unused] = cache_.emplace(std::string(sql), CachedStatement{stmt, true});
  return Statement(this, stmt, &inserted->second.in_use);
}

Result<std::int64_t> Connection::QueryInt(std::string_view sql) {
  ASSIGN_OR_RETURN(Statement statement, Prepare(sql));
  ASSIGN_OR_RETURN(bool row, statement.Step());
  if (!row) return Internal("sqlite: no row from " + std::string(SqlContext(sql)));
  return statement.Int(0);
}

Result<std::string> Connection::QueryText(std::string_view sql) {
  ASSIGN_OR_RETURN(Statement statement, Prepare(sql));
  ASSIGN_OR_RETURN(bool row, statement.Step());
  if (!row) return Internal("sqlite: no row from " + std::string(SqlContext(sql)));
  return statement.Text(0);
}

std::int64_t Connection::LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }

std::int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

std::string Connection::LogPath() const {
  sqlite3_filename database = sqlite3_db_filename(db_, "main");
  const char* log = database == nullptr ? nullptr : sqlite3_filename_wal(database);
  return log == nullptr ? std::string() : std::string(log);
}

Status Connection::Error(int rc, std::string_view context) const {
  return SqliteStatus(rc, context, db_);
}

void Connection::OnWalCommit(std::function<void(int wal_frames)> hook) {
  wal_hook_ = std::move(hook);
  // Registering a WAL hook, even none, replaces SQLite's automatic checkpoint (itself a hook).
  sqlite3_wal_hook(db_, wal_hook_ ? CallWalHook : nullptr, &wal_hook_);
}

}  // namespace loci::storage::sqlite
