// The SQLite engine: the store contract suite, plus what only SQLite has (WAL, pragmas,
// migrations, integrity checks, group commit counters, damaged files).
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"
#include "temp_dir.h"
#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using sqlite::Connection;
using sqlite::ConnectionOptions;
using sqlite::SqliteOptions;
using sqlite::SqliteStore;

class SqliteHarness final : public StoreHarness {
 public:
  explicit SqliteHarness(int merge_threshold) : merge_threshold_(merge_threshold) {}
  Result<std::unique_ptr<Store>> Open() override {
    ASSIGN_OR_RETURN(
        std::unique_ptr<SqliteStore> store,
        SqliteStore::Open({.path = dir_.Path("loci.db"), .merge_threshold = merge_threshold_}));
    return std::unique_ptr<Store>(std::move(store));
  }

 private:
  loci::testing::TempDir dir_;
  int merge_threshold_;
};

StoreEngine SqliteEngine(std::string name, int merge_threshold) {
  return {std::move(name),
          [merge_threshold] { return std::make_unique<SqliteHarness>(merge_threshold); }};
}

// The index has two tiers (fresh entries, merged entries): run the contract with the default
// threshold (everything stays fresh), with a merge after every store (everything merged), and
// with a small one (a mix, and merges in the middle of the tests).
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values(SqliteEngine("Sqlite", SqliteOptions{}.merge_threshold),
                                           SqliteEngine("SqliteMergeAlways", 1),
                                           SqliteEngine("SqliteMergeOften", 5)),
                         StoreEngineName);
INSTANTIATE_TEST_SUITE_P(Sqlite, EngineContractTest,
                         ::testing::Values(SqliteEngine("Sqlite", SqliteOptions{}.merge_threshold)),
                         StoreEngineName);

const model::UserRef kAlice{"t1", "alice"};

AppendRequest OneMessage(const model::UserRef& user, const std::string& session,
                         std::string content) {
  NewMessage message;
  message.content = std::move(content);
  message.terms = {{"word", 1}};
  message.term_count = 1;
  AppendRequest request = Request(user, session, {});
  request.messages.push_back(std::move(message));
  return request;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteStore> OpenStore() {
    auto store = SqliteStore::Open({.path = path_});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  // A raw connection to the same file, for looking under the store.
  std::unique_ptr<Connection> Raw() {
    auto db = Connection::Open(path_, ConnectionOptions{.create = true});
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  loci::testing::TempDir dir_;
  std::string path_ = dir_.Path("loci.db");
};

TEST_F(SqliteStoreTest, DatabaseIsInWalModeAndMigrated) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto db = Raw();
  EXPECT_EQ(*db->QueryText("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(*db->QueryInt("PRAGMA user_version"), SqliteStore::SchemaVersion());
  EXPECT_EQ(*db->QueryInt("PRAGMA application_id"), sqlite::kApplicationId);
  EXPECT_TRUE(store->Ping().ok());
}

TEST_F(SqliteStoreTest, GivenMessageIdsAreKept) {
  auto store = OpenStore();
  AppendRequest request = OneMessage(kAlice, "s1", "hello");
  request.messages[0].id = "m_given";
  auto stored = store->AppendAndWait(request);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->message_ids, std::vector<std::string>{"m_given"});
  EXPECT_EQ((*store->RecentMessages(kAlice, "s1", 1))[0].id, "m_given");
}

// One process owns the database: work it leased before dying runs at once after a restart.
TEST_F(SqliteStoreTest, LeasesDoNotOutliveTheProcess) {
  constexpr UnixMillis kNow = 1'000;
  {
    auto store = OpenStore();
    AppendRequest request = OneMessage(kAlice, "s1", "hello");
    request.work = {{.kind = "fold", .key = "s1", .due_at = kNow}};
    ASSERT_TRUE(store->AppendAndWait(request).ok());
    ASSERT_EQ(store->ClaimWork(kNow, kNow + 3'600'000, 10)->size(), 1u);
  }
  auto store = OpenStore();
  auto items = store->ClaimWork(kNow, kNow + 3'600'000, 10);
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].key, "s1");
}

