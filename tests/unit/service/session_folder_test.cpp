#include "service/session_folder.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "unit/test_clocks.h"

namespace loci::service {
namespace {

const model::UserRef kUser{"t1", "u1"};

// Records what it is asked to fold; folds as the extractive summarizer does.
class RecordingSummarizer final : public Summarizer {
 public:
  Result<std::string> Fold(std::string_view previous,
                           std::span<const model::Message> turns) const override {
    std::lock_guard lock(mutex_);
    previous_.emplace_back(previous);
    std::vector<std::string> contents;
    for (const model::Message& turn : turns) contents.push_back(turn.content);
    folds_.push_back(contents);
    return inner_.Fold(previous, turns);
  }
  std::vector<std::vector<std::string>> folds() const {
    std::lock_guard lock(mutex_);
    return folds_;
  }
  std::vector<std::string> previous() const {
    std::lock_guard lock(mutex_);
    return previous_;
  }

 private:
  ExtractiveSummarizer inner_;
  mutable std::mutex mutex_;
  mutable std::vector<std::vector<std::string>> folds_;
  mutable std::vector<std::string> previous_;
};

class FailingSummarizer final : public Summarizer {
 public:
  Result<std::string> Fold(std::string_view /*previous*/,
                           std::span<const model::Message> /*turns*/) const override {
    return Unavailable("summarizer down");
  }
};

class SessionFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::sqlite::SqliteStore::Open({.path = dir_.Path("loci.db")});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  // Stores turns "turn <first>" .. "turn <first + count - 1>", a second apart; returns ids.
  std::vector<std::string> Turns(int first, int count, const std::string& session = "s1") {
    storage::AppendRequest request;
    request.user = kUser;
    request.session_id = session;
    request.now = 1'700'000'000'000;
    for (int i = first; i < first + count; ++i) {
      storage::NewMessage message;
      message.name = i % 2 ? "Ben" : "Ana";
      message.content = "On day " + std::to_string(i) + " Ana met Ben in Porto.";
      message.created_at = 1'700'000'000'000 + i * 1000;
      request.messages.push_back(message);
    }
    auto outcome = store_->AppendAndWait(std::move(request));
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    return outcome.ok() ? outcome->message_ids : std::vector<std::string>();
  }

  std::optional<storage::SessionSummary> Summary(const std::string& session = "s1") {
    auto summary = store_->Summary(kUser, session);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? *summary : std::nullopt;
  }

  loci::testing::TempDir dir_;
  loci::testing::FixedClock clock_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
};

TEST_F(SessionFolderTest, NothingToFoldWhileTheSessionFitsTheWindow) {
  RecordingSummarizer summarizer;
  SessionFolder folder(*store_, summarizer, clock_, {.window = 5});
  EXPECT_EQ(*folder.Fold(kUser, "s1"), 0);  // no such session
  Turns(0, 5);
  EXPECT_EQ(*folder.Lag(kUser, "s1"), 0);
  EXPECT_EQ(*folder.Fold(kUser, "s1"), 0);
  EXPECT_EQ(Summary(), std::nullopt);
  EXPECT_TRUE(summarizer.folds().empty());
}

TEST_F(SessionFolderTest, FoldsTheTurnsOlderThanTheWindowIncrementally) {
  RecordingSummarizer summarizer;
  SessionFolder folder(*store_, summarizer, clock_, {.window = 5, .batch = 4});
  std::vector<std::string> ids = Turns(0, 12);
  EXPECT_EQ(*folder.Lag(kUser, "s1"), 7);
  EXPECT_EQ(*folder.Fold(kUser, "s1"), 7);
  EXPECT_EQ(*folder.Lag(kUser, "s1"), 0);
  auto summary = Summary();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->covers_until, ids[6]);
  EXPECT_EQ(summary->message_count, 7);
  EXPECT_EQ(summary->updated_at, clock_.NowMillis());
  EXPECT_NE(summary->text.find("Ana: On day 0 Ana met Ben in Porto."), std::string::npos);
  EXPECT_EQ(summary->text.find("day 7 "), std::string::npos);  // still in the window
  // Batches of 4: turns 0-3, then 4-6 over the first batch's summary.
  auto folds = summarizer.folds();
  ASSERT_EQ(folds.size(), 2u);
  EXPECT_EQ(folds[0].size(), 4u);
  EXPECT_EQ(folds[1].size(), 3u);
  EXPECT_EQ(folds[1][0], "On day 4 Ana met Ben in Porto.");
  EXPECT_EQ(summarizer.previous()[0], "");
  EXPECT_FALSE(summarizer.previous()[1].empty());

