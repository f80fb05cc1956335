// SealedStore: the store contract holds through the encryption layer, and what reaches the
// engine is ciphertext and blinded keys only.
#include "storage/sealed_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "crypto/primitives.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using sqlite::SqliteOptions;
using sqlite::SqliteStore;

crypto::MasterKey NewMasterKey() {
  EXPECT_TRUE(crypto::Initialize().ok());
  return crypto::MasterKey(crypto::RandomKey());
}

class SealedHarness final : public StoreHarness {
 public:
  explicit SealedHarness(int merge_threshold) : merge_threshold_(merge_threshold) {}
  Result<std::unique_ptr<Store>> Open() override {
    ASSIGN_OR_RETURN(
        std::unique_ptr<SqliteStore> engine,
        SqliteStore::Open({.path = dir_.Path("loci.db"), .merge_threshold = merge_threshold_}));
    return std::unique_ptr<Store>(
        std::make_unique<SealedStore>(std::shared_ptr<Store>(std::move(engine)), master_));
  }

 private:
  loci::testing::TempDir dir_;
  crypto::MasterKey master_ = NewMasterKey();
  int merge_threshold_;
};

StoreEngine SealedEngine(std::string name, int merge_threshold) {
  return {std::move(name),
          [merge_threshold] { return std::make_unique<SealedHarness>(merge_threshold); }};
}

INSTANTIATE_TEST_SUITE_P(Sealed, StoreContractTest,
                         ::testing::Values(SealedEngine("Sealed", SqliteOptions{}.merge_threshold),
                                           SealedEngine("SealedMergeAlways", 1)),
                         StoreEngineName);

const model::UserRef kAlice{"t1", "alice"};

// Every byte the store wrote under `dir`, file by file.
std::vector<std::pair<std::string, std::string>> FilesUnder(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    files.emplace_back(entry.path().string(), std::string(std::istreambuf_iterator<char>(in), {}));
  }
  return files;
}

// The files under `dir` that hold `needle`.
std::vector<std::string> FilesHolding(const std::string& dir, std::string_view needle) {
  std::vector<std::string> holding;
  for (const auto& [path, bytes] : FilesUnder(dir)) {
    if (bytes.find(needle) != std::string::npos) holding.push_back(path);
  }
  return holding;
}

class SealedStoreTest : public ::testing::Test {
 protected:
  void Open(const crypto::MasterKey& master) {
    sealed_.reset();
    engine_.reset();
    auto engine = SqliteStore::Open({.path = dir_.Path("loci.db")});
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
    sealed_ = std::make_unique<SealedStore>(engine_, master);
  }
  void SetUp() override { Open(master_); }

  // A message holding `canary` in every field a client writes.
  AppendRequest Canaries(const std::string& canary) {
    NewMessage message;
    message.content = "my secret is " + canary;
    message.name = canary + "-name";
    message.metadata_json = R"({"note":")" + canary + R"("})";
    message.terms = {{canary, 1}, {"secret", 1}};
    message.term_count = 2;
    message.attributes = {"note=" + canary};
    message.idempotency_key = canary + "-key";
    message.created_at = 1000;
    AppendRequest request = Request(kAlice, "s1", {});
    request.messages.push_back(std::move(message));
    request.request_key = canary + "-request";
    return request;
  }

  // The user's current index key, unwrapped from the engine.
  crypto::SecretKey IndexKey(const model::UserRef& user) {
    auto wrapped = engine_->UserKey(user);
    EXPECT_TRUE(wrapped.ok() && wrapped->has_value());
    auto data_key = master_.Unwrap(**wrapped, crypto::UserKeyLabel(user.tenant, user.user_id));
    EXPECT_TRUE(data_key.ok());
    return crypto::DeriveUserKeys(*data_key).index;
  }

  // How many of the user's messages the engine indexes under `blinded`.
  std::size_t EngineHits(const model::UserRef& user, const std::string& blinded) {
    auto postings = engine_->Postings(user, {blinded}, {});
    EXPECT_TRUE(postings.ok() && postings->size() == 1u);
    return postings.ok() && postings->size() == 1u ? (*postings)[0].postings.size() : 0;
  }

