// Contract: the inverted index (postings, statistics, filters), lookups by seq, tenant
// isolation and concurrent writers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "model/message.h"
#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using model::Role;
using model::UserRef;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const UserRef kAlice{"t1", "alice"};
const UserRef kBob{"t1", "bob"};

TEST_P(StoreContractTest, PostingsAndStatsDescribeTheCorpus) {
  PutOne(kAlice, "s1", "apple banana apple", 1);
  PutOne(kAlice, "s1", "banana cherry", 2);
  PutOne(kAlice, "s2", "apple", 3);
  auto stats = store().Stats(kAlice);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, 3);
  EXPECT_EQ(stats->total_length, 6);

  auto postings = store().Postings(kAlice, {"apple", "missing", "banana"}, {});
  ASSERT_TRUE(postings.ok()) << postings.status().ToString();
  ASSERT_EQ(postings->size(), 3u);
  EXPECT_EQ((*postings)[0].term, "apple");
  EXPECT_EQ((*postings)[1].term, "missing");
  EXPECT_EQ((*postings)[2].term, "banana");
  const auto& apple = (*postings)[0].postings;
  ASSERT_EQ(apple.size(), 2u);
  EXPECT_LT(apple[0].seq, apple[1].seq);
  EXPECT_EQ(apple[0].term_frequency, 2);
  EXPECT_EQ(apple[0].document_length, 3);
  EXPECT_EQ(apple[1].term_frequency, 1);
  EXPECT_EQ(apple[1].document_length, 1);
  EXPECT_THAT((*postings)[1].postings, IsEmpty());
  EXPECT_EQ((*postings)[2].postings.size(), 2u);

  EXPECT_EQ(store().Stats(kBob)->documents, 0);
  auto none = store().Postings(kBob, {"apple"}, {});
  ASSERT_TRUE(none.ok());
  ASSERT_EQ(none->size(), 1u);
  EXPECT_THAT((*none)[0].postings, IsEmpty());
}

TEST_P(StoreContractTest, PostingsApplyEveryFilter) {
  auto put = [&](const std::string& session, Role role, UnixMillis at,
                 std::vector<std::string> attributes) {
    NewMessage message = Message("word", at, role);
    message.attributes = std::move(attributes);
    std::vector<NewMessage> messages;
    messages.push_back(std::move(message));
    Put(kAlice, session, std::move(messages));
  };
  const std::string topic_food = model::MetadataAttribute("topic", "\"food\"");
  const std::string topic_work = model::MetadataAttribute("topic", "\"work\"");
  const std::string pinned = model::MetadataAttribute("pinned", "true");
  put("s1", Role::kUser, 100, {topic_food, pinned});
  put("s1", Role::kAssistant, 200, {topic_food});
  put("s2", Role::kUser, 300, {topic_work});
  put("s2", Role::kSystem, 400, {});
  std::vector<std::int64_t> all = PostingSeqs(kAlice, "word");
  ASSERT_EQ(all.size(), 4u);

  EXPECT_THAT(PostingSeqs(kAlice, "word", Filter().Session("s2")), ElementsAre(all[2], all[3]));
  EXPECT_THAT(PostingSeqs(kAlice, "word", Filter().Session("none")), IsEmpty());
  EXPECT_THAT(PostingSeqs(kAlice, "word", Filter().Roles({Role::kUser})),
              ElementsAre(all[0], all[2]));
  EXPECT_THAT(PostingSeqs(kAlice, "word", Filter().Roles({Role::kAssistant, Role::kSystem})),
              ElementsAre(all[1], all[3]));
  EXPECT_THAT(PostingSeqs(kAlice, "word", Filter().Since(200)),
              ElementsAre(all[1], all[2], all[3]));
  EXPECT_THAT(PostingSeqs(kAlice, "word", Filter().Until(300)), ElementsAre(all[0], all[1]));
  EXPECT_THAT(PostingSeqs(kAlice, "word", Filter().Since(200).Until(300)), ElementsAre(all[1]));
  EXPECT_THAT(PostingSeqs(kAlice, "word", Filter().Attributes({topic_food})),
              ElementsAre(all[0], all[1]));
  EXPECT_THAT(PostingSeqs(kAlice, "word", Filter().Attributes({topic_food, pinned})),
              ElementsAre(all[0]));
  EXPECT_THAT(PostingSeqs(kAlice, "word", Filter().Attributes({topic_work, pinned})), IsEmpty());
  EXPECT_THAT(PostingSeqs(kAlice, "word",
                          Filter()
                              .Session("s1")
                              .Roles({Role::kAssistant})
                              .Since(150)
                              .Until(250)
                              .Attributes({topic_food})),
              ElementsAre(all[1]));
  // Attributes are matched exactly: the JSON text "1" is not the number 1.
  EXPECT_THAT(
      PostingSeqs(kAlice, "word", Filter().Attributes({model::MetadataAttribute("topic", "food")})),
      IsEmpty());
}

