// Semantic search through the service: vectors written on the store path or by the backlog,
// ranked by closeness with every filter, and never outliving the messages they belong to.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>

#include "service/embed_backlog.h"
#include "unit/service/service_fixture.h"
#include "unit/service/test_embedder.h"

namespace loci::service {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class SemanticSearchTest : public testing::ServiceTest {
 protected:
  void SetUp() override { Open(Limits{}, {.embedder = &embedder_, .embed_on_store = true}); }

  StoreResult StoreTurns(const std::string& session, const std::vector<std::string>& contents,
                         model::Role role = model::Role::kUser, UnixMillis at = 1000) {
    StoreCommand command;
    command.user_id = "u1";
    command.session_id = session;
    for (const std::string& content : contents) {
      IncomingMessage message;
      message.role = role;
      message.content = content;
      message.created_at = at;
      command.messages.push_back(message);
    }
    auto result = StoreAndWait(std::move(command));
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : StoreResult{};
  }

  std::vector<std::string> Found(SearchQuery query) {
    query.user_id = "u1";
    query.mode = SearchMode::kSemantic;
    auto found = service_->Search(caller_, query);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    std::vector<std::string> contents;
    if (found.ok()) {
      for (const ScoredMessage& hit : found->results) contents.push_back(hit.message.content);
    }
    return contents;
  }

  testing::TestEmbedder embedder_;
};

TEST_F(SemanticSearchTest, RanksByClosenessWithEveryFilter) {
  // One session each: neighbours in a session share scores (conversation_ranker.h).
  StoreTurns("s1", {"green apple pie"});
  StoreTurns("s3", {"red car engine"});
  StoreTurns("s2", {"apple orchard harvest"}, model::Role::kAssistant, 5000);
  EXPECT_THAT(Found({.query = "apple pie", .limit = 2}),
              ElementsAre("green apple pie", "apple orchard harvest"));
  EXPECT_THAT(Found({.query = "apple pie", .session_id = "s2"}),
              ElementsAre("apple orchard harvest"));
  EXPECT_THAT(Found({.query = "apple", .limit = 1, .roles = {model::Role::kAssistant}}),
              ElementsAre("apple orchard harvest"));
  EXPECT_THAT(Found({.query = "apple", .limit = 1, .until = 2000}), ElementsAre("green apple pie"));
  EXPECT_THAT(Found({.query = "apple", .limit = 5, .offset = 2}), ElementsAre("red car engine"));
  EXPECT_THAT(Found({.query = "!!!"}), IsEmpty());  // no word: no vector, no ranking
}

TEST_F(SemanticSearchTest, StoreEmbeddingWithAnExternalEmbedderIsNeverAtHand) {
  StoreTurns("s1", {"the cat sat on the mat"});
  EXPECT_FALSE(service_->StoreIsAtHand(caller_, "u1")) << "the embedder may be remote";
}

TEST_F(SemanticSearchTest, AttributeFiltersReadTheMatchingVectors) {
  StoreCommand command;
  command.user_id = "u1";
  for (const char* topic : {"\"food\"", "\"cars\""}) {
    IncomingMessage message;
    message.content = std::string("apple talk about ") + topic;
    message.metadata_attributes = {model::MetadataAttribute("topic", topic)};
    command.messages.push_back(message);
  }
  std::promise<Result<StoreResult>> stored;
  service_->Store(caller_, command, [&](Result<StoreResult> r) { stored.set_value(r); });
  ASSERT_TRUE(stored.get_future().get().ok());
  EXPECT_THAT(Found({.query = "apple",
                     .metadata_attributes = {model::MetadataAttribute("topic", "\"cars\"")}}),
              ElementsAre("apple talk about \"cars\""));
}

TEST_F(SemanticSearchTest, NewStoresAndErasuresShowInTheNextSearch) {
  StoreResult first = StoreTurns("s1", {"blue whale song"});
  EXPECT_THAT(Found({.query = "whale"}), ElementsAre("blue whale song"));  // matrix now cached
  StoreTurns("s2", {"whale watching trip"});
  EXPECT_THAT(Found({.query = "whale"}),
              ::testing::UnorderedElementsAre("blue whale song", "whale watching trip"));
  ASSERT_TRUE(service_->EraseMessage(caller_, "u1", first.message_ids[0]).ok());
  EXPECT_THAT(Found({.query = "whale"}), ElementsAre("whale watching trip"));
  ASSERT_TRUE(service_->EraseSession(caller_, "u1", "s2").ok());
  EXPECT_THAT(Found({.query = "whale"}), IsEmpty());
  StoreTurns("s3", {"whale again"});
  ASSERT_TRUE(service_->EraseUser(caller_, "u1").ok());
  EXPECT_THAT(Found({.query = "whale"}), IsEmpty());
}

TEST_F(SemanticSearchTest, ARetentionPurgeShowsInTheNextSearch) {
  Limits limits;
  limits.privacy.retention_days = 5;
  Open(limits, {.embedder = &embedder_, .embed_on_store = true});
  const UnixMillis now = clock_.NowMillis();
  StoreTurns("s1", {"old harbour lights"}, model::Role::kUser, now - 10 * 86'400'000LL);
  StoreTurns("s1", {"new harbour walk"}, model::Role::kUser, now);
  EXPECT_EQ(Found({.query = "harbour"}).size(), 2u);  // matrix cached
  auto purged = service_->privacy().Purge();
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  ASSERT_EQ(purged->messages, 1);
  // The purge does not drop the matrix: the count of vectors tells it is stale.
  EXPECT_THAT(Found({.query = "harbour"}), ElementsAre("new harbour walk"));
  StoreTurns("s1", {"harbour cafe"});
  EXPECT_EQ(Found({.query = "harbour"}).size(), 2u);
}

TEST_F(SemanticSearchTest, AFailingEmbedderNeverLosesAStoreAndTheBacklogCatchesUp) {
  embedder_.set_failing(true);
  StoreTurns("s1", {"quiet mountain lake"});
  auto down =
      service_->Search(caller_, {.user_id = "u1", .query = "lake", .mode = SearchMode::kSemantic});
  EXPECT_EQ(down.status().code(), StatusCode::kUnavailable);
  embedder_.set_failing(false);
  EXPECT_THAT(Found({.query = "lake"}), IsEmpty());  // stored without a vector

  EmbedBacklog backlog(*store_, *service_->semantic(), 10,
                       [this](const model::UserRef& user) { service_->VectorsChanged(user); });
  auto outcome = backlog.Run({"t1", "u1"}, 100);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->embedded, 1);
  EXPECT_FALSE(outcome->more);
  EXPECT_THAT(Found({.query = "lake"}), ElementsAre("quiet mountain lake"));
}