  loci::testing::TempDir dir_;
  crypto::MasterKey master_ = NewMasterKey();
  std::shared_ptr<SqliteStore> engine_;
  std::unique_ptr<SealedStore> sealed_;
};

TEST_F(SealedStoreTest, NoFieldReachesTheFilesInPlaintextYetEverythingReadsBack) {
  const std::string canary = "zqxcanary7731";
  auto stored = sealed_->AppendAndWait(Canaries(canary));
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  ASSERT_TRUE(engine_->Checkpoint().ok());
  EXPECT_THAT(FilesHolding(dir_.Path(""), canary), ::testing::IsEmpty());

  auto recent = sealed_->RecentMessages(kAlice, "s1", 10);
  ASSERT_TRUE(recent.ok()) << recent.status().ToString();
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ((*recent)[0].content, "my secret is " + canary);
  EXPECT_EQ((*recent)[0].name, canary + "-name");
  EXPECT_EQ((*recent)[0].metadata_json, R"({"note":")" + canary + R"("})");

  // Search and filters work on the blinded keys.
  auto postings =
      sealed_->Postings(kAlice, {canary, "absent"}, Filter().Attributes({"note=" + canary}));
  ASSERT_TRUE(postings.ok());
  ASSERT_EQ(postings->size(), 2u);
  EXPECT_EQ((*postings)[0].term, canary);
  EXPECT_EQ((*postings)[0].postings.size(), 1u);
  EXPECT_TRUE((*postings)[1].postings.empty());

  // Idempotency keys still match.
  auto again = sealed_->AppendAndWait(Canaries(canary));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->stored, 0);
  EXPECT_EQ(again->message_ids, stored->message_ids);
}

TEST_F(SealedStoreTest, AppendIsAtHandWhileTheUsersDataKeyIsHeld) {
  EXPECT_TRUE(engine_->AppendIsAtHand(kAlice)) << "the engine reads nothing first";
  EXPECT_FALSE(sealed_->AppendIsAtHand(kAlice)) << "the key is still to be made";
  ASSERT_TRUE(sealed_->AppendAndWait(Canaries("first")).ok());
  EXPECT_TRUE(sealed_->AppendIsAtHand(kAlice));
  EXPECT_FALSE(sealed_->AppendIsAtHand({kAlice.tenant, "someone else"}));
  Open(master_);
  EXPECT_FALSE(sealed_->AppendIsAtHand(kAlice)) << "the key is to be read again";
  ASSERT_TRUE(sealed_->AppendAndWait(Canaries("second")).ok());
  EXPECT_TRUE(sealed_->AppendIsAtHand(kAlice));
  ASSERT_TRUE(sealed_->EraseUser(kAlice).ok());
  EXPECT_FALSE(sealed_->AppendIsAtHand(kAlice)) << "erased with the user";
}

TEST_F(SealedStoreTest, SummariesAreSealedAndBoundToTheirSession) {
  const std::string canary = "zqxsummary5521";
  auto first = sealed_->AppendAndWait(Canaries("one"));
  AppendRequest other = Canaries("two");
  other.session_id = "s2";
  auto second = sealed_->AppendAndWait(other);
  ASSERT_TRUE(first.ok() && second.ok());
  SessionSummary summary{.session_id = "s1",
                         .text = "Alice said " + canary,
                         .covers_until = first->message_ids[0],
                         .message_count = 1,
                         .updated_at = 5};
  ASSERT_TRUE(sealed_->PutSummary(kAlice, summary, 0).ok());
  summary.session_id = "s2";
  summary.covers_until = second->message_ids[0];
  summary.text = "Other";
  ASSERT_TRUE(sealed_->PutSummary(kAlice, summary, 0).ok());
  ASSERT_TRUE(engine_->Checkpoint().ok());
  EXPECT_THAT(FilesHolding(dir_.Path(""), canary), ::testing::IsEmpty());
  EXPECT_EQ((*sealed_->Summary(kAlice, "s1"))->text, "Alice said " + canary);
  EXPECT_FALSE((*engine_->Summary(kAlice, "s1"))->text.starts_with("Alice"));

  // Another session's sealed text does not open as this session's.
  auto raw = sqlite::Connection::Open(dir_.Path("loci.db"), {});
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE((*raw)
                  ->Exec("UPDATE summaries SET text ="
                         " (SELECT text FROM summaries ORDER BY session_ref DESC LIMIT 1)")
                  .ok());
  EXPECT_EQ(sealed_->Summary(kAlice, "s1").status().code(), StatusCode::kCorruption);
}

