// Contract: session summaries (kept and read back, replaced only over the summary they
// extend and only while the turns they cover are all there, gone with every erasure that
// reaches a covered turn) and forward paging through a session (SessionMessagesAfter).
#include <gtest/gtest.h>

#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using model::UserRef;

const UserRef kAlice{"t1", "alice"};
const UserRef kBob{"t1", "bob"};
const UserRef kOtherAlice{"t2", "alice"};

constexpr UnixMillis kDay = 24LL * 60 * 60 * 1000;
constexpr UnixMillis kNow = 1'700'000'000'000;

SessionSummary Covering(std::string session_id, std::string covers_until, std::int64_t count,
                        std::string text = "Alice moved to Lisbon in May.") {
  SessionSummary summary;
  summary.session_id = std::move(session_id);
  summary.text = std::move(text);
  summary.covers_until = std::move(covers_until);
  summary.message_count = count;
  summary.updated_at = kNow;
  return summary;
}

TEST_P(StoreContractTest, SessionMessagesAfterPagesForwardInSessionOrder) {
  std::string late = PutOne(kAlice, "s1", "late", 30);
  std::string early = PutOne(kAlice, "s1", "early", 10);
  std::string middle = PutOne(kAlice, "s1", "middle", 20);
  PutOne(kAlice, "s2", "elsewhere", 15);

  auto first = store().SessionMessagesAfter(kAlice, "s1", 2, std::nullopt);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].id, early);
  EXPECT_EQ((*first)[0].content, "early");
  EXPECT_EQ((*first)[1].id, middle);
  auto rest = store().SessionMessagesAfter(kAlice, "s1", 10, middle);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].id, late);
  EXPECT_TRUE(store().SessionMessagesAfter(kAlice, "s1", 10, late)->empty());
  EXPECT_TRUE(store().SessionMessagesAfter(kAlice, "s1", 0, std::nullopt)->empty());

  EXPECT_EQ(store().SessionMessagesAfter(kAlice, "nope", 10, std::nullopt).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store().SessionMessagesAfter(kAlice, "s2", 10, late).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store().SessionMessagesAfter(kBob, "s1", 10, std::nullopt).status().code(),
            StatusCode::kNotFound);
}

TEST_P(StoreContractTest, SessionIsOneOfSessions) {
  PutOne(kAlice, "s1", "one", 10);
  PutOne(kAlice, "s1", "two", 20);
  PutOne(kAlice, "s2", "three", 30);
  auto session = store().Session(kAlice, "s1");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  ASSERT_TRUE(session->has_value());
  EXPECT_EQ((*session)->session_id, "s1");
  EXPECT_EQ((*session)->message_count, 2);
  EXPECT_EQ((*session)->first_at, 10);
  EXPECT_EQ((*session)->last_at, 20);
  EXPECT_EQ(*store().Session(kAlice, "nope"), std::nullopt);
  EXPECT_EQ(*store().Session(kBob, "s1"), std::nullopt);
  EXPECT_EQ(*store().Session(kOtherAlice, "s1"), std::nullopt);
}

TEST_P(StoreContractTest, SummaryIsKeptDurablyAndScopedToItsUser) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(PutOne(kAlice, "s1", Numbered("turn", i), 10 + i));
  EXPECT_EQ(*store().Summary(kAlice, "s1"), std::nullopt);
  EXPECT_EQ(*store().Summary(kAlice, "unknown"), std::nullopt);

  ASSERT_TRUE(store().PutSummary(kAlice, Covering("s1", ids[1], 2), 0).ok());
  Reopen();
  auto summary = store().Summary(kAlice, "s1");
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_TRUE(summary->has_value());
  EXPECT_EQ((*summary)->session_id, "s1");
  EXPECT_EQ((*summary)->text, "Alice moved to Lisbon in May.");
  EXPECT_EQ((*summary)->covers_until, ids[1]);
  EXPECT_EQ((*summary)->message_count, 2);
  EXPECT_EQ((*summary)->updated_at, kNow);
  EXPECT_GT((*summary)->covers_until_seq, 0);

  auto all = store().Summaries(kAlice);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].text, "Alice moved to Lisbon in May.");
  EXPECT_EQ(*store().Summary(kBob, "s1"), std::nullopt);
  EXPECT_EQ(*store().Summary(kOtherAlice, "s1"), std::nullopt);
  EXPECT_TRUE(store().Summaries(kOtherAlice)->empty());

  // Extending it replaces it.
  const std::int64_t seq = (*summary)->covers_until_seq;
  ASSERT_TRUE(store().PutSummary(kAlice, Covering("s1", ids[2], 3, "longer"), seq).ok());
  EXPECT_EQ((*store().Summary(kAlice, "s1"))->text, "longer");
  EXPECT_EQ((*store().Summary(kAlice, "s1"))->message_count, 3);
}

