// The background checkpointer: the writer's commits never checkpoint, the checkpointer keeps
// the WAL from growing without bound, a failed checkpoint is counted and retried, and closing
// with a checkpoint in flight loses nothing.
#include "storage/sqlite/checkpointer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "unit/storage/store_contract.h"

namespace loci::storage::sqlite {
namespace {

using storage::testing::Numbered;
using storage::testing::Request;

constexpr int kThreads = 8;
constexpr int kPerThread = 150;
// About a page per message: the load below writes well over SQLite's own threshold of 1000
// frames, so a WAL that never starts over shows that nothing checkpointed it.
const std::string kContent(3000, 'x');

// Waits up to five seconds for `done`.
bool Eventually(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

class CheckpointerTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteStore> OpenStore(int checkpoint_frames) {
    auto store = SqliteStore::Open({.path = path_, .checkpoint_frames = checkpoint_frames});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // kThreads callers each store kPerThread messages, one at a time; true when all succeed.
  // `between` runs on the calling thread while they do.
  static bool StoreMany(
      SqliteStore& store, const std::function<void()>& between = [] {}) {
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          NewMessage message;
          message.content = kContent;
          AppendRequest request = Request({"t1", Numbered("u", t)}, "s", {});
          request.messages.push_back(std::move(message));
          if (!store.AppendAndWait(std::move(request)).ok()) ++failures;
        }
      });
    }
    between();
    for (auto& thread : threads) thread.join();
    return failures.load() == 0;
  }

  // The most frames the WAL file has held: SQLite reuses the file from its beginning when the
  // log starts over, so its size is the high-water mark.
  std::int64_t WalFrames() const {
    constexpr std::int64_t kHeader = 32, kFrameHeader = 24, kPage = 4096;
    auto size = static_cast<std::int64_t>(std::filesystem::file_size(path_ + "-wal"));
    return (size - kHeader) / (kPage + kFrameHeader);
  }

  loci::testing::TempDir dir_;
  std::string path_ = dir_.Path("loci.db");
};

TEST_F(CheckpointerTest, WriterCommitsNeverCheckpoint) {
  auto store = OpenStore(/*checkpoint_frames=*/1'000'000'000);
  ASSERT_TRUE(store);
  ASSERT_TRUE(StoreMany(*store));
  EXPECT_GT(WalFrames(), 2 * 1000) << "the WAL was checkpointed and started over";
  EXPECT_EQ(store->checkpoint_counters().checkpoints, 0);
  store->Close();
  // The last connection to close folds the WAL into the database file and removes it.
  EXPECT_FALSE(std::filesystem::exists(path_ + "-wal"));
  store = OpenStore(1000);
  EXPECT_EQ(store->RecentMessages({"t1", "u0"}, "s", 1000)->size(),
            static_cast<std::size_t>(kPerThread));
}

TEST_F(CheckpointerTest, CheckpointsKeepTheWalSmall) {
  constexpr int kFrames = 100;
  auto store = OpenStore(kFrames);
  ASSERT_TRUE(store);
  ASSERT_TRUE(StoreMany(*store));
  ASSERT_TRUE(StoreMany(*store));  // twice what grew the WAL past 2000 frames without it
  CheckpointCounters counters = store->checkpoint_counters();
  EXPECT_GT(counters.checkpoints, 0);
  EXPECT_EQ(counters.failures, 0);
  // Past the size at which the writer catches up by at most what it committed meanwhile.
  EXPECT_LT(WalFrames(), (Checkpointer::kCatchUpFactor + 6) * kFrames);
  auto report = store->IntegrityCheck();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(*report, "ok");
}

TEST_F(CheckpointerTest, ExplicitCheckpointsSucceedAlongsideBackgroundOnes) {
  auto store = OpenStore(/*checkpoint_frames=*/1);
  ASSERT_TRUE(store);
  int explicit_failures = 0;
  ASSERT_TRUE(StoreMany(*store, [&] {
    for (int i = 0; i < 20; ++i) {
      if (!store->Checkpoint().ok()) ++explicit_failures;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }));
  EXPECT_EQ(explicit_failures, 0);
  EXPECT_GT(store->checkpoint_counters().checkpoints, 0);
  EXPECT_EQ(store->checkpoint_counters().failures, 0);
}

TEST_F(CheckpointerTest, CloseWithCheckpointsInFlightLosesNothing) {
  for (int round = 0; round < 3; ++round) {
    auto store = OpenStore(/*checkpoint_frames=*/1);  // a checkpoint after every commit
    ASSERT_TRUE(store);
    std::atomic<int> stored{0};
    for (int i = 0; i < 300; ++i) {
      NewMessage message;
      message.content = kContent;
      AppendRequest request = Request({"t1", "u"}, "s", {});
      request.messages.push_back(std::move(message));
      store->Append(std::move(request), [&](Result<AppendOutcome> outcome) {
        if (outcome.ok()) ++stored;
      });
    }
    ASSERT_TRUE(Eventually([&] { return store->checkpoint_counters().checkpoints > 0; }));
    store->Close();
    EXPECT_EQ(stored.load(), 300);
    EXPECT_FALSE(std::filesystem::exists(path_ + "-wal"));
  }
  auto store = OpenStore(1000);
  EXPECT_EQ(store->RecentMessages({"t1", "u"}, "s", 2000)->size(), 900u);
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
}

// A checkpointer beside a bare writer, with raw connections to hold SQLite's locks.
class BareCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Connection::Open(path_, {.create = true});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER)").ok());
    auto writer = Writer::Start(std::move(db).value(), 100);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    writer_ = std::move(writer).value();
    auto checkpointer = Checkpointer::Open(path_, {}, /*wal_frames=*/1, *writer_);
    ASSERT_TRUE(checkpointer.ok()) << checkpointer.status().ToString();
    checkpointer_ = std::move(checkpointer).value();
  }
  void TearDown() override {
    checkpointer_.reset();
    writer_.reset();
  }

  std::unique_ptr<Connection> Raw() {
    auto db = Connection::Open(path_, {.busy_timeout_ms = 1500});
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return std::move(db).value();
  }

  Status Insert(int x) {
    return writer_
        ->RunAndWait<bool>([x](Connection& db) -> Result<bool> {
          RETURN_IF_ERROR(db.Exec("INSERT INTO t VALUES (" + std::to_string(x) + ")"));
          return true;
        })
        .status();
  }

  loci::testing::TempDir dir_;
  std::string path_ = dir_.Path("c.db");
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<Checkpointer> checkpointer_;
};

