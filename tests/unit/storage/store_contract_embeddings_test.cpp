// Contract: message vectors are written with their message or later, read back per model with
// every filter, listed while missing, and erased with their message, session and user and by
// the retention purge.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using model::UserRef;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const UserRef kAlice{"t1", "alice"};
const UserRef kBob{"t1", "bob"};
constexpr char kModel[] = "test:model/1";

NewMessage WithVector(NewMessage message, std::string vector, std::string model = kModel) {
  message.embedding = MessageEmbedding{.model = std::move(model), .vector = std::move(vector)};
  return message;
}

std::vector<std::string> Vectors(const std::vector<StoredEmbedding>& embeddings) {
  std::vector<std::string> vectors;
  for (const StoredEmbedding& embedding : embeddings) vectors.push_back(embedding.vector);
  return vectors;
}

std::vector<std::string> VectorsOf(Store& store, const UserRef& user,
                                   const MessageFilter& filter = {}, std::string model = kModel) {
  auto embeddings = store.Embeddings(user, model, filter);
  EXPECT_TRUE(embeddings.ok()) << embeddings.status().ToString();
  return embeddings.ok() ? Vectors(*embeddings) : std::vector<std::string>{};
}

std::vector<std::string> Missing(Store& store, const UserRef& user, std::int64_t after_seq = 0,
                                 int limit = 100) {
  auto messages = store.MessagesWithoutEmbedding(user, kModel, after_seq, limit);
  EXPECT_TRUE(messages.ok()) << messages.status().ToString();
  std::vector<std::string> contents;
  if (messages.ok()) {
    for (const model::Message& message : *messages) contents.push_back(message.content);
  }
  return contents;
}

TEST_P(StoreContractTest, VectorsStoredWithTheirMessagesReadBackWithTheirMessages) {
  std::vector<NewMessage> messages;
  messages.push_back(WithVector(Message("alpha", 10), "v-one"));
  messages.push_back(WithVector(Message("beta", 20, model::Role::kAssistant), "v-two"));
  messages.push_back(Message("gamma", 30));
  AppendOutcome outcome = Put(kAlice, "s1", std::move(messages));
  ASSERT_EQ(outcome.message_ids.size(), 3u);

  auto embeddings = store().Embeddings(kAlice, kModel, {});
  ASSERT_TRUE(embeddings.ok()) << embeddings.status().ToString();
  ASSERT_EQ(embeddings->size(), 2u);
  const StoredEmbedding& second = (*embeddings)[1];
  EXPECT_EQ(second.message_id, outcome.message_ids[1]);
  EXPECT_EQ(second.session_id, "s1");
  EXPECT_EQ(second.role, model::Role::kAssistant);
  EXPECT_EQ(second.created_at, 20);
  EXPECT_EQ(second.vector, "v-two");
  EXPECT_LT((*embeddings)[0].seq, second.seq);
  auto by_seq = store().MessagesBySeq(kAlice, std::vector<std::int64_t>{second.seq});
  ASSERT_TRUE(by_seq.ok());
  ASSERT_EQ(by_seq->size(), 1u);
  EXPECT_EQ((*by_seq)[0].content, "beta");

  EXPECT_THAT(Missing(store(), kAlice), ElementsAre("gamma"));
  EXPECT_THAT(VectorsOf(store(), kAlice, {}, "other:model"), IsEmpty());
  EXPECT_THAT(VectorsOf(store(), kBob), IsEmpty());
  Reopen();
  EXPECT_THAT(VectorsOf(store(), kAlice), ElementsAre("v-one", "v-two"));
}