TEST_F(SealedStoreTest, SealedValuesCannotBeMovedBetweenRows) {
  ASSERT_TRUE(sealed_->AppendAndWait(Canaries("first")).ok());
  ASSERT_TRUE(sealed_->AppendAndWait(Canaries("second")).ok());
  auto raw = sqlite::Connection::Open(dir_.Path("loci.db"), {});
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE((*raw)
                  ->Exec("UPDATE messages SET content ="
                         " (SELECT content FROM messages ORDER BY seq LIMIT 1)")
                  .ok());
  auto recent = sealed_->RecentMessages(kAlice, "s1", 10);
  EXPECT_EQ(recent.status().code(), StatusCode::kCorruption);
}

TEST_F(SealedStoreTest, VectorsAreSealedBoundToTheirMessageAndErasedWithTheUser) {
  const std::string canary = "zqxvector5521";
  AppendRequest request = Canaries("c1");
  request.messages.push_back(request.messages[0]);
  request.messages[0].idempotency_key.reset();
  request.messages[1].idempotency_key.reset();
  request.messages[0].embedding = MessageEmbedding{"m", canary + "-with"};
  auto stored = sealed_->AppendAndWait(request);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  auto later = sealed_->PutEmbeddings(kAlice, {{stored->message_ids[1], {"m", canary + "-later"}}});
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  EXPECT_EQ(*later, 1);
  ASSERT_TRUE(engine_->Checkpoint().ok());
  EXPECT_THAT(FilesHolding(dir_.Path(""), canary), ::testing::IsEmpty());

  auto opened = sealed_->Embeddings(kAlice, "m", Filter().Attributes({"note=c1"}), 0);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  ASSERT_EQ(opened->size(), 2u);
  EXPECT_EQ((*opened)[0].vector, canary + "-with");
  EXPECT_EQ((*opened)[1].vector, canary + "-later");
  std::string sealed_vector = (*engine_->Embeddings(kAlice, "m", {}, 0))[0].vector;

  // A vector copied onto another message (or model) does not open.
  auto raw = sqlite::Connection::Open(dir_.Path("loci.db"), {});
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE((*raw)
                  ->Exec("UPDATE embeddings SET vector ="
                         " (SELECT vector FROM embeddings ORDER BY seq LIMIT 1)")
                  .ok());
  EXPECT_EQ(sealed_->Embeddings(kAlice, "m", {}, 0).status().code(), StatusCode::kCorruption);

  ASSERT_TRUE(sealed_->EraseUser(kAlice).ok());
  ASSERT_TRUE(engine_->Checkpoint().ok());
  EXPECT_THAT(FilesHolding(dir_.Path(""), sealed_vector), ::testing::IsEmpty());
}

TEST_F(SealedStoreTest, AnotherMasterKeyReadsNothing) {
  ASSERT_TRUE(sealed_->AppendAndWait(Canaries("c1")).ok());
  ASSERT_TRUE(LoadSystemKey(*sealed_, master_, "audit").ok());
  crypto::MasterKey other = NewMasterKey();
  Open(other);
  EXPECT_EQ(sealed_->RecentMessages(kAlice, "s1", 10).status().code(), StatusCode::kCorruption);
  Result<crypto::SecretKey> system = LoadSystemKey(*sealed_, other, "audit");
  EXPECT_EQ(system.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(system.status().message(), ::testing::HasSubstr("master key"));
}

TEST_F(SealedStoreTest, RotationRewrapsKeysWithoutTouchingData) {
  ASSERT_TRUE(sealed_->AppendAndWait(Canaries("c1")).ok());
  auto audit = LoadSystemKey(*sealed_, master_, "audit");
  ASSERT_TRUE(audit.ok());
  crypto::MasterKey next = NewMasterKey();
  auto rotated = RotateMasterKey(*sealed_, master_, next);
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(*rotated, 2);  // alice's and the audit key

  Open(next);
  auto recent = sealed_->RecentMessages(kAlice, "s1", 10);
  ASSERT_TRUE(recent.ok()) << recent.status().ToString();
  EXPECT_EQ((*recent)[0].content, "my secret is c1");
  auto audit_after = LoadSystemKey(*sealed_, next, "audit");
  ASSERT_TRUE(audit_after.ok());
  EXPECT_TRUE(*audit_after == *audit);

  // The old master key no longer opens anything, and rotating from it fails whole.
  EXPECT_EQ(RotateMasterKey(*sealed_, master_, NewMasterKey()).status().code(),
            StatusCode::kCorruption);
  Open(master_);
  EXPECT_EQ(sealed_->RecentMessages(kAlice, "s1", 10).status().code(), StatusCode::kCorruption);
}

TEST_F(SealedStoreTest, ConcurrentFirstStoresOfAUserAllLand) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      AppendRequest request = Canaries(Numbered("c", t));
      request.messages[0].idempotency_key.reset();
      request.request_key.reset();
      if (!sealed_->AppendAndWait(request).ok()) ++failures;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto recent = sealed_->RecentMessages(kAlice, "s1", 100);
  ASSERT_TRUE(recent.ok()) << recent.status().ToString();
  EXPECT_EQ(recent->size(), 8u);
}