TEST_P(StoreContractTest, MessagesBySeqKeepsOrderAndSkipsForeignSeqs) {
  PutOne(kAlice, "s1", "one", 1);
  PutOne(kAlice, "s2", "two", 2);
  PutOne(kBob, "s1", "bobs", 3);
  std::vector<std::int64_t> alice = PostingSeqs(kAlice, "one");
  alice.push_back(PostingSeqs(kAlice, "two")[0]);
  std::int64_t bob = PostingSeqs(kBob, "bobs")[0];
  std::vector<std::int64_t> asked = {alice[1], bob, 999999, alice[0]};
  auto messages = store().MessagesBySeq(kAlice, asked);
  ASSERT_TRUE(messages.ok()) << messages.status().ToString();
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].content, "two");
  EXPECT_EQ((*messages)[0].session_id, "s2");
  EXPECT_EQ((*messages)[0].seq, alice[1]);
  EXPECT_EQ((*messages)[1].content, "one");
  EXPECT_THAT(*store().MessagesBySeq(kBob, alice), IsEmpty());
  EXPECT_THAT(*store().MessagesBySeq(kAlice, {}), IsEmpty());
}

TEST_P(StoreContractTest, MessageHeadersBySeqLeaveOutContentAndMetadata) {
  NewMessage named = Message("the content", 1);
  named.name = "Ana";
  named.metadata_json = R"({"topic":"x"})";
  ASSERT_TRUE(store().AppendAndWait(Request(kAlice, "s1", {named})).ok());
  PutOne(kBob, "s1", "bobs", 2);
  const std::int64_t seq = PostingSeqs(kAlice, "content")[0];
  std::vector<std::int64_t> asked = {PostingSeqs(kBob, "bobs")[0], seq};
  auto whole = store().MessagesBySeq(kAlice, asked);
  auto headers = store().MessageHeadersBySeq(kAlice, asked);
  ASSERT_TRUE(headers.ok()) << headers.status().ToString();
  ASSERT_EQ(headers->size(), 1u);
  ASSERT_EQ(whole->size(), 1u);
  const model::Message& header = (*headers)[0];
  EXPECT_EQ(header.seq, seq);
  EXPECT_EQ(header.id, (*whole)[0].id);
  EXPECT_EQ(header.session_id, "s1");
  EXPECT_EQ(header.name, std::optional<std::string>("Ana"));
  EXPECT_EQ(header.created_at, (*whole)[0].created_at);
  EXPECT_EQ(header.role, (*whole)[0].role);
  EXPECT_EQ(header.content, "");
  EXPECT_EQ(header.metadata_json, "");
  EXPECT_EQ((*whole)[0].content, "the content");
}

TEST_P(StoreContractTest, TenantsNeverSeeEachOther) {
  const UserRef first{"tenant-a", "u1"};
  const UserRef second{"tenant-b", "u1"};
  std::string first_id = PutOne(first, "s", "secret alpha", 10);
  PutOne(second, "s", "public beta", 20);
  PutOne(second, "t", "public gamma", 30);

  auto recent = Recent(second, "s");
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].content, "public beta");
  EXPECT_EQ(store().Sessions(first)->size(), 1u);
  EXPECT_EQ(store().Sessions(second)->size(), 2u);
  EXPECT_EQ(*store().LatestSession(first), std::optional<std::string>("s"));
  EXPECT_EQ(store().Stats(first)->documents, 1);
  EXPECT_EQ(store().Stats(second)->documents, 2);
  EXPECT_THAT(PostingSeqs(second, "secret"), IsEmpty());
  EXPECT_THAT(PostingSeqs(first, "public"), IsEmpty());
  std::vector<std::int64_t> first_seqs = PostingSeqs(first, "secret");
  EXPECT_THAT(*store().MessagesBySeq(second, first_seqs), IsEmpty());
  EXPECT_EQ(store().SessionMessages(second, "s", 10, first_id).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store().EraseMessage(second, first_id).status().code(), StatusCode::kNotFound);

  auto erased = store().EraseUser(first);
  ASSERT_TRUE(erased.ok());
  EXPECT_EQ(erased->messages, 1);
  EXPECT_EQ(Recent(second, "s").size(), 1u);
  EXPECT_EQ(store().Stats(second)->documents, 2);
  EXPECT_EQ(PostingSeqs(second, "public").size(), 2u);
}

TEST_P(StoreContractTest, ConcurrentAppendsAreAllAcknowledgedAndPresent) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 25;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      UserRef user{"t1", Numbered("user", t % 4)};
      for (int i = 0; i < kPerThread; ++i) {
        std::vector<NewMessage> messages;
        messages.push_back(Message(Numbered("common thread", t), i));
        AppendRequest request = Request(user, Numbered("s", t), std::move(messages));
        auto outcome = store().AppendAndWait(std::move(request));
        if (outcome.ok() && outcome->message_ids.size() == 1) {
          ids[t].push_back(outcome->message_ids[0]);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::int64_t documents = 0;
  for (int u = 0; u < 4; ++u) documents += store().Stats({"t1", Numbered("user", u)})->documents;
  EXPECT_EQ(documents, kThreads * kPerThread);
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(ids[t].size(), static_cast<std::size_t>(kPerThread));
    UserRef user{"t1", Numbered("user", t % 4)};
    auto stored = Recent(user, Numbered("s", t), 1000);
    std::vector<std::string> stored_ids;
    for (const auto& message : stored) stored_ids.push_back(message.id);
    EXPECT_EQ(stored_ids, ids[t]);  // present, and in the order each thread wrote them
  }
  EXPECT_EQ(PostingSeqs({"t1", "user0"}, "common").size(), 4u * kPerThread);
}

}  // namespace
}  // namespace loci::storage::testing