class ProviderEmbeddingTest : public SemanticSearchTest {
 protected:
  void SetUp() override { Open(Limits{}, {.embedder = &embedder_, .embed_on_store = false}); }

  EmbedBacklog Backlog(int batch) {
    return EmbedBacklog(*store_, *service_->semantic(), batch,
                        [this](const model::UserRef& user) { service_->VectorsChanged(user); });
  }
};

TEST_F(ProviderEmbeddingTest, StoresDoNotWaitForTheProviderAndTheBacklogEmbedsInBatches) {
  // One session each: a turn without a vector yet would join its embedded neighbours
  // (conversation_ranker.h), and this counts the embedded ones.
  for (int i = 0; i < 7; ++i) {
    StoreTurns("s" + std::to_string(i), {"river stone number " + std::to_string(i)});
  }
  EXPECT_EQ(embedder_.calls(), 0);
  EXPECT_THAT(Found({.query = "river stone"}), IsEmpty());
  const int calls = embedder_.calls();

  auto first = Backlog(3).Run({"t1", "u1"}, 5);  // two batches: 3 + 2
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->embedded, 5);
  EXPECT_TRUE(first->more);
  EXPECT_EQ(embedder_.calls(), calls + 2);
  EXPECT_EQ(Found({.query = "river stone", .limit = 100}).size(), 5u);

  embedder_.set_failing(true);
  auto failed = Backlog(3).Run({"t1", "u1"}, 100);
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  embedder_.set_failing(false);
  auto rest = Backlog(3).Run({"t1", "u1"}, 100);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->embedded, 2);
  EXPECT_FALSE(rest->more);
  EXPECT_EQ(Found({.query = "river stone", .limit = 100}).size(), 7u);
}

TEST_F(ProviderEmbeddingTest, AChangeOfModelReEmbedsEverything) {
  StoreTurns("s1", {"old model text", "more old text"});
  ASSERT_TRUE(Backlog(10).Run({"t1", "u1"}, 100).ok());
  testing::TestEmbedder next("test:words/2", 32);
  Open(Limits{}, {.embedder = &next, .embed_on_store = false});
  EXPECT_THAT(Found({.query = "old text"}), IsEmpty());  // the old model's vectors do not count
  auto outcome = Backlog(10).Run({"t1", "u1"}, 100);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->embedded, 2);
  EXPECT_EQ(Found({.query = "old text"}).size(), 2u);
}

TEST_F(ProviderEmbeddingTest, TheSweepReEmbedsEveryUserAfterAChangeOfModelAndDropsOldVectors) {
  StoreTurns("s1", {"old model text", "more old text"});
  StoreCommand other;
  other.user_id = "u2";
  other.messages.push_back({.content = "another old text"});
  std::promise<Result<StoreResult>> stored;
  service_->Store(caller_, other, [&](Result<StoreResult> r) { stored.set_value(r); });
  ASSERT_TRUE(stored.get_future().get().ok());
  const model::UserRef u1{"t1", "u1"};
  const model::UserRef u2{"t1", "u2"};
  {
    WorkRunner runner(*store_, clock_);
    service_->AttachWork(runner);
    ASSERT_TRUE(runner.RunDue().ok());  // the old model embeds everything
  }
  ASSERT_EQ(*store_->EmbeddingCount(u1, "test:words/1"), 2);
  ASSERT_EQ(*store_->EmbeddingCount(u2, "test:words/1"), 1);
  auto nothing = service_->SweepEmbeddings();
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(*nothing, 0);  // every vector is of the current model

  testing::TestEmbedder next("test:words/2", 32);
  Open(Limits{}, {.embedder = &next, .embed_on_store = false});
  WorkRunner runner(*store_, clock_);
  service_->AttachWork(runner);
  auto swept = service_->SweepEmbeddings();
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_EQ(*swept, 2);
  auto ran = runner.RunDue();
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  for (const auto& [user, count] : {std::pair{u1, 2}, std::pair{u2, 1}}) {
    EXPECT_EQ(*store_->EmbeddingCount(user, "test:words/2"), count) << user.user_id;
    EXPECT_EQ(*store_->EmbeddingCount(user, "test:words/1"), 0) << user.user_id;
  }
  EXPECT_EQ(Found({.query = "old text"}).size(), 2u);
  auto again = service_->SweepEmbeddings();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

}  // namespace
}  // namespace loci::service
