// Connection: one SQLite connection with its pragmas set and a cache of prepared statements;
// Statement: a borrowed prepared statement that resets itself when it goes out of scope.
//
// Statements are prepared once per connection (SQLITE_PREPARE_PERSISTENT) and reused; the
// reset on scope exit matters because a statement left mid-step would pin a reader's WAL
// snapshot and hide later writes. Thread-safety: a Connection and its Statements must be used
// by one thread at a time (the store gives each connection to the writer thread or to one
// reader at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace loci::storage::sqlite {

struct ConnectionOptions {
  bool create = false;     // create the file when missing (the writer's connection only)
  bool read_only = false;  // PRAGMA query_only: any write through this connection fails
  int busy_timeout_ms = 5000;
  int cache_kib = 16 * 1024;  // page cache size
};

class Connection;

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();  // resets the statement and gives it back to its connection's cache

  // Binders; indexes start at 1. A failed bind is reported by the next Step or Run. Text and
  // blobs are not copied: the bytes must stay alive until the statement is done.
  Statement& Bind(int index, std::int64_t value);
  Statement& BindText(int index, std::string_view value);
  Statement& BindBlob(int index, std::string_view value);
  Statement& BindOptionalText(int index, const std::optional<std::string>& value);
  Statement& BindOptionalBlob(int index, const std::optional<std::string>& value);

  // Advances: true when a row is ready, false when the statement is done; an error as Status.
  Result<bool> Step();
  // Steps to completion, ignoring any rows, then resets so the statement can be bound and run
  // again (bindings are kept until rebound).
  Status Run();
  // Makes the statement ready to run again, e.g. after reading some of its rows.
  void Reset();

  // Column readers for the current row; indexes start at 0.
  std::int64_t Int(int column) const;
  std::string Text(int column) const;                         // text or blob bytes; empty for NULL
  std::optional<std::string> OptionalText(int column) const;  // nullopt for NULL
  std::string_view View(int column) const;  // like Text, valid until the next Step or Reset

 private:
  friend class Connection;
  Statement(Connection* connection, sqlite3_stmt* stmt, bool* in_use);
  void NoteBind(int rc);  // remembers the first failed bind

  Connection* connection_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache entry's flag; null when this Statement owns stmt_
  int bind_error_ = 0;
};

class Connection {
  struct PrivateTag {};

 public:
  // Use Open. (Public only so that make_unique can reach it.)
  Connection(PrivateTag, sqlite3* db) : db_(db) {}
  // Opens `path` and applies the per-connection pragmas of `options` (busy timeout, cache,
  // foreign keys, secure delete, synchronous=FULL, query_only). Unavailable when the file
  // cannot be opened, Corruption when it is not a database.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                  const ConnectionOptions& options);
  ~Connection();  // finalizes the cached statements and closes the connection
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL that takes no parameters, possibly several statements (pragmas, migrations).
  Status Exec(std::string_view sql);

  // Runs one parameterless statement through the statement cache (BEGIN, COMMIT, ...).
  Status Run(std::string_view sql);

  // The cached prepared statement for `sql`, prepared on first use. When the cached one is
  // already in use (a nested query), a fresh uncached statement is prepared instead.
  Result<Statement> Prepare(std::string_view sql);

  // The first column of the first row of `sql` (a pragma or an aggregate); NULL reads as 0
  // or "". Internal when the statement returns no row.
  Result<std::int64_t> QueryInt(std::string_view sql);
  Result<std::string> QueryText(std::string_view sql);

  std::int64_t LastInsertRowid() const;
  std::int64_t Changes() const;  // rows changed by the last INSERT, UPDATE or DELETE
  bool InTransaction() const;    // false once SQLite has rolled a failed transaction back
  std::string LogPath() const;   // the file of the main database's write-ahead log

  // The Status for the non-OK result `rc` of an operation described by `context`.
  Status Error(int rc, std::string_view context) const;

  // Calls `hook` after each commit through this connection, on the committing thread, with the
  // number of frames now in the WAL. This replaces SQLite's automatic checkpoint, which stays
  // off from then on: the hook decides when to checkpoint. It must be cheap and must not use
  // this connection. An empty hook removes the hook (automatic checkpoints stay off).
  void OnWalCommit(std::function<void(int wal_frames)> hook);

 private:
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  sqlite3* db_;
  std::function<void(int)> wal_hook_;
  std::unordered_map<std::string, CachedStatement, StringHash, std::equal_to<>> cache_;
};

}  // namespace loci::storage::sqlite