TEST_P(StoreContractTest, VectorsWrittenLaterReplaceAndSkipMessagesNotHeld) {
  AppendOutcome alice = Put(kAlice, "s1", {Message("alpha", 10), Message("beta", 20)});
  AppendOutcome bob = Put(kBob, "s1", {Message("gamma", 30)});
  EXPECT_THAT(Missing(store(), kAlice), ElementsAre("alpha", "beta"));

  std::vector<EmbeddingWrite> writes;
  writes.push_back({alice.message_ids[1], {kModel, "v-beta"}});
  writes.push_back({bob.message_ids[0], {kModel, "v-bob"}});  // not alice's
  writes.push_back({"m_unknown", {kModel, "v-none"}});
  auto written = store().PutEmbeddings(kAlice, writes);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(*written, 1);
  EXPECT_THAT(VectorsOf(store(), kAlice), ElementsAre("v-beta"));
  EXPECT_THAT(VectorsOf(store(), kBob), IsEmpty());
  EXPECT_THAT(Missing(store(), kAlice), ElementsAre("alpha"));

  auto replaced =
      store().PutEmbeddings(kAlice, {{alice.message_ids[1], {kModel, "v-beta-2"}},
                                     {alice.message_ids[1], {"other:model", "v-other"}}});
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(*replaced, 2);
  EXPECT_THAT(VectorsOf(store(), kAlice), ElementsAre("v-beta-2"));
  EXPECT_THAT(VectorsOf(store(), kAlice, {}, "other:model"), ElementsAre("v-other"));

  auto unknown_user = store().PutEmbeddings({"t9", "nobody"}, writes);
  ASSERT_TRUE(unknown_user.ok());
  EXPECT_EQ(*unknown_user, 0);
  EXPECT_EQ(store().PutEmbeddings(kAlice, {{alice.message_ids[0], {"", "v"}}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().PutEmbeddings(kAlice, {{alice.message_ids[0], {kModel, ""}}}).status().code(),
            StatusCode::kInvalidArgument);
  AppendRequest invalid = Request(kAlice, "s1", {WithVector(Message("delta", 40), "")});
  EXPECT_EQ(store().AppendAndWait(invalid).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreContractTest, MessagesWithoutVectorsPageInSeqOrder) {
  for (int i = 0; i < 5; ++i) PutOne(kAlice, Numbered("s", i % 2), Numbered("m", i), i);
  auto first = store().MessagesWithoutEmbedding(kAlice, kModel, 0, 2);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].content, "m0");
  EXPECT_EQ((*first)[1].session_id, "s1");
  EXPECT_THAT(Missing(store(), kAlice, (*first)[1].seq, 10), ElementsAre("m2", "m3", "m4"));
  EXPECT_THAT(Missing(store(), kAlice, 0, 0), IsEmpty());
  EXPECT_THAT(Missing(store(), {"t9", "nobody"}), IsEmpty());
}

TEST_P(StoreContractTest, VectorsPassEveryFilter) {
  std::vector<NewMessage> first;
  first.push_back(WithVector(Message("a", 100), "v1"));
  first.push_back(WithVector(Message("b", 200, model::Role::kAssistant), "v2"));
  first[1].attributes = {model::MetadataAttribute("topic", "\"cats\"")};
  Put(kAlice, "s1", std::move(first));
  std::vector<NewMessage> second;
  second.push_back(WithVector(Message("c", 300), "v3"));
  second[0].attributes = {model::MetadataAttribute("topic", "\"cats\""),
                          model::MetadataAttribute("n", "1")};
  Put(kAlice, "s2", std::move(second));

  EXPECT_THAT(VectorsOf(store(), kAlice, Filter().Session("s2")), ElementsAre("v3"));
  EXPECT_THAT(VectorsOf(store(), kAlice, Filter().Session("nope")), IsEmpty());
  EXPECT_THAT(VectorsOf(store(), kAlice, Filter().Roles({model::Role::kAssistant})),
              ElementsAre("v2"));
  EXPECT_THAT(VectorsOf(store(), kAlice, Filter().Since(200)), ElementsAre("v2", "v3"));
  EXPECT_THAT(VectorsOf(store(), kAlice, Filter().Until(200)), ElementsAre("v1"));
  EXPECT_THAT(VectorsOf(store(), kAlice,
                        Filter().Attributes({model::MetadataAttribute("topic", "\"cats\"")})),
              ElementsAre("v2", "v3"));
  EXPECT_THAT(VectorsOf(store(), kAlice,
                        Filter()
                            .Attributes({model::MetadataAttribute("topic", "\"cats\""),
                                         model::MetadataAttribute("n", "1")})
                            .Since(100)),
              ElementsAre("v3"));
}

TEST_P(StoreContractTest, VectorsGoWithTheirMessageSessionAndUser) {
  AppendOutcome one =
      Put(kAlice, "s1", {WithVector(Message("a", 1), "v1"), WithVector(Message("b", 2), "v2")});
  Put(kAlice, "s2", {WithVector(Message("c", 3), "v3")});
  Put(kBob, "s1", {WithVector(Message("d", 4), "v4")});

  ASSERT_TRUE(store().EraseMessage(kAlice, one.message_ids[0]).ok());
  EXPECT_THAT(VectorsOf(store(), kAlice), ElementsAre("v2", "v3"));
  // A vector arriving for an erased message is not kept.
  auto late = store().PutEmbeddings(kAlice, {{one.message_ids[0], {kModel, "v1-late"}}});
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(*late, 0);
  ASSERT_TRUE(store().EraseSession(kAlice, "s2").ok());
  EXPECT_THAT(VectorsOf(store(), kAlice), ElementsAre("v2"));
  ASSERT_TRUE(store().EraseUser(kAlice).ok());
  EXPECT_THAT(VectorsOf(store(), kAlice), IsEmpty());
  EXPECT_THAT(VectorsOf(store(), kBob), ElementsAre("v4"));
}

TEST_P(StoreContractTest, RetentionPurgeTakesTheVectorsOfExpiredMessages) {
  constexpr UnixMillis kNow = 1'700'000'000'000;
  constexpr UnixMillis kDay = 86'400'000;
  Put(kAlice, "s1",
      {WithVector(Message("old", kNow - 10 * kDay), "v-old"),
       WithVector(Message("new", kNow - kDay), "v-new")});
  PurgeRequest purge;
  purge.now = kNow;
  purge.retention_days = 5;
  auto outcome = store().PurgeExpired(purge);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->messages, 1);
  EXPECT_THAT(VectorsOf(store(), kAlice), ElementsAre("v-new"));
}

}  // namespace
}  // namespace loci::storage::testing
