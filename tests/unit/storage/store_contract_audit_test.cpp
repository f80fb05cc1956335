// Store contract: the audit log. Events get consecutive seqs in the order they are appended,
// chain under the given key, are read back by tenant with filters and paging, and survive a
// restart and the erasure of their user.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "crypto/primitives.h"
#include "storage/audit_chain.h"
#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

std::shared_ptr<const AuditChain> TestChain() {
  EXPECT_TRUE(crypto::Initialize().ok());
  static const crypto::SecretKey key = crypto::RandomKey();
  return std::make_shared<const AuditChain>(key);
}

AuditEvent Event(std::string tenant, std::string action, std::string subject, UnixMillis at) {
  AuditEvent event;
  event.at = at;
  event.tenant = std::move(tenant);
  event.key_id = "k_1";
  event.action = std::move(action);
  event.subject = std::move(subject);
  event.request_id = "req";
  event.outcome = "ok";
  event.count = 1;
  return event;
}

Result<std::int64_t> AppendAndWait(Store& store, AuditEvent event) {
  std::promise<Result<std::int64_t>> done;
  std::vector<AuditEvent> events;
  events.push_back(std::move(event));
  store.AppendAudit(TestChain(), std::move(events),
                    [&done](Result<std::int64_t> seq) { done.set_value(std::move(seq)); });
  return done.get_future().get();
}

std::vector<std::int64_t> Seqs(const std::vector<AuditEvent>& events) {
  std::vector<std::int64_t> seqs;
  for (const AuditEvent& event : events) seqs.push_back(event.seq);
  return seqs;
}

TEST_P(StoreContractTest, AuditEventsAreNumberedChainedAndFilteredByTenant) {
  EXPECT_EQ(*store().AuditChainHead(), std::nullopt);
  EXPECT_EQ(*AppendAndWait(store(), Event("t1", "store", "p1", 100)), 1);
  EXPECT_EQ(*AppendAndWait(store(), Event("t2", "store", "p2", 200)), 2);
  EXPECT_EQ(*AppendAndWait(store(), Event("t1", "search", "p1", 300)), 3);
  EXPECT_EQ(*AppendAndWait(store(), Event("t1", "store", "p3", 400)), 4);

  auto head = store().AuditChainHead();
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->seq, 4);

  AuditQuery query{.tenant = "t1"};
  EXPECT_EQ(Seqs(*store().AuditEvents(query)), (std::vector<std::int64_t>{1, 3, 4}));
  query.subject = "p1";
  EXPECT_EQ(Seqs(*store().AuditEvents(query)), (std::vector<std::int64_t>{1, 3}));
  query.action = "search";
  EXPECT_EQ(Seqs(*store().AuditEvents(query)), (std::vector<std::int64_t>{3}));
  query = {.tenant = "t1", .since = 300};
  EXPECT_EQ(Seqs(*store().AuditEvents(query)), (std::vector<std::int64_t>{3, 4}));
  query = {.tenant = "t1", .after_seq = 1, .limit = 1};
  EXPECT_EQ(Seqs(*store().AuditEvents(query)), (std::vector<std::int64_t>{3}));
  query = {.tenant = "t3"};
  EXPECT_TRUE(store().AuditEvents(query)->empty());

  const std::vector<AuditEvent> chain = *store().AuditChainPage(0, 10);
  ASSERT_EQ(Seqs(chain), (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(chain[0].mac, TestChain()->Mac("", chain[0]));
  EXPECT_EQ(chain[1].mac, TestChain()->Mac(chain[0].mac, chain[1]));
  EXPECT_EQ(Seqs(*store().AuditChainPage(2, 1)), (std::vector<std::int64_t>{3}));

  auto verdict = VerifyAuditChain(store(), *TestChain(), /*page=*/3);
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->events, 4);
}

TEST_P(StoreContractTest, AuditEventsSurviveRestartAndErasureOfTheirUser) {
  const model::UserRef alice{"t1", "alice"};
  PutOne(alice, "s1", "hello there", 1000);
  ASSERT_TRUE(AppendAndWait(store(), Event("t1", "store", "alice-pseudonym", 1)).ok());
  ASSERT_TRUE(store().EraseUser(alice).ok());
  ASSERT_TRUE(AppendAndWait(store(), Event("t1", "erase_user", "alice-pseudonym", 2)).ok());
  Reopen();
  AuditQuery query{.tenant = "t1", .subject = "alice-pseudonym"};
  EXPECT_EQ(Seqs(*store().AuditEvents(query)), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(*AppendAndWait(store(), Event("t1", "context", "x", 3)), 3);
  auto verdict = VerifyAuditChain(store(), *TestChain());
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->events, 3);
}

TEST_P(StoreContractTest, ConcurrentAuditAppendsFormOneChain) {
  constexpr int kThreads = 4;
  constexpr int kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        EXPECT_TRUE(AppendAndWait(store(), Event(Numbered("t", t), "store", "p", i)).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  auto verdict = VerifyAuditChain(store(), *TestChain(), /*page=*/7);
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->events, kThreads * kEach);
}

TEST_P(StoreContractTest, AuditEventsAppendedTogetherFollowOneAnother) {
  ASSERT_EQ(*AppendAndWait(store(), Event("t1", "store", "p", 1)), 1);
  std::vector<AuditEvent> batch = {Event("t1", "search", "p", 2), Event("t2", "context", "q", 3),
                                   Event("t1", "erase_user", "p", 4)};
  std::promise<Result<std::int64_t>> done;
  store().AppendAudit(TestChain(), std::move(batch),
                      [&done](Result<std::int64_t> first) { done.set_value(std::move(first)); });
  auto first = done.get_future().get();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, 2);
  auto page = store().AuditChainPage(0, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 4u);
  EXPECT_EQ((*page)[1].action, "search");
  EXPECT_EQ((*page)[2].tenant, "t2");
  EXPECT_EQ((*page)[3].seq, 4);
  auto verdict = VerifyAuditChain(store(), *TestChain());
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->events, 4);
}

}  // namespace
}  // namespace loci::storage::testing
