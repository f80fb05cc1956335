// AuditedMemoryService and AuditLog: every operation records one event with its action,
// outcome, count, caller and the user's pseudonym (never the user id), and the admin calls
// read and verify the log.
#include "service/audited_memory_service.h"

#include <gtest/gtest.h>

#include <future>

#include "crypto/primitives.h"
#include "service/memory_service_impl.h"
#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"

namespace loci::service {
namespace {

class FixedClock final : public Clock {
 public:
  UnixMillis NowMillis() const override { return 1683554160000; }
};

class AuditedMemoryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    auto store = storage::sqlite::SqliteStore::Open({.path = dir_.Path("loci.db")});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    inner_ = std::make_unique<MemoryServiceImpl>(*store_, analyzer_, clock_, Limits{});
    audit_ = std::make_unique<AuditLog>(*store_, crypto::RandomKey(), crypto::RandomKey(), clock_);
    service_ = std::make_unique<AuditedMemoryService>(*inner_, *audit_);
  }

  Result<StoreResult> StoreOne(const std::string& user_id, const std::string& content) {
    StoreCommand command;
    command.user_id = user_id;
    command.session_id = "s1";
    IncomingMessage message;
    message.content = content;
    command.messages.push_back(message);
    std::promise<Result<StoreResult>> promise;
    service_->Store(caller_, std::move(command),
                    [&promise](Result<StoreResult> result) { promise.set_value(result); });
    return promise.get_future().get();
  }

  // The newest event of the caller's tenant.
  AuditEntry Last() {
    auto page = audit_->Events(caller_, {.limit = 1000});
    EXPECT_TRUE(page.ok() && !page->events.empty());
    return page.ok() && !page->events.empty() ? page->events.back() : AuditEntry{};
  }

  void ExpectLast(const std::string& action, const std::string& outcome, std::int64_t count,
                  const std::string& user_id = "alice") {
    const AuditEntry event = Last();
    EXPECT_EQ(event.action, action);
    EXPECT_EQ(event.outcome, outcome);
    EXPECT_EQ(event.count, count);
    EXPECT_EQ(event.tenant, "t1");
    EXPECT_EQ(event.key_id, "k_1");
    EXPECT_EQ(event.request_id, "req-1");
    EXPECT_EQ(event.user, user_id.empty() ? "" : audit_->Pseudonym("t1", user_id));
  }

  loci::testing::TempDir dir_;
  text::Analyzer analyzer_;
  FixedClock clock_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  std::unique_ptr<MemoryServiceImpl> inner_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<AuditedMemoryService> service_;
  Caller caller_{"t1", "k_1", "req-1"};
};

TEST_F(AuditedMemoryServiceTest, PseudonymsAreKeyedHexAndSeparateTenants) {
  const std::string pseudonym = audit_->Pseudonym("t1", "alice");
  EXPECT_EQ(pseudonym.size(), 32u);
  EXPECT_EQ(pseudonym.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(audit_->Pseudonym("t1", "alice"), pseudonym);
  EXPECT_NE(audit_->Pseudonym("t2", "alice"), pseudonym);
  EXPECT_NE(audit_->Pseudonym("t1", "alicf"), pseudonym);
  AuditLog other(*store_, crypto::RandomKey(), crypto::RandomKey(), clock_);
  EXPECT_NE(other.Pseudonym("t1", "alice"), pseudonym);
}

TEST_F(AuditedMemoryServiceTest, EveryOperationRecordsItsEvent) {
  ASSERT_TRUE(StoreOne("alice", "hello lisbon").ok());
  ExpectLast("store", "ok", 1);
  ASSERT_TRUE(service_->Context(caller_, {.user_id = "alice"}).ok());
  ExpectLast("context", "ok", 1);
  ASSERT_TRUE(
      service_
          ->Search(caller_, {.user_id = "alice", .query = "lisbon", .mode = SearchMode::kFulltext})
          .ok());
  ExpectLast("search", "ok", 1);
  ASSERT_TRUE(service_->Sessions(caller_, "alice").ok());
  ExpectLast("sessions_list", "ok", 1);
  ASSERT_TRUE(service_->SessionMessages(caller_, {.user_id = "alice", .session_id = "s1"}).ok());
  ExpectLast("session_read", "ok", 1);
  auto exported = service_->Export(caller_, "alice");
  ASSERT_TRUE(exported.ok());
  ExpectLast("export", "ok", 1);
  exported->reset();
  auto stored = StoreOne("alice", "second");
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(service_->EraseMessage(caller_, "alice", stored->message_ids[0]).ok());
  ExpectLast("erase_message", "ok", 1);
  ASSERT_TRUE(service_->EraseSession(caller_, "alice", "s1").ok());
  ExpectLast("erase_session", "ok", 1);
  ASSERT_TRUE(service_->EraseUser(caller_, "alice").ok());
  ExpectLast("erase_user", "ok", 0);
  ASSERT_TRUE(service_->AuditEvents(caller_, {.user_id = "alice"}).ok());
  ExpectLast("audit_list", "ok", 10);
  auto verdict = service_->VerifyAudit(caller_);
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->events, 11);
  ExpectLast("audit_verify", "ok", 11, "");
}

