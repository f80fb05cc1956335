#include "service/conversation_ranker.h"

#include <gtest/gtest.h>

#include "service/search_service.h"
#include "unit/service/service_fixture.h"

namespace loci::service {
namespace {

constexpr UnixMillis kDay = 86'400'000;

struct Turn {
  std::string name;
  std::string content;
  model::Role role = model::Role::kUser;
};

class ConversationRankerTest : public testing::ServiceTest {
 protected:
  // Stores `turns` in order as one session said at `at`; returns their seqs.
  std::vector<std::int64_t> Say(const std::string& session, UnixMillis at,
                                const std::vector<Turn>& turns,
                                const std::string& metadata_json = "{}",
                                const std::vector<std::string>& attributes = {}) {
    StoreCommand command{.user_id = "u1", .session_id = session};
    for (const Turn& turn : turns) {
      command.messages.push_back({.role = turn.role,
                                  .name = turn.name,
                                  .content = turn.content,
                                  .created_at = at,
                                  .metadata_json = metadata_json,
                                  .metadata_attributes = attributes});
    }
    EXPECT_TRUE(StoreAndWait(std::move(command)).ok());
    std::vector<std::int64_t> seqs;
    auto messages = store_->UserMessages(user_, next_seq_, 1000);
    EXPECT_TRUE(messages.ok());
    for (const model::Message& message : *messages) seqs.push_back(message.seq);
    if (!seqs.empty()) next_seq_ = seqs.back();
    return seqs;
  }

  // Full-text ranking of `query`, re-ranked.
  std::vector<ScoredSeq> Rank(std::string_view query, const storage::MessageFilter& filter = {},
                              ConversationParams params = {}) {
    SearchService search(*store_, analyzer_, clock_);
    auto base = search.RankFulltext(user_, query, filter);
    EXPECT_TRUE(base.ok());
    ConversationRanker ranker(*store_, analyzer_, params);
    auto ranked = ranker.Rerank(user_, query, *base, filter, clock_.NowMillis());
    EXPECT_TRUE(ranked.ok()) << ranked.status().ToString();
    return ranked.ok() ? *ranked : std::vector<ScoredSeq>{};
  }

  static std::vector<std::int64_t> Seqs(const std::vector<ScoredSeq>& ranked) {
    std::vector<std::int64_t> seqs;
    for (const ScoredSeq& scored : ranked) seqs.push_back(scored.seq);
    return seqs;
  }

  const model::UserRef user_{"t1", "u1"};
  const UnixMillis now_ = clock_.NowMillis();
  std::int64_t next_seq_ = 0;
};

TEST_F(ConversationRankerTest, TheTurnsNextToAMatchingTurnJoinBelowIt) {
  auto seqs = Say("s1", now_,
                  {{"Caro", "Good morning!"},
                   {"Mel", "What did you paint?"},
                   {"Caro", "A sunset over the lake."},
                   {"Mel", "Lovely colours."}});
  ConversationParams params;
  params.neighbour_share = 0.5;
  const auto ranked = Rank("paint", {}, params);
  // The matching turn, then both its neighbours at half its score; the far turn not at all.
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].seq, seqs[1]);
  EXPECT_DOUBLE_EQ(ranked[0].score, 1.0);
  EXPECT_DOUBLE_EQ(ranked[1].score, 0.5);
  EXPECT_DOUBLE_EQ(ranked[2].score, 0.5);
  EXPECT_EQ(std::min(ranked[1].seq, ranked[2].seq), seqs[0]);
  EXPECT_EQ(std::max(ranked[1].seq, ranked[2].seq), seqs[2]);
}

TEST_F(ConversationRankerTest, NeighboursStayWithinTheirSession) {
  auto first = Say("s1", now_, {{"Mel", "I like jazz"}});
  Say("s2", now_, {{"Caro", "Something else entirely"}});
  EXPECT_EQ(Seqs(Rank("jazz")), first);
}

TEST_F(ConversationRankerTest, ATurnOfTheSpeakerNamedRisesAboveABetterMatch) {
  auto seqs = Say("s1", now_,
                  {{"Melanie", "My guitar, my guitar lessons, guitar every day"},
                   {"Caroline", "I play guitar on weekends with friends"}});
  ConversationParams params;
  params.neighbour_share = 0;
  params.speaker_boost = 1.0;
  EXPECT_EQ(Rank("guitar", {}, params).front().seq, seqs[0]);
  EXPECT_EQ(Rank("which guitar did Caroline mention", {}, params).front().seq, seqs[1]);
}

TEST_F(ConversationRankerTest, ATurnSaidAtTheTimeNamedRisesAboveABetterMatch) {
  auto june = Say("june", now_ + 40 * kDay, {{"Mel", "We went camping by a river"}});  // 17 Jun
  auto march = Say("march", now_ - 60 * kDay, {{"Mel", "Camping, camping, camping!"}});
  ConversationParams params;
  params.neighbour_share = 0;
  params.time_boost = 2.0;
  EXPECT_EQ(Rank("camping", {}, params).front().seq, march[0]);
  EXPECT_EQ(Rank("camping in June", {}, params).front().seq, june[0]);
  EXPECT_EQ(Rank("camping in June 2023", {}, params).front().seq, june[0]);
  EXPECT_EQ(Rank("camping in June 2021", {}, params).front().seq, march[0]);
}

TEST_F(ConversationRankerTest, NeighboursThatFailTheFilterStayOut) {
  auto seqs = Say("s1", now_,
                  {{"Mel", "What did you paint?"},
                   {"Bot", "A sunset.", model::Role::kAssistant},
                   {"Mel", "Nice sunset."}});
  storage::MessageFilter users_only;
  users_only.roles = {model::Role::kUser};
  EXPECT_EQ(Seqs(Rank("paint", users_only)), (std::vector<std::int64_t>{seqs[0]}));

  storage::MessageFilter later;
  later.since = now_ + 1;
  EXPECT_TRUE(Rank("paint", later).empty());
}

TEST_F(ConversationRankerTest, AMetadataFilterAdmitsNoNeighbourTheStoreDidNotCheck) {
  const std::string topic = model::MetadataAttribute("topic", "\"art\"");
  auto seqs = Say("s1", now_, {{"Mel", "What did you paint?"}, {"Caro", "A sunset."}},
                  R"({"topic":"art"})", {topic});
  storage::MessageFilter art;
  art.attributes = {topic};
  EXPECT_EQ(Seqs(Rank("paint", art)), (std::vector<std::int64_t>{seqs[0]}));
  EXPECT_EQ(Rank("paint").size(), 2u);
}

TEST_F(ConversationRankerTest, TurnsBeyondTheCandidatesKeepTheirOrderBelow) {
  std::vector<Turn> turns;
  for (int i = 0; i < 6; ++i) turns.push_back({"Mel", "jazz " + std::string(i + 1, 'x')});
  Say("s1", now_, turns);
  ConversationParams params;
  params.candidates = 2;
  const auto ranked = Rank("jazz", {}, params);
  ASSERT_EQ(ranked.size(), 6u);
  for (std::size_t i = 1; i < ranked.size(); ++i) EXPECT_GE(ranked[i - 1].score, ranked[i].score);
}

TEST_F(ConversationRankerTest, EmptyRankingStaysEmpty) {
  Say("s1", now_, {{"Mel", "hello"}});
  EXPECT_TRUE(Rank("nothing matches").empty());
}

}  // namespace
}  // namespace loci::service