TEST_F(BareCheckpointerTest, WritersAutomaticCheckpointIsOff) {
  auto limit = writer_->RunAndWait<std::int64_t>(
      [](Connection& db) { return db.QueryInt("PRAGMA wal_autocheckpoint"); }, true);
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(*limit, 0);
}

TEST_F(BareCheckpointerTest, CommitsSignalTheCheckpointer) {
  ASSERT_TRUE(Insert(1).ok());
  EXPECT_TRUE(Eventually([&] { return checkpointer_->counters().checkpoints > 0; }));
}

// Another connection's checkpoint holds SQLite's checkpoint lock while it waits for the
// write lock: the background checkpoint gives up, is counted, and succeeds when signalled again.
TEST_F(BareCheckpointerTest, FailedCheckpointIsCountedAndRetried) {
  ASSERT_TRUE(Insert(1).ok());
  ASSERT_TRUE(Eventually([&] { return checkpointer_->counters().checkpoints > 0; }));
  std::int64_t checkpoints = checkpointer_->counters().checkpoints;

  auto holder = Raw();
  ASSERT_TRUE(holder->Exec("BEGIN IMMEDIATE; INSERT INTO t VALUES (2)").ok());
  std::promise<void> started;
  std::thread restart([&] {
    auto other = Raw();
    started.set_value();
    (void)other->QueryInt("PRAGMA wal_checkpoint(RESTART)");  // waits 1.5 s for the writer
  });
  started.get_future().wait();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  checkpointer_->Signal(1'000);
  EXPECT_TRUE(Eventually([&] { return checkpointer_->counters().failures > 0; }));
  EXPECT_EQ(checkpointer_->counters().checkpoints, checkpoints);
  restart.join();
  ASSERT_TRUE(holder->Exec("ROLLBACK").ok());

  checkpointer_->Signal(1'000);
  EXPECT_TRUE(Eventually([&] { return checkpointer_->counters().checkpoints > checkpoints; }));
}

TEST_F(BareCheckpointerTest, SignalsAfterCloseDoNothing) {
  checkpointer_->Close();
  checkpointer_->Close();  // idempotent
  checkpointer_->Signal(1'000);
  ASSERT_TRUE(Insert(1).ok());  // the writer no longer signals
  EXPECT_EQ(checkpointer_->counters().failures, 0);
}

}  // namespace
}  // namespace loci::storage::sqlite