TEST_F(AuditedMemoryServiceTest, CachedContextRecordsAContextEventOnlyWhenItAnswers) {
  ASSERT_TRUE(StoreOne("alice", "hello lisbon").ok());
  const ContextQuery query{.user_id = "alice"};
  EXPECT_EQ(service_->CachedContext(caller_, query), nullptr);
  ExpectLast("store", "ok", 1);  // a miss records nothing: Context, called next, records
  ASSERT_TRUE(service_->Context(caller_, query).ok());
  ExpectLast("context", "ok", 1);
  const auto before = audit_->Events(caller_, {.limit = 1000});
  ASSERT_TRUE(before.ok());
  ASSERT_NE(service_->CachedContext(caller_, query), nullptr);
  ExpectLast("context", "ok", 1);
  const auto after = audit_->Events(caller_, {.limit = 1000});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->events.size(), before->events.size() + 1);
}

TEST_F(AuditedMemoryServiceTest, PreferenceOperationsRecordTheirEvents) {
  auto stored = StoreOne("alice", "I'm vegetarian and I love jazz.");
  ASSERT_TRUE(stored.ok());
  auto preferences = service_->Preferences(caller_, "alice");
  ASSERT_TRUE(preferences.ok()) << preferences.status().ToString();
  ExpectLast("preferences_read", "ok", 2);
  ASSERT_TRUE(
      service_->SetPreference(caller_, {.user_id = "alice", .key = "tone", .value = "warm"}).ok());
  ExpectLast("preference_set", "ok", 1);
  ASSERT_TRUE(service_->ForgetPreference(caller_, "alice", "diet").ok());
  ExpectLast("preference_forget", "ok", 1);
  ASSERT_TRUE(service_->ForgetPreference(caller_, "alice", "diet").ok());
  ExpectLast("preference_forget", "ok", 0);
  ASSERT_TRUE(service_
                  ->Feedback(caller_, {.user_id = "alice",
                                       .session_id = "s1",
                                       .message_id = stored->message_ids[0],
                                       .signal = "too_long"})
                  .ok());
  ExpectLast("feedback", "ok", 1);
  EXPECT_FALSE(
      service_->SetPreference(caller_, {.user_id = "alice", .key = "Bad Key", .value = "x"}).ok());
  ExpectLast("preference_set", "invalid_argument", 0);
}

TEST_F(AuditedMemoryServiceTest, FailuresAreRecordedWithTheirCode) {
  EXPECT_FALSE(service_->SessionMessages(caller_, {.user_id = "alice", .session_id = "nope"}).ok());
  ExpectLast("session_read", "not_found", 0);
  EXPECT_FALSE(StoreOne("alice", std::string(70 * 1024, 'x')).ok());
  ExpectLast("store", "invalid_argument", 0);
  EXPECT_FALSE(service_->Search(caller_, {.user_id = "alice", .query = "x", .limit = 0}).ok());
  ExpectLast("search", "invalid_argument", 0);
}

TEST_F(AuditedMemoryServiceTest, EventsAreFilteredAndPagedWithinTheTenant) {
  ASSERT_TRUE(StoreOne("alice", "one").ok());
  ASSERT_TRUE(StoreOne("bob", "two").ok());
  ASSERT_TRUE(service_->Context(caller_, {.user_id = "alice"}).ok());
  const Caller elsewhere{"t2", "k_2", "req-2"};
  ASSERT_TRUE(service_->Context(elsewhere, {.user_id = "alice"}).ok());

  auto alice = audit_->Events(caller_, {.user_id = "alice"});
  ASSERT_TRUE(alice.ok());
  ASSERT_EQ(alice->events.size(), 2u);
  EXPECT_EQ(alice->events[0].action, "store");
  EXPECT_EQ(alice->events[1].action, "context");
  auto stores = audit_->Events(caller_, {.action = "store"});
  ASSERT_TRUE(stores.ok());
  EXPECT_EQ(stores->events.size(), 2u);
  auto first = audit_->Events(caller_, {.limit = 2});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->events.size(), 2u);
  ASSERT_TRUE(first->next_after.has_value());
  auto second = audit_->Events(caller_, {.after = *first->next_after, .limit = 2});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->events.size(), 1u);
  EXPECT_EQ(second->events[0].action, "context");
  EXPECT_FALSE(second->next_after.has_value());
  auto other_tenant = audit_->Events(elsewhere, {});
  ASSERT_TRUE(other_tenant.ok());
  ASSERT_EQ(other_tenant->events.size(), 1u);
  EXPECT_EQ(other_tenant->events[0].user, audit_->Pseudonym("t2", "alice"));
  EXPECT_EQ(audit_->Events(caller_, {.limit = 0}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(audit_->failed_appends(), 0);
}

// Every audit page of an export (after its messages); each page at most `page` events.
std::vector<AuditEntry> DrainAudit(UserExport& exported, std::size_t page) {
  for (int guard = 0; guard < 1000; ++guard) {
    auto messages = exported.NextPage();
    EXPECT_TRUE(messages.ok());
    if (!messages.ok() || messages->empty()) break;
  }
  std::vector<AuditEntry> events;
  for (int guard = 0; guard < 1000; ++guard) {
    auto next = exported.NextAuditPage();
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || next->empty()) break;
    EXPECT_LE(next->size(), page);
    events.insert(events.end(), next->begin(), next->end());
  }
  return events;
}

