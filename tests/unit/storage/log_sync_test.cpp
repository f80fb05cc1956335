// The write-ahead log file the writer syncs from outside SQLite.
#include "storage/sqlite/log_sync.h"

#include <gtest/gtest.h>

#include "storage/sqlite/connection.h"
#include "temp_dir.h"

namespace loci::storage::sqlite {
namespace {

TEST(LogFileTest, OpensAndSyncsTheLogOfADatabaseInWalMode) {
  loci::testing::TempDir dir;
  auto db = Connection::Open(dir.Path("l.db"), {.create = true});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER)").ok());
  EXPECT_EQ((*db)->LogPath(), dir.Path("l.db") + "-wal");
  auto log = LogFile::Open((*db)->LogPath());
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (1)").ok());
  EXPECT_TRUE((*log)->Sync().ok());
}

TEST(LogFileTest, AMissingLogIsUnavailable) {
  loci::testing::TempDir dir;
  auto log = LogFile::Open(dir.Path("none.db-wal"));
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(log.status().message().find("write-ahead log"), std::string::npos);
}

}  // namespace
}  // namespace loci::storage::sqlite
