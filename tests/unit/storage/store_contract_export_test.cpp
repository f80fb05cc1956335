// Contract: paging through all of a user's messages (UserMessages), as exports do.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using model::UserRef;

const UserRef kAlice{"t1", "alice"};
const UserRef kBob{"t1", "bob"};
const UserRef kAliceOfT2{"t2", "alice"};

// Every message of the user, `page` at a time; fails the test on error.
std::vector<model::Message> AllPages(Store& store, const UserRef& user, int page) {
  std::vector<model::Message> all;
  std::int64_t after = 0;
  for (int guard = 0; guard < 10'000; ++guard) {
    auto messages = store.UserMessages(user, after, page);
    EXPECT_TRUE(messages.ok()) << messages.status().ToString();
    if (!messages.ok() || messages->empty()) break;
    EXPECT_LE(messages->size(), static_cast<std::size_t>(page));
    after = messages->back().seq;
    for (model::Message& message : *messages) all.push_back(std::move(message));
  }
  return all;
}

std::vector<std::string> Ids(const std::vector<model::Message>& messages) {
  std::vector<std::string> ids;
  for (const model::Message& message : messages) ids.push_back(message.id);
  return ids;
}

TEST_P(StoreContractTest, UserMessagesPageInStoredOrderAcrossSessions) {
  std::vector<std::string> stored;
  // Sessions interleaved and created_at out of order: the order is still the order of storing.
  for (int i = 0; i < 7; ++i) {
    stored.push_back(PutOne(kAlice, Numbered("s", i % 3), Numbered("m", i), 1000 - i * 10));
  }
  for (int page : {1, 2, 3, 7, 100}) {
    std::vector<model::Message> all = AllPages(store(), kAlice, page);
    EXPECT_EQ(Ids(all), stored) << "page " << page;
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end(),
                               [](const auto& a, const auto& b) { return a.seq < b.seq; }));
  }
  std::vector<model::Message> all = AllPages(store(), kAlice, 4);
  ASSERT_EQ(all.size(), 7u);
  EXPECT_EQ(all[4].session_id, "s1");
  EXPECT_EQ(all[4].content, "m4");
  EXPECT_EQ(all[4].created_at, 960);
  EXPECT_EQ(all[4].user_id, "alice");
}

TEST_P(StoreContractTest, UserMessagesIsScopedToTheUserAndTenant) {
  PutOne(kAlice, "s1", "alice one", 1);
  PutOne(kBob, "s1", "bob one", 2);
  PutOne(kAliceOfT2, "s1", "other tenant alice", 3);
  PutOne(kAlice, "s2", "alice two", 4);
  std::vector<model::Message> all = AllPages(store(), kAlice, 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].content, "alice one");
  EXPECT_EQ(all[1].content, "alice two");
  ASSERT_EQ(AllPages(store(), kAliceOfT2, 10).size(), 1u);
  EXPECT_EQ(AllPages(store(), kAliceOfT2, 10)[0].content, "other tenant alice");
}

TEST_P(StoreContractTest, UserMessagesOfUnknownUserOrEmptyLimitAreEmpty) {
  PutOne(kAlice, "s1", "hello", 1);
  auto unknown = store().UserMessages({"t1", "nobody"}, 0, 10);
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  EXPECT_TRUE(unknown->empty());
  auto zero = store().UserMessages(kAlice, 0, 0);
  ASSERT_TRUE(zero.ok()) << zero.status().ToString();
  EXPECT_TRUE(zero->empty());
  auto past_end = store().UserMessages(kAlice, std::numeric_limits<std::int64_t>::max(), 10);
  ASSERT_TRUE(past_end.ok()) << past_end.status().ToString();
  EXPECT_TRUE(past_end->empty());
}

TEST_P(StoreContractTest, UserMessagesStayStableWhileWritesAndErasuresHappen) {
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(PutOne(kAlice, "s1", Numbered("m", i), 100 + i));
  auto first = store().UserMessages(kAlice, 0, 3);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 3u);
  // Between pages: one not yet read is erased, one already read is erased, one is stored.
  ASSERT_TRUE(store().EraseMessage(kAlice, ids[4]).ok());
  ASSERT_TRUE(store().EraseMessage(kAlice, ids[0]).ok());
  const std::string added = PutOne(kAlice, "s2", "late", 1);
  std::vector<std::string> rest;
  std::int64_t after = first->back().seq;
  for (;;) {
    auto page = store().UserMessages(kAlice, after, 3);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    after = page->back().seq;
    for (const auto& message : *page) rest.push_back(message.id);
  }
  EXPECT_EQ(rest, (std::vector<std::string>{ids[3], ids[5], added}));
}

TEST_P(StoreContractTest, SessionsReportTheSeqOfTheirNewestMessage) {
  PutOne(kAlice, "s1", "a", 10);
  PutOne(kAlice, "s2", "b", 5);
  PutOne(kAlice, "s1", "c", 1);  // said earlier, stored later: still the newest by seq
  std::vector<model::Message> all = AllPages(store(), kAlice, 10);
  ASSERT_EQ(all.size(), 3u);
  auto sessions = store().Sessions(kAlice);
  ASSERT_TRUE(sessions.ok());
  ASSERT_EQ(sessions->size(), 2u);
  for (const model::SessionInfo& session : *sessions) {
    EXPECT_EQ(session.last_seq, session.session_id == "s1" ? all[2].seq : all[1].seq);
  }
}

}  // namespace
}  // namespace loci::storage::testing
