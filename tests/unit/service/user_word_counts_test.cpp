// UserWordCounts: counts read from the user's stored messages, kept up to date by stores,
// forgotten with erasures, and the reweighing of vectors when they have grown; and the service's
// "reweigh" work that computes a user's vectors again with them.
#include "service/user_word_counts.h"

#include <gtest/gtest.h>

#include "service/vector_codec.h"
#include "unit/embed/synthetic_vectors.h"
#include "unit/service/service_fixture.h"

namespace loci::service {
namespace {

class UserWordCountsTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    loci::testing::ConvertSynthetic(loci::testing::SyntheticJson().dump(), vectors_path_);
    auto vectors = embed::WordVectors::Open(vectors_path_);
    ASSERT_TRUE(vectors.ok()) << vectors.status().ToString();
    sif_ = std::make_unique<embed::SifEmbedder>(std::move(*vectors),
                                                embed::SifOptions{.a = 0.01, .prior_tokens = 4});
    OpenWithSif();
  }

  void OpenWithSif() {
    Open(Limits{}, {.embedder = sif_.get(), .sif = sif_.get(), .embed_on_store = true});
  }

  StoreResult StoreTurns(const std::vector<std::string>& contents) {
    StoreCommand command;
    command.user_id = "u1";
    for (const std::string& content : contents) {
      IncomingMessage message;
      message.content = content;
      command.messages.push_back(message);
    }
    auto result = StoreAndWait(std::move(command));
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : StoreResult{};
  }

  // What the user's vector of `text` is with counts of `history`.
  std::vector<float> Expected(const std::vector<std::string>& history, const std::string& text) {
    embed::WordCounts counts;
    for (const std::string& said : history) counts.Add(sif_->Words(said));
    return sif_->Embed(std::vector<std::string>{text}, counts)[0];
  }

  std::vector<float> Embedded(UserWordCounts& counts, const std::string& text) {
    auto vectors = counts.Embed(user_, std::vector<std::string>{text}, false);
    EXPECT_TRUE(vectors.ok()) << vectors.status().ToString();
    return vectors.ok() ? (*vectors)[0] : std::vector<float>();
  }

  // The vectors the store holds for the user, in seq order.
  std::vector<std::vector<float>> StoredVectors() {
    auto rows = store_->Embeddings(user_, sif_->model_id(), storage::MessageFilter{}, 0);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::vector<float>> vectors;
    if (!rows.ok()) return vectors;
    for (const storage::StoredEmbedding& row : *rows) {
      auto decoded = DecodeVector(row.vector);
      EXPECT_TRUE(decoded.ok());
      if (!decoded.ok()) continue;
      std::vector<float> vector;
      for (std::int8_t q : decoded->values) vector.push_back(q * decoded->scale);
      vectors.push_back(std::move(vector));
    }
    return vectors;
  }

  static void ExpectNear(const std::vector<float>& actual, const std::vector<float>& expected,
                         float tolerance = 1e-6f) {
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], tolerance);
  }

  loci::testing::TempDir vectors_dir_;
  std::string vectors_path_ = vectors_dir_.Path("vectors.lvec");
  std::unique_ptr<embed::SifEmbedder> sif_;
  model::UserRef user_{"t1", "u1"};
};

TEST_F(UserWordCountsTest, CountsAreReadFromTheStoredMessagesThenKeptUpToDate) {
  StoreTurns({"my cat and my dog", "the cat is a pet"});
  UserWordCounts counts(*store_, *sif_, 1 << 20);  // nothing held: reads the store
  ExpectNear(Embedded(counts, "the cat"),
             Expected({"my cat and my dog", "the cat is a pet"}, "the cat"));
  auto stored = counts.Embed(user_, std::vector<std::string>{"cat cat kitten"}, true);
  ASSERT_TRUE(stored.ok());
  const std::vector<std::string> history = {"my cat and my dog", "the cat is a pet",
                                            "cat cat kitten"};
  ExpectNear((*stored)[0], Expected(history, "cat cat kitten"));
  ExpectNear(Embedded(counts, "the cat"), Expected(history, "the cat"));
  EXPECT_GT(counts.bytes(), 0u);
}

TEST_F(UserWordCountsTest, StoresWeighByTheUserCountsAndErasuresForgetThem) {
  StoreResult first = StoreTurns({"cat cat cat cat", "my dog"});
  StoreTurns({"the bank loan"});
  // Each store's vectors were weighed by the counts holding its own messages.
  std::vector<std::vector<float>> vectors = StoredVectors();
  ASSERT_EQ(vectors.size(), 3u);
  ExpectNear(vectors[0], Expected({"cat cat cat cat", "my dog"}, "cat cat cat cat"), 1e-2f);
  ExpectNear(vectors[2], Expected({"cat cat cat cat", "my dog", "the bank loan"}, "the bank loan"),
             1e-2f);

  ASSERT_TRUE(service_->EraseMessage(caller_, "u1", first.message_ids[0]).ok());
  UserWordCounts fresh(*store_, *sif_, 1 << 20);
  // The service's counts were forgotten with the message: the next store reads them anew.
  StoreTurns({"stock market"});
  vectors = StoredVectors();
  ASSERT_EQ(vectors.size(), 3u);
  ExpectNear(vectors[2], Expected({"my dog", "the bank loan", "stock market"}, "stock market"),
             1e-2f);
  ExpectNear(Embedded(fresh, "the cat"),
             Expected({"my dog", "the bank loan", "stock market"}, "the cat"));
}