TEST_F(SqliteStoreTest, IntegrityCheckAndCheckpoint) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(store->AppendAndWait(OneMessage(kAlice, "s", "x")).ok());
  }
  ASSERT_TRUE(store->EraseMessage(kAlice, store->RecentMessages(kAlice, "s", 1)->at(0).id).ok());
  auto report = store->IntegrityCheck();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(*report, "ok");
  EXPECT_GT(std::filesystem::file_size(path_ + "-wal"), 0u);
  ASSERT_TRUE(store->Checkpoint().ok());
  EXPECT_EQ(std::filesystem::file_size(path_ + "-wal"), 0u);
  EXPECT_EQ(store->RecentMessages(kAlice, "s", 100)->size(), 19u);
}

TEST_F(SqliteStoreTest, GroupCommitBatchesConcurrentAppends) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  const sqlite::WriteCounters before = store->write_counters();  // the store's own setup jobs
  constexpr int kThreads = 16;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        model::UserRef user{"t1", Numbered("u", t)};
        if (!store->AppendAndWait(OneMessage(user, "s", "x")).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  sqlite::WriteCounters counters = store->write_counters();
  EXPECT_EQ(counters.jobs - before.jobs, kThreads * kPerThread);
  EXPECT_LT(counters.transactions - before.transactions, counters.jobs - before.jobs)
      << "no two appends shared a commit";
  for (int t = 0; t < kThreads; ++t) {
    model::UserRef user{"t1", Numbered("u", t)};
    EXPECT_EQ(store->RecentMessages(user, "s", 1000)->size(), static_cast<size_t>(kPerThread));
  }
}

TEST_F(SqliteStoreTest, ClosedStoreReportsUnavailable) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->AppendAndWait(OneMessage(kAlice, "s", "x")).ok());
  store->Close();
  store->Close();  // idempotent
  EXPECT_EQ(store->AppendAndWait(OneMessage(kAlice, "s", "y")).status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(store->RecentMessages(kAlice, "s", 10).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store->EraseUser(kAlice).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store->Ping().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store->Checkpoint().code(), StatusCode::kUnavailable);
}

TEST_F(SqliteStoreTest, CloseFinishesQueuedAppends) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  std::atomic<int> succeeded{0};
  for (int i = 0; i < 200; ++i) {
    store->Append(OneMessage(kAlice, "s", "x"), [&](Result<AppendOutcome> outcome) {
      if (outcome.ok()) ++succeeded;
    });
  }
  store->Close();
  EXPECT_EQ(succeeded.load(), 200);
  store = OpenStore();
  EXPECT_EQ(store->RecentMessages(kAlice, "s", 1000)->size(), 200u);
}

// A process killed at an arbitrary moment loses nothing it acknowledged, and leaves a file
// that opens cleanly.
// Kills a process storing from four threads once it has acknowledged 500 messages, then checks
// that every acknowledged one is there and the database is sound.
void KillWhileStoring(const std::string& path, int checkpoint_frames) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // writes until killed, reporting each acknowledged id
    close(fds[0]);
    auto store = SqliteStore::Open({.path = path, .checkpoint_frames = checkpoint_frames});
    if (!store.ok()) _exit(2);
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&store, fd = fds[1]] {
        for (;;) {
          auto outcome = (*store)->AppendAndWait(OneMessage(kAlice, "s", "x"));
          if (!outcome.ok()) _exit(3);
          std::string line = outcome->message_ids[0] + "\n";  // one write: atomic on a pipe
          if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(4);
        }
      });
    }
    for (auto& writer : writers) writer.join();
    _exit(0);
  }
  close(fds[1]);
  std::vector<std::string> acknowledged;
  FILE* from_child = fdopen(fds[0], "r");
  char line[128];
  while (acknowledged.size() < 500 && fgets(line, sizeof line, from_child) != nullptr) {
    acknowledged.emplace_back(line, strcspn(line, "\n"));
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  fclose(from_child);
  ASSERT_EQ(acknowledged.size(), 500u);

  auto opened = SqliteStore::Open({.path = path});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto& store = *opened;
  auto stored = store->RecentMessages(kAlice, "s", 1'000'000);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  std::set<std::string> ids;
  for (const auto& message : *stored) ids.insert(message.id);
  for (const std::string& id : acknowledged) EXPECT_EQ(ids.count(id), 1u) << id;
  EXPECT_EQ(store->Stats(kAlice)->documents, static_cast<std::int64_t>(stored->size()));
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
}