TEST_F(AuditedMemoryServiceTest, ExportHoldsTheUsersEventsThroughItsOwn) {
  AuditedMemoryService paged(*inner_, *audit_, /*export_audit_page=*/2);
  ASSERT_TRUE(StoreOne("alice", "hello lisbon").ok());
  ASSERT_TRUE(StoreOne("bob", "hello porto").ok());
  ASSERT_TRUE(service_->Context(caller_, {.user_id = "alice"}).ok());
  ASSERT_TRUE(
      service_
          ->Search(caller_, {.user_id = "alice", .query = "lisbon", .mode = SearchMode::kFulltext})
          .ok());
  ASSERT_TRUE(service_->Privacy(caller_, "alice").ok());
  ASSERT_TRUE(service_->Context({"t2", "k_2", "req-2"}, {.user_id = "alice"}).ok());
  ASSERT_TRUE(service_->AuditEvents(caller_, {}).ok());  // an admin action: no user

  auto exported = paged.Export(caller_, "alice");
  ASSERT_TRUE(exported.ok());
  ASSERT_TRUE(StoreOne("alice", "stored while the export runs").ok());
  const std::vector<AuditEntry> events = DrainAudit(**exported, 2);
  std::vector<std::string> actions;
  for (const AuditEntry& event : events) {
    actions.push_back(event.action);
    EXPECT_EQ(event.user, audit_->Pseudonym("t1", "alice"));
    EXPECT_EQ(event.tenant, "t1");
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"store", "context", "search", "privacy_read", "export"}));
  for (std::size_t i = 1; i < events.size(); ++i) EXPECT_LT(events[i - 1].seq, events[i].seq);
  EXPECT_EQ(events.back().count, 1);  // the export's own event: the messages it holds
  EXPECT_EQ(events.back().request_id, "req-1");
  // Spent: further pages are empty.
  auto after = (*exported)->NextAuditPage();
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());

  // A later export holds the first one's event and the store after it, and ends with its own.
  auto later = service_->Export(caller_, "alice");
  ASSERT_TRUE(later.ok());
  const std::vector<AuditEntry> again = DrainAudit(**later, AuditedMemoryService::kExportAuditPage);
  ASSERT_EQ(again.size(), events.size() + 2);
  EXPECT_EQ(again[events.size()].action, "store");
  EXPECT_EQ(again.back().action, "export");
  EXPECT_EQ(again.back().count, 2);
}

TEST_F(AuditedMemoryServiceTest, ExportsOfAnotherTenantHoldOnlyThatTenantsEvents) {
  ASSERT_TRUE(StoreOne("alice", "one").ok());
  const Caller elsewhere{"t2", "k_2", "req-2"};
  std::promise<Result<StoreResult>> promise;
  StoreCommand command{.user_id = "alice", .session_id = "s1"};
  command.messages.push_back(IncomingMessage{.content = "two"});
  service_->Store(elsewhere, std::move(command),
                  [&promise](Result<StoreResult> result) { promise.set_value(result); });
  ASSERT_TRUE(promise.get_future().get().ok());
  auto exported = service_->Export(elsewhere, "alice");
  ASSERT_TRUE(exported.ok());
  const std::vector<AuditEntry> events =
      DrainAudit(**exported, AuditedMemoryService::kExportAuditPage);
  ASSERT_EQ(events.size(), 2u);
  for (const AuditEntry& event : events) {
    EXPECT_EQ(event.tenant, "t2");
    EXPECT_EQ(event.user, audit_->Pseudonym("t2", "alice"));
  }
}

TEST_F(AuditedMemoryServiceTest, FailedExportHoldsNothingAndIsRecorded) {
  EXPECT_EQ(service_->Export(caller_, "alice").status().code(), StatusCode::kNotFound);
  ExpectLast("export", "not_found", 0);
}

}  // namespace
}  // namespace loci::service
