// The SQLite engine's merged index tier under the store (index_writes.h): segments merged by
// level, erasure that leaves no posting of an erased message, and the conversion of an index
// of schema version 10 (migration 11). The store contract suite checks what Postings() returns.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "storage/sqlite/codec.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using sqlite::Connection;
using sqlite::ConnectionOptions;
using sqlite::SqliteStore;

const model::UserRef kAlice{"t1", "alice"};
constexpr int kMessages = 70;  // in base 4: 1012, so segments of levels 3, 1, 0 and 0

// Message i: "common" (i % 3 + 1 times), "t<i % 5>", "u<i>"; attribute "a<i % 2>".
NewMessage IndexedMessage(int i) {
  NewMessage message;
  message.content = Numbered("message ", i);
  message.created_at = 1000 + i;
  message.terms = {{"common", i % 3 + 1}, {Numbered("t", i % 5), 1}, {Numbered("u", i), 1}};
  message.term_count = i % 3 + 3;
  message.attributes = {Numbered("a", i % 2)};
  return message;
}

class SqliteIndexTest : public ::testing::Test {
 protected:
  // Stores kMessages messages, one per append, each merged at once; remembers their seqs.
  void StoreMessages(SqliteStore& store) {
    for (int i = 0; i < kMessages; ++i) {
      auto stored =
          store.AppendAndWait(Request(kAlice, Numbered("s", i / 10), {IndexedMessage(i)}));
      ASSERT_TRUE(stored.ok()) << stored.status().ToString();
      ids_.push_back(stored->message_ids[0]);
    }
    auto messages = store.UserMessages(kAlice, 0, 1000);
    ASSERT_TRUE(messages.ok());
    for (const model::Message& message : *messages) seqs_.push_back(message.seq);
    ASSERT_EQ(seqs_.size(), static_cast<std::size_t>(kMessages));
  }

  // The seqs of `term`'s postings that pass `filter`, checking each posting's counts.
  std::vector<std::int64_t> PostingSeqs(SqliteStore& store, const std::string& term,
                                        const MessageFilter& filter = {}) {
    auto postings = store.Postings(kAlice, {term}, filter);
    EXPECT_TRUE(postings.ok()) << postings.status().ToString();
    std::vector<std::int64_t> seqs;
    if (!postings.ok()) return seqs;
    for (const Posting& posting : (*postings)[0].postings) {
      seqs.push_back(posting.seq);
      int i = Index(posting.seq);
      EXPECT_EQ(posting.document_length, i % 3 + 3) << term << " " << i;
      if (term == "common") {
        EXPECT_EQ(posting.term_frequency, i % 3 + 1) << i;
      }
    }
    return seqs;
  }

  // The seqs of the messages i with pick(i), in order.
  template <typename Pick>
  std::vector<std::int64_t> SeqsWhere(Pick pick) {
    std::vector<std::int64_t> seqs;
    for (int i = 0; i < kMessages; ++i) {
      if (pick(i)) seqs.push_back(seqs_[i]);
    }
    return seqs;
  }

  int Index(std::int64_t seq) const {
    for (int i = 0; i < kMessages; ++i) {
      if (seqs_[i] == seq) return i;
    }
    ADD_FAILURE() << "unknown seq " << seq;
    return 0;
  }