TEST_P(StoreContractTest, PutSummaryRefusesWhatWouldNotMatchTheTurns) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(PutOne(kAlice, "s1", Numbered("turn", i), 10 + i));
  std::string other = PutOne(kAlice, "s2", "other", 5);
  // A count that does not match the turns up to covers_until.
  EXPECT_EQ(store().PutSummary(kAlice, Covering("s1", ids[1], 3), 0).code(), StatusCode::kConflict);
  // A covers_until of another session, or of nothing.
  EXPECT_EQ(store().PutSummary(kAlice, Covering("s1", other, 1), 0).code(), StatusCode::kConflict);
  EXPECT_EQ(store().PutSummary(kAlice, Covering("s1", "m_UNKNOWN", 1), 0).code(),
            StatusCode::kConflict);
  EXPECT_EQ(store().PutSummary(kAlice, Covering("nope", ids[0], 1), 0).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store().PutSummary(kBob, Covering("s1", ids[0], 1), 0).code(), StatusCode::kNotFound);
  EXPECT_EQ(*store().Summary(kAlice, "s1"), std::nullopt);

  ASSERT_TRUE(store().PutSummary(kAlice, Covering("s1", ids[0], 1), 0).ok());
  // Only over the summary it extends: not over none, nor over a stale seq.
  EXPECT_EQ(store().PutSummary(kAlice, Covering("s1", ids[1], 2), 0).code(), StatusCode::kConflict);
  const std::int64_t seq = (*store().Summary(kAlice, "s1"))->covers_until_seq;
  EXPECT_EQ(store().PutSummary(kAlice, Covering("s1", ids[1], 2), seq + 1000).code(),
            StatusCode::kConflict);
  EXPECT_EQ((*store().Summary(kAlice, "s1"))->message_count, 1);
}

TEST_P(StoreContractTest, ErasingACoveredMessageDropsTheSummary) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(PutOne(kAlice, "s1", Numbered("turn", i), 10 + i));
  ASSERT_TRUE(store().PutSummary(kAlice, Covering("s1", ids[1], 2), 0).ok());
  // A turn after covers_until is not in the summary: it stays.
  auto erased = store().EraseMessage(kAlice, ids[3]);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_EQ(erased->session_id, "s1");
  EXPECT_FALSE(erased->summary_dropped);
  EXPECT_FALSE(erased->session_removed);
  EXPECT_NE(*store().Summary(kAlice, "s1"), std::nullopt);
  erased = store().EraseMessage(kAlice, ids[0]);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_TRUE(erased->summary_dropped);  // the caller is told to fold the session again
  EXPECT_FALSE(erased->session_removed);
  EXPECT_EQ(*store().Summary(kAlice, "s1"), std::nullopt);
  EXPECT_TRUE(store().Summaries(kAlice)->empty());

  // The turn covered last counts as covered.
  ASSERT_TRUE(store().PutSummary(kAlice, Covering("s1", ids[2], 2), 0).ok());
  erased = store().EraseMessage(kAlice, ids[2]);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_TRUE(erased->summary_dropped);
  EXPECT_EQ(*store().Summary(kAlice, "s1"), std::nullopt);
}

TEST_P(StoreContractTest, ErasingTheLastMessageRemovesTheSessionWithItsSummary) {
  std::string only = PutOne(kAlice, "s1", "the only turn", 10);
  ASSERT_TRUE(store().PutSummary(kAlice, Covering("s1", only, 1), 0).ok());
  auto erased = store().EraseMessage(kAlice, only);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_EQ(erased->session_id, "s1");
  EXPECT_TRUE(erased->session_removed);
  EXPECT_FALSE(erased->summary_dropped);  // nothing is left to fold
  EXPECT_EQ(*store().Summary(kAlice, "s1"), std::nullopt);
}

TEST_P(StoreContractTest, SummariesGoWithTheirSessionAndUser) {
  std::string a = PutOne(kAlice, "s1", "one", 10);
  std::string b = PutOne(kAlice, "s2", "two", 20);
  std::string c = PutOne(kBob, "s1", "three", 30);
  ASSERT_TRUE(store().PutSummary(kAlice, Covering("s1", a, 1), 0).ok());
  ASSERT_TRUE(store().PutSummary(kAlice, Covering("s2", b, 1), 0).ok());
  ASSERT_TRUE(store().PutSummary(kBob, Covering("s1", c, 1), 0).ok());

  ASSERT_TRUE(store().EraseSession(kAlice, "s1").ok());
  PutOne(kAlice, "s1", "again", 40);  // the same id again is a new session
  EXPECT_EQ(*store().Summary(kAlice, "s1"), std::nullopt);
  EXPECT_NE(*store().Summary(kAlice, "s2"), std::nullopt);

  ASSERT_TRUE(store().EraseUser(kAlice).ok());
  EXPECT_TRUE(store().Summaries(kAlice)->empty());
  PutOne(kAlice, "s2", "back", 50);
  EXPECT_EQ(*store().Summary(kAlice, "s2"), std::nullopt);
  EXPECT_NE(*store().Summary(kBob, "s1"), std::nullopt);
}

TEST_P(StoreContractTest, PurgingACoveredMessageDropsTheSummary) {
  std::string old_turn = PutOne(kAlice, "s1", "old", kNow - 40 * kDay);
  std::string recent = PutOne(kAlice, "s1", "recent", kNow - kDay);
  ASSERT_TRUE(store().PutSummary(kAlice, Covering("s1", old_turn, 1), 0).ok());
  PurgeRequest purge;
  purge.now = kNow;
  purge.retention_days = 30;
  auto outcome = store().PurgeExpired(purge);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->messages, 1);
  EXPECT_EQ(*store().Summary(kAlice, "s1"), std::nullopt);
  auto left = Recent(kAlice, "s1");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, recent);
}

}  // namespace
}  // namespace loci::storage::testing