TEST_F(UserWordCountsTest, StoreIsAtHandOnlyWhileTheUsersCountsAreHeld) {
  StoreResult first = StoreTurns({"my cat and my dog"});
  EXPECT_TRUE(service_->StoreIsAtHand(caller_, "u1"));
  ASSERT_TRUE(service_->EraseMessage(caller_, "u1", first.message_ids[0]).ok());
  EXPECT_FALSE(service_->StoreIsAtHand(caller_, "u1")) << "the counts are to be read again";
  StoreTurns({"the cat is a pet"});
  EXPECT_TRUE(service_->StoreIsAtHand(caller_, "u1"));
}

TEST_F(UserWordCountsTest, ARetriedStoreIsCountedOnce) {
  auto store_keyed = [&](const std::string& content, const std::string& key) {
    StoreCommand command;
    command.user_id = "u1";
    command.messages.push_back({.content = content, .idempotency_key = key});
    auto result = StoreAndWait(std::move(command));
    EXPECT_TRUE(result.ok()) << result.status().ToString();
  };
  store_keyed("cat cat cat cat", "k1");
  store_keyed("cat cat cat cat", "k1");  // a retry: a duplicate, not stored again
  StoreTurns({"my cat and the money"});
  std::vector<std::vector<float>> vectors = StoredVectors();
  ASSERT_EQ(vectors.size(), 2u);
  ExpectNear(vectors[1],
             Expected({"cat cat cat cat", "my cat and the money"}, "my cat and the money"), 1e-2f);
}

TEST_F(UserWordCountsTest, ReweighingIsDueOnceTheCountsGrewByHalf) {
  UserWordCounts counts(*store_, *sif_, 1 << 20);
  EXPECT_FALSE(counts.ReweighDue(user_));  // not held: nothing to say
  ASSERT_TRUE(counts.Embed(user_, std::vector<std::string>{"cat"}, true).ok());
  EXPECT_FALSE(counts.ReweighDue(user_));  // 1 + 4 <= 1.5 * (0 + 4)
  ASSERT_TRUE(counts.Embed(user_, std::vector<std::string>{"dog pet"}, true).ok());
  EXPECT_TRUE(counts.ReweighDue(user_));  // 3 + 4 > 6
  counts.MarkReweighed(user_);
  EXPECT_FALSE(counts.ReweighDue(user_));
  counts.Forget(user_);
  EXPECT_FALSE(counts.ReweighDue(user_));
  EXPECT_EQ(counts.bytes(), 0u);
}

TEST_F(UserWordCountsTest, UsersBeyondTheBudgetAreEvictedAndReadAgain) {
  StoreTurns({"cat dog pet"});
  UserWordCounts counts(*store_, *sif_, 1);  // room for the newest user only
  const model::UserRef other{"t1", "u2"};
  ASSERT_TRUE(counts.Embed(user_, std::vector<std::string>{"cat"}, false).ok());
  ASSERT_TRUE(counts.Embed(other, std::vector<std::string>{"bank bank bank"}, true).ok());
  EXPECT_TRUE(counts.ReweighDue(other));   // 3 + 4 > 1.5 * (0 + 4): held
  EXPECT_FALSE(counts.ReweighDue(user_));  // evicted
  ExpectNear(Embedded(counts, "the cat"), Expected({"cat dog pet"}, "the cat"));
}

TEST_F(UserWordCountsTest, ReweighWorkComputesEveryVectorAgainWithTheGrownCounts) {
  StoreTurns({"my cat and the money"});  // 5 + 4 > 1.5 * 4: due at once
  StoreTurns({"money money money money"});
  const std::vector<std::string> history = {"my cat and the money", "money money money money"};
  std::vector<std::vector<float>> before = StoredVectors();
  ASSERT_EQ(before.size(), 2u);
  // The first vector was weighed before "money" was said often.
  const std::vector<float> reweighed = Expected(history, "my cat and the money");
  float moved = 0;
  for (std::size_t i = 0; i < reweighed.size(); ++i) moved += std::abs(before[0][i] - reweighed[i]);
  EXPECT_GT(moved, 0.05f);
  WorkRunner runner(*store_, clock_);
  service_->AttachWork(runner);
  auto ran = runner.RunDue();
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  std::vector<std::vector<float>> after = StoredVectors();
  ASSERT_EQ(after.size(), 2u);
  ExpectNear(after[0], reweighed, 1e-2f);
  ExpectNear(after[1], Expected(history, "money money money money"), 1e-2f);
  // Searches see the new vectors at once (the opened matrix was dropped).
  SearchQuery query;
  query.user_id = "u1";
  query.query = "cat";
  query.mode = SearchMode::kSemantic;
  auto found = service_->Search(caller_, query);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_FALSE(found->results.empty());
  EXPECT_EQ(found->results[0].message.content, "my cat and the money");
}

}  // namespace
}  // namespace loci::service
