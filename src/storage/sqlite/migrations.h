// Schema migrations: the numbered steps that build the SQLite schema, and the function that
// brings a database up to date when the store opens.
//
// `PRAGMA user_version` holds the number of the last applied step. Steps are only ever
// appended (never edited once released), each runs at most once, and all pending steps run in
// one transaction, so a crash mid-migration leaves the previous schema intact.
// Thread-safety: Migrate needs exclusive use of the connection; concurrent processes are
// serialized by BEGIN IMMEDIATE.
#pragma once

#include <string_view>

#include "storage/sqlite/connection.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// PRAGMA application_id of a Loci database ("LOCI" in ASCII), so that other SQLite files are
// told apart from a Loci database of an unknown version.
inline constexpr int kApplicationId = 0x4c4f4349;

struct Migration {
  int version;  // 1, 2, ...: the user_version after the step
  std::string_view description;
  std::string_view sql;
  Status (*then)(Connection& db) = nullptr;  // run after `sql`, for what SQL cannot do
};

// The newest schema version this build knows.
int LatestSchemaVersion();

// Applies every step newer than the database's user_version. Conflict when the database is
// newer than this build (written by a later Loci) or is another application's SQLite file;
// the errors of the SQL otherwise (see SqliteStatus).
// REQUIRES: no transaction is open on `db`.
Status Migrate(Connection& db);

}  // namespace loci::storage::sqlite