TEST_F(SealedStoreTest, ErasureLeavesNeitherDataNorKeyInAnyFile) {
  ASSERT_TRUE(sealed_->AppendAndWait(Canaries("c1")).ok());
  std::string wrapped = **sealed_->UserKey(kAlice);
  std::string sealed_content = (*engine_->RecentMessages(kAlice, "s1", 1))[0].content;
  ASSERT_TRUE(engine_->Checkpoint().ok());
  ASSERT_FALSE(FilesHolding(dir_.Path(""), wrapped).empty());
  ASSERT_FALSE(FilesHolding(dir_.Path(""), sealed_content).empty());

  auto erased = sealed_->EraseUser(kAlice);
  ASSERT_TRUE(erased.ok());
  EXPECT_TRUE(erased->key_destroyed);
  ASSERT_TRUE(engine_->Checkpoint().ok());
  EXPECT_THAT(FilesHolding(dir_.Path(""), wrapped), ::testing::IsEmpty());
  EXPECT_THAT(FilesHolding(dir_.Path(""), sealed_content), ::testing::IsEmpty());
}

TEST_F(SealedStoreTest, StoreAfterAnUnseenErasureIsSealedUnderANewKey) {
  ASSERT_TRUE(sealed_->AppendAndWait(Canaries("c1")).ok());
  std::string first_key = **sealed_->UserKey(kAlice);
  // Erased behind the sealed store's back (as by another process): its cached key is stale,
  // and the erased key must not come back.
  ASSERT_TRUE(engine_->EraseUser(kAlice).ok());
  auto stored = sealed_->AppendAndWait(Canaries("c2"));
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_NE(**sealed_->UserKey(kAlice), first_key);
  auto recent = sealed_->RecentMessages(kAlice, "s1", 10);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ((*recent)[0].content, "my secret is c2");
}

TEST_F(SealedStoreTest, RememberedTermsAreBlindedUnderTheUsersCurrentKey) {
  ASSERT_TRUE(sealed_->AppendAndWait(Canaries("c1")).ok());
  ASSERT_TRUE(sealed_->AppendAndWait(Canaries("c2")).ok());  // "secret" from the memo
  const crypto::SecretKey first = IndexKey(kAlice);
  EXPECT_EQ(EngineHits(kAlice, BlindValue(first, 't', "secret")), 2u);

  // The erasure takes the memo with the key: the user's next terms are blinded anew.
  ASSERT_TRUE(sealed_->EraseUser(kAlice).ok());
  ASSERT_TRUE(sealed_->AppendAndWait(Canaries("c3")).ok());
  const crypto::SecretKey second = IndexKey(kAlice);
  ASSERT_FALSE(second == first);
  EXPECT_EQ(EngineHits(kAlice, BlindValue(second, 't', "secret")), 1u);
  EXPECT_EQ(EngineHits(kAlice, BlindValue(first, 't', "secret")), 0u);
  auto found = sealed_->Postings(kAlice, {"secret", "c3"}, {});
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].postings.size(), 1u);
  EXPECT_EQ((*found)[1].postings.size(), 1u);
}

}  // namespace
}  // namespace loci::storage::testing
