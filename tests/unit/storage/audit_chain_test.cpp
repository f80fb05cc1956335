// The audit chain against tampering: each test appends a few events through the store, then
// edits the raw SQLite tables as someone holding the database file (but not the master key)
// could, and expects VerifyAuditChain to say where the chain breaks.
#include "storage/audit_chain.h"

#include <gtest/gtest.h>

#include <future>

#include "crypto/primitives.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"

namespace loci::storage::testing {
namespace {

class AuditChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    chain_ = std::make_shared<const AuditChain>(crypto::RandomKey());
    Open();
    for (int i = 1; i <= 5; ++i) Append(i);
  }

  void Open() {
    auto store = sqlite::SqliteStore::Open({.path = path_});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  void Append(int n) {
    AuditEvent event;
    event.at = 1000 + n;
    event.tenant = "t1";
    event.key_id = "k_1";
    event.action = n % 2 == 0 ? "search" : "store";
    event.subject = "pseudonym" + std::to_string(n);
    event.request_id = "req" + std::to_string(n);
    event.outcome = "ok";
    event.count = n;
    std::promise<Result<std::int64_t>> done;
    store_->AppendAudit(chain_, {event},
                        [&done](Result<std::int64_t> seq) { done.set_value(seq); });
    ASSERT_EQ(*done.get_future().get(), n);
  }

  // Runs `sql` on the database file with a connection of its own, the store closed.
  void Tamper(const std::string& sql) {
    store_.reset();
    auto db = sqlite::Connection::Open(path_, {});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE((*db)->Exec(sql).ok()) << sql;
    db->reset();
    Open();
  }

  AuditVerification Verify() {
    auto verdict = VerifyAuditChain(*store_, *chain_, /*page=*/2);
    EXPECT_TRUE(verdict.ok()) << verdict.status().ToString();
    return verdict.ok() ? *verdict : AuditVerification{};
  }

  loci::testing::TempDir dir_;
  std::string path_ = dir_.Path("loci.db");
  std::shared_ptr<const AuditChain> chain_;
  std::unique_ptr<sqlite::SqliteStore> store_;
};

TEST_F(AuditChainTest, AnUntouchedChainVerifies) {
  AuditVerification verdict = Verify();
  EXPECT_TRUE(verdict.ok) << verdict.problem;
  EXPECT_EQ(verdict.events, 5);
  EXPECT_EQ(verdict.first_bad_seq, 0);
}

TEST_F(AuditChainTest, MacDependsOnEveryFieldAndThePreviousMac) {
  AuditEvent event;
  event.seq = 1;
  event.tenant = "t";
  const std::string mac = chain_->Mac("", event);
  EXPECT_EQ(mac.size(), AuditChain::kMacBytes);
  EXPECT_EQ(chain_->Mac("", event), mac);
  EXPECT_NE(chain_->Mac("x", event), mac);
  AuditEvent other = event;
  other.count = 1;
  EXPECT_NE(chain_->Mac("", other), mac);
  other = event;
  other.tenant = "";
  other.key_id = "t";  // the same bytes in another field
  EXPECT_NE(chain_->Mac("", other), mac);
  EXPECT_NE(AuditChain(crypto::RandomKey()).Mac("", event), mac);
}

TEST_F(AuditChainTest, AnEditedEventIsFound) {
  Tamper("UPDATE audit_events SET outcome = 'not_found' WHERE seq = 3");
  AuditVerification verdict = Verify();
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_seq, 3);
  EXPECT_EQ(verdict.events, 2);
  EXPECT_NE(verdict.problem.find("edited"), std::string::npos) << verdict.problem;
}

TEST_F(AuditChainTest, ARemovedEventIsFound) {
  Tamper("DELETE FROM audit_events WHERE seq = 2");
  AuditVerification verdict = Verify();
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_seq, 2);
  EXPECT_NE(verdict.problem.find("removed"), std::string::npos) << verdict.problem;
}

TEST_F(AuditChainTest, AnInsertedEventIsFound) {
  // Make room at 3 (renumbering the later events) and put a copy of event 1 there.
  Tamper(
      "UPDATE audit_events SET seq = -seq WHERE seq >= 3;"
      "UPDATE audit_events SET seq = 1 - seq WHERE seq < 0;"
      "INSERT INTO audit_events SELECT 3, at, tenant, key_id, action, subject, request_id,"
      " outcome, count, mac FROM audit_events WHERE seq = 1;");
  AuditVerification verdict = Verify();
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_seq, 3);
}

TEST_F(AuditChainTest, AnEventAddedAtTheEndIsFound) {
  Tamper(
      "INSERT INTO audit_events SELECT 6, at, tenant, key_id, action, subject, request_id,"
      " outcome, count, mac FROM audit_events WHERE seq = 5;");
  AuditVerification verdict = Verify();
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_seq, 6);
  EXPECT_NE(verdict.problem.find("inserted"), std::string::npos) << verdict.problem;
}

TEST_F(AuditChainTest, ReorderedEventsAreFound) {
  // Swap events 2 and 4 wholesale, macs included.
  Tamper(
      "UPDATE audit_events SET seq = -2 WHERE seq = 2;"
      "UPDATE audit_events SET seq = 2 WHERE seq = 4;"
      "UPDATE audit_events SET seq = 4 WHERE seq = -2;");
  AuditVerification verdict = Verify();
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_seq, 2);
}

TEST_F(AuditChainTest, RemovedNewestEventsAreFound) {
  Tamper("DELETE FROM audit_events WHERE seq >= 4");
  AuditVerification verdict = Verify();
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_seq, 4);
  EXPECT_NE(verdict.problem.find("truncated"), std::string::npos) << verdict.problem;
}

TEST_F(AuditChainTest, TruncationWithTheHeadMovedBackIsFound) {
  // The head set to event 3's seq and mac (both readable), without the chain key for its tag.
  Tamper(
      "DELETE FROM audit_events WHERE seq >= 4;"
      "UPDATE audit_head SET seq = 3, mac = (SELECT mac FROM audit_events WHERE seq = 3);");
  AuditVerification verdict = Verify();
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_seq, 3);
  EXPECT_NE(verdict.problem.find("head"), std::string::npos) << verdict.problem;
}

TEST_F(AuditChainTest, ADeletedHeadIsFound) {
  Tamper("DELETE FROM audit_head");
  AuditVerification verdict = Verify();
  EXPECT_FALSE(verdict.ok);
  EXPECT_NE(verdict.problem.find("head"), std::string::npos) << verdict.problem;
}

TEST_F(AuditChainTest, TheChainContinuesAfterARestart) {
  store_.reset();
  Open();
  Append(6);
  EXPECT_TRUE(Verify().ok);
  EXPECT_EQ(Verify().events, 6);
}

}  // namespace
}  // namespace loci::storage::testing
