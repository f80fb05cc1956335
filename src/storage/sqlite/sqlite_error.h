// Turns SQLite result codes into Status, the one place where the engine's errors get their
// domain code: busy/locked and a full disk are Unavailable (retry later), a damaged file is
// Corruption, anything else is Internal.
//
// Messages name the SQLite error and the operation, never a bound value, so they can never
// hold message content. Thread-safety: pure functions; `db` must be used by the calling
// thread only (as for every SQLite connection in the store).
#pragma once

#include <string_view>

#include "util/status.h"

struct sqlite3;

namespace loci::storage::sqlite {

// The Status for the non-OK SQLite result code `rc` (primary or extended), with `context`
// (what was being done, e.g. the leading words of the SQL) and, when `db` is given, SQLite's
// own description of the error.
Status SqliteStatus(int rc, std::string_view context, sqlite3* db = nullptr);

}  // namespace loci::storage::sqlite