  std::unique_ptr<Connection> Raw() {
    auto db = Connection::Open(path_, ConnectionOptions{});
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  // Every posting list of the database: its key and the seqs it holds (over all segments).
  std::map<std::string, std::vector<std::int64_t>> StoredLists() {
    std::map<std::string, std::vector<std::int64_t>> lists;
    auto db = Raw();
    auto rows = db->Prepare("SELECT first_seq, kind, lists FROM postings");
    EXPECT_TRUE(rows.ok());
    while (*rows->Step()) {
      sqlite::ListBlockReader block(rows->View(2));
      std::string_view key;
      std::string_view list;
      while (block.Next(&key, &list)) {
        std::vector<Posting> postings;
        EXPECT_TRUE(sqlite::DecodePostings(list, rows->Int(0), rows->Int(1) == 0, &postings).ok());
        EXPECT_FALSE(postings.empty()) << key;
        for (const Posting& posting : postings) lists[std::string(key)].push_back(posting.seq);
      }
      EXPECT_TRUE(block.status().ok());
    }
    return lists;
  }

  loci::testing::TempDir dir_;
  std::string path_ = dir_.Path("loci.db");
  std::vector<std::string> ids_;
  std::vector<std::int64_t> seqs_;
};

TEST_F(SqliteIndexTest, SegmentsMergeByLevelAndKeepEveryPosting) {
  auto store = SqliteStore::Open({.path = path_, .merge_threshold = 1});
  ASSERT_TRUE(store.ok());
  StoreMessages(**store);
  std::vector<std::int64_t> levels;
  {
    auto db = Raw();
    auto rows = db->Prepare("SELECT level FROM segments ORDER BY first_seq");
    while (*rows->Step()) levels.push_back(rows->Int(0));
    EXPECT_EQ(*db->QueryInt("SELECT unmerged_entries FROM users"), 0);
  }
  EXPECT_EQ(levels, (std::vector<std::int64_t>{3, 1, 0, 0}));

  EXPECT_EQ(PostingSeqs(**store, "common"), SeqsWhere([](int) { return true; }));
  EXPECT_EQ(PostingSeqs(**store, "t2"), SeqsWhere([](int i) { return i % 5 == 2; }));
  EXPECT_EQ(PostingSeqs(**store, "u69"), SeqsWhere([](int i) { return i == 69; }));
  EXPECT_EQ(PostingSeqs(**store, "common", Filter().Attributes({"a1"})),
            SeqsWhere([](int i) { return i % 2 == 1; }));
  EXPECT_EQ(PostingSeqs(**store, "t3", Filter().Session("s2").Attributes({"a0"})),
            SeqsWhere([](int i) { return i / 10 == 2 && i % 5 == 3 && i % 2 == 0; }));
  EXPECT_EQ(PostingSeqs(**store, "common", Filter().Since(1010).Until(1065)),
            SeqsWhere([](int i) { return i >= 10 && i < 65; }));
  EXPECT_TRUE(PostingSeqs(**store, "common", Filter().Attributes({"a0", "a1"})).empty());
}

TEST_F(SqliteIndexTest, ErasureLeavesNoPostingOfAnErasedMessage) {
  auto store = SqliteStore::Open({.path = path_, .merge_threshold = 1});
  ASSERT_TRUE(store.ok());
  StoreMessages(**store);
  ASSERT_TRUE((*store)->EraseMessage(kAlice, ids_[10]).ok());  // in the level-3 segment
  ASSERT_TRUE((*store)->EraseMessage(kAlice, ids_[69]).ok());  // in the newest segment
  ASSERT_TRUE((*store)->EraseSession(kAlice, "s3").ok());      // messages 30..39
  auto erased = [](int i) { return i == 10 || i == 69 || i / 10 == 3; };

  std::set<std::int64_t> erased_seqs;
  for (std::int64_t seq : SeqsWhere(erased)) erased_seqs.insert(seq);
  auto lists = StoredLists();
  for (const auto& [key, seqs] : lists) {
    for (std::int64_t seq : seqs) EXPECT_EQ(erased_seqs.count(seq), 0u) << key << " " << seq;
  }
  EXPECT_EQ(lists.count("u10"), 0u) << "a list left empty is deleted";
  EXPECT_EQ(lists.count("u35"), 0u);
  EXPECT_EQ(lists.count("u11"), 1u);
  EXPECT_EQ(lists["a0"].size(), 35u - 6u);  // even messages less 10, 30, 32, 34, 36, 38

  EXPECT_EQ(PostingSeqs(**store, "common"), SeqsWhere([&](int i) { return !erased(i); }));
  EXPECT_EQ(PostingSeqs(**store, "t0", Filter().Attributes({"a0"})),
            SeqsWhere([&](int i) { return !erased(i) && i % 10 == 0; }));

  ASSERT_TRUE((*store)->EraseUser(kAlice).ok());
  EXPECT_TRUE(StoredLists().empty());
  EXPECT_EQ(*Raw()->QueryInt("SELECT count(*) FROM segments"), 0);
}

TEST_F(SqliteIndexTest, MigrationRebuildsTheIndexFromTheMessages) {
  {
    auto store = SqliteStore::Open({.path = path_, .merge_threshold = 20});
    ASSERT_TRUE(store.ok());
    StoreMessages(**store);
  }
  // Back to schema version 10, the one before segments: its `entries` table, some messages
  // merged into it (and none of the later versions' changes).
  ASSERT_TRUE(Raw()
                  ->Exec(R"sql(
    ALTER TABLE preference_state DROP COLUMN model_seq;
    DROP TABLE postings;
    DROP TABLE segments;
    CREATE TABLE entries (
      user_ref INTEGER NOT NULL, kind INTEGER NOT NULL, key BLOB NOT NULL, seq INTEGER NOT NULL,
      tf INTEGER NOT NULL, doc_len INTEGER NOT NULL,
      PRIMARY KEY (user_ref, kind, key, seq)) WITHOUT ROWID;
    INSERT INTO entries VALUES (1, 0, 'common', 1, 1, 3);
    UPDATE users SET merged_seq = 30, unmerged_entries = 7;
    PRAGMA user_version = 10;
  )sql")
                  .ok());

  auto store = SqliteStore::Open({.path = path_});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  {
    auto db = Raw();
    EXPECT_EQ(*db->QueryInt("PRAGMA user_version"), SqliteStore::SchemaVersion());
    EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'entries'"), 0);
    EXPECT_EQ(*db->QueryInt("SELECT merged_seq FROM users"), seqs_.back());
    EXPECT_EQ(*db->QueryInt("SELECT unmerged_entries FROM users"), 0);
  }
  EXPECT_EQ(PostingSeqs(**store, "common"), SeqsWhere([](int) { return true; }));
  EXPECT_EQ(PostingSeqs(**store, "t4", Filter().Attributes({"a1"})),
            SeqsWhere([](int i) { return i % 5 == 4 && i % 2 == 1; }));
  EXPECT_EQ(*(*store)->IntegrityCheck(), "ok");
}

}  // namespace
}  // namespace loci::storage::testing
