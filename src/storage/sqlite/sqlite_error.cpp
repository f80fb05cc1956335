#include "storage/sqlite/sqlite_error.h"

#include <sqlite3.h>

#include <string>

namespace loci::storage::sqlite {

Status SqliteStatus(int rc, std::string_view context, sqlite3* db) {
  std::string message = "sqlite: ";
  message.append(context);
  message += ": ";
  message += sqlite3_errstr(rc);
  // SQLite's own message names tables, columns and SQL tokens, never bound values: every
  // piece of user data reaches SQLite as a bound parameter.
  if (db != nullptr && sqlite3_errcode(db) == rc) {
    const char* detail = sqlite3_errmsg(db);
    if (detail != nullptr && std::string_view(detail) != sqlite3_errstr(rc)) {
      message += " (";
      message += detail;
      message += ")";
    }
  }
  message += " [code ";
  message += std::to_string(rc);
  message += "]";
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
      return Unavailable(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Corruption(std::move(message));
    default:
      return Internal(std::move(message));
  }
}

}  // namespace loci::storage::sqlite