  // The next fold reads only the new turns.
  Turns(12, 3);
  EXPECT_EQ(*folder.Lag(kUser, "s1"), 3);
  EXPECT_EQ(*folder.Fold(kUser, "s1"), 3);
  folds = summarizer.folds();
  ASSERT_EQ(folds.size(), 3u);
  EXPECT_EQ(folds[2], (std::vector<std::string>{"On day 7 Ana met Ben in Porto.",
                                                "On day 8 Ana met Ben in Porto.",
                                                "On day 9 Ana met Ben in Porto."}));
  EXPECT_EQ(Summary()->message_count, 10);
  EXPECT_EQ(*folder.Fold(kUser, "s1"), 0);
}

TEST_F(SessionFolderTest, AnErasedTurnDropsTheSummaryAndTheNextFoldRebuildsIt) {
  RecordingSummarizer summarizer;
  SessionFolder folder(*store_, summarizer, clock_, {.window = 2});
  std::vector<std::string> ids = Turns(0, 6);
  ASSERT_EQ(*folder.Fold(kUser, "s1"), 4);
  ASSERT_TRUE(store_->EraseMessage(kUser, ids[1]).ok());
  EXPECT_EQ(Summary(), std::nullopt);
  EXPECT_EQ(*folder.Lag(kUser, "s1"), 3);
  EXPECT_EQ(*folder.Fold(kUser, "s1"), 3);
  auto summary = Summary();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->message_count, 3);
  EXPECT_EQ(summary->text.find("day 1 "), std::string::npos) << summary->text;
}

TEST_F(SessionFolderTest, AnOlderTurnArrivingLaterMakesItRebuild) {
  RecordingSummarizer summarizer;
  SessionFolder folder(*store_, summarizer, clock_, {.window = 2});
  Turns(10, 6);
  ASSERT_EQ(*folder.Fold(kUser, "s1"), 4);
  Turns(0, 1);  // said before everything folded so far
  Turns(16, 1);
  // Extending fails (the count up to covers_until no longer matches): rebuilt from the start.
  EXPECT_EQ(*folder.Fold(kUser, "s1"), 6);
  auto summary = Summary();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->message_count, 6);
  EXPECT_NE(summary->text.find("day 0 "), std::string::npos) << summary->text;
}

TEST_F(SessionFolderTest, ConcurrentFoldsAgree) {
  RecordingSummarizer summarizer;
  SessionFolder folder(*store_, summarizer, clock_, {.window = 3, .batch = 5});
  Turns(0, 40);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto folded = folder.Fold(kUser, "s1");
      EXPECT_TRUE(folded.ok() || folded.status().code() == StatusCode::kConflict)
          << folded.status().ToString();
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(folder.Fold(kUser, "s1").ok());
  EXPECT_EQ(*folder.Lag(kUser, "s1"), 0);
  EXPECT_EQ(Summary()->message_count, 37);
}

TEST_F(SessionFolderTest, ASummarizerFailureKeepsWhatWasThere) {
  FailingSummarizer summarizer;
  SessionFolder folder(*store_, summarizer, clock_, {.window = 2});
  Turns(0, 5);
  EXPECT_EQ(folder.Fold(kUser, "s1").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(Summary(), std::nullopt);
  EXPECT_EQ(*folder.Lag(kUser, "s1"), 3);
}

}  // namespace
}  // namespace loci::service