TEST_F(SqliteStoreTest, KilledProcessKeepsAcknowledgedWrites) {
  KillWhileStoring(path_, SqliteOptions{}.checkpoint_frames);
}

// A checkpoint after almost every commit: the kill lands in the middle of one.
TEST_F(SqliteStoreTest, KilledProcessKeepsAcknowledgedWritesAmidCheckpoints) {
  KillWhileStoring(path_, /*checkpoint_frames=*/1);
}

TEST_F(SqliteStoreTest, MigrationsAreIdempotentOnReopen) {
  for (int round = 0; round < 3; ++round) {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->AppendAndWait(OneMessage(kAlice, "s", "x")).ok());
    EXPECT_EQ(store->RecentMessages(kAlice, "s", 100)->size(), static_cast<size_t>(round + 1));
  }
  EXPECT_EQ(*Raw()->QueryInt("PRAGMA user_version"), SqliteStore::SchemaVersion());
}

TEST_F(SqliteStoreTest, NewerSchemaIsRefused) {
  OpenStore().reset();
  ASSERT_TRUE(
      Raw()
          ->Exec("PRAGMA user_version = " + std::to_string(SqliteStore::SchemaVersion() + 1))
          .ok());
  auto store = SqliteStore::Open({.path = path_});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kConflict);
  EXPECT_NE(store.status().message().find("newer"), std::string::npos) << store.status().message();
}

TEST_F(SqliteStoreTest, AnotherApplicationsDatabaseIsRefused) {
  ASSERT_TRUE(Raw()->Exec("CREATE TABLE theirs (x)").ok());
  auto store = SqliteStore::Open({.path = path_});
  EXPECT_EQ(store.status().code(), StatusCode::kConflict);
}

TEST_F(SqliteStoreTest, GarbageFileIsCorruption) {
  std::mt19937 random(42);
  std::ofstream file(path_, std::ios::binary);
  for (int i = 0; i < 16384; ++i) file.put(static_cast<char>(random()));
  file.close();
  auto store = SqliteStore::Open({.path = path_});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption) << store.status().ToString();
}

TEST_F(SqliteStoreTest, DamagedPagesGiveCleanErrors) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    for (int i = 0; i < 300; ++i) {
      ASSERT_TRUE(store->AppendAndWait(OneMessage(kAlice, "s", std::string(200, 'a'))).ok());
    }
  }
  auto size = std::filesystem::file_size(path_);
  ASSERT_GT(size, 8u * 4096u);
  {
    std::fstream file(path_, std::ios::binary | std::ios::in | std::ios::out);
    std::mt19937 random(7);
    file.seekp(static_cast<std::streamoff>(4096 * 2));  // leave the header page alone
    for (std::uintmax_t i = 4096 * 2; i < size - 4096; ++i) file.put(static_cast<char>(random()));
  }
  auto store = SqliteStore::Open({.path = path_});
  if (!store.ok()) {
    EXPECT_EQ(store.status().code(), StatusCode::kCorruption) << store.status().ToString();
    return;
  }
  auto report = (*store)->IntegrityCheck();
  if (report.ok()) {
    EXPECT_NE(*report, "ok");
  } else {
    EXPECT_EQ(report.status().code(), StatusCode::kCorruption);
  }
  auto read = (*store)->RecentMessages(kAlice, "s", 1000);
  if (!read.ok()) {
    EXPECT_EQ(read.status().code(), StatusCode::kCorruption);
  }
}

TEST_F(SqliteStoreTest, BadPathsAreRefused) {
  EXPECT_EQ(SqliteStore::Open({.path = ":memory:"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SqliteStore::Open({.path = dir_.Path("missing/dir/loci.db")}).status().code(),
            StatusCode::kUnavailable);
}

}  // namespace
}  // namespace loci::storage::testing
