// PreferenceEngine over a real store: learning from stored turns, merging later evidence,
// implicit style with decay, feedback, learn_preferences and forgotten keys.
#include "service/preference_engine.h"

#include <gtest/gtest.h>

#include <map>

#include "service/preferences/style_state.h"
#include "service/preferences/writing_style.h"
#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "unit/test_clocks.h"

namespace loci::service {
namespace {

constexpr UnixMillis kDay = 24LL * 60 * 60 * 1000;

class PreferenceEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::sqlite::SqliteStore::Open({.path = dir_.Path("loci.db")});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    engine_ = std::make_unique<PreferenceEngine>(*store_, clock_,
                                                 [this](const model::UserRef&) { ++changes_; });
  }

  std::string Say(const std::string& text, model::Role role = model::Role::kUser) {
    storage::AppendRequest request;
    request.user = user_;
    request.session_id = "s1";
    request.now = clock_.NowMillis();
    request.messages.push_back(
        storage::NewMessage{.role = role, .content = text, .created_at = clock_.NowMillis()});
    auto outcome = store_->AppendAndWait(std::move(request));
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    return outcome.ok() ? outcome->message_ids[0] : "";
  }

  std::map<std::string, model::Preference> Learned() {
    EXPECT_TRUE(engine_->Learn(user_).ok());
    auto current = engine_->Current(user_);
    EXPECT_TRUE(current.ok()) << current.status().ToString();
    std::map<std::string, model::Preference> by_key;
    if (current.ok()) {
      for (model::Preference& preference : *current) by_key[preference.key] = preference;
    }
    return by_key;
  }

  loci::testing::TempDir dir_;
  loci::testing::ManualClock clock_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  std::unique_ptr<PreferenceEngine> engine_;
  model::UserRef user_{"t1", "u1"};
  int changes_ = 0;
};

TEST_F(PreferenceEngineTest, RepeatedEvidenceMakesSurerAndLaterEvidenceWins) {
  std::string first = Say("I'm vegetarian.");
  auto learned = Learned();
  ASSERT_TRUE(learned.contains("diet"));
  const double once = learned["diet"].confidence;
  EXPECT_EQ(learned["diet"].source, model::PreferenceSource::kExplicit);
  EXPECT_GT(changes_, 0);

  std::string second = Say("As I said, I'm vegetarian.");
  learned = Learned();
  EXPECT_GT(learned["diet"].confidence, once);
  EXPECT_LE(learned["diet"].confidence, 1.0);
  EXPECT_EQ(learned["diet"].evidence, (std::vector<std::string>{first, second}));

  std::string vegan = Say("I went vegan last month.");
  learned = Learned();
  EXPECT_EQ(learned["diet"].value, "vegan");
  EXPECT_EQ(learned["diet"].evidence, std::vector<std::string>{vegan});

  Say("I'm not vegan anymore.");
  EXPECT_FALSE(Learned().contains("diet"));
}

TEST_F(PreferenceEngineTest, AssistantTurnsTeachNothingAndLearningResumesWhereItStopped) {
  Say("I'm vegetarian.", model::Role::kAssistant);
  Say("I live in Lisbon.");
  ASSERT_TRUE(engine_->Learn(user_, /*max_turns=*/1).ok());
  EXPECT_TRUE(engine_->Current(user_)->empty());  // only the assistant's turn was read
  EXPECT_EQ(Learned()["location"].value, "Lisbon");
}

TEST_F(PreferenceEngineTest, NothingIsLearnedWhileLearningIsOff) {
  model::PrivacyChange off;
  off.learn_preferences = false;
  ASSERT_TRUE(store_->UpdatePrivacy(user_, off, clock_.NowMillis()).ok());
  std::string id = Say("Call me Sam. I'm vegan.");
  EXPECT_TRUE(Learned().empty());
  EXPECT_FALSE(*engine_->Feedback(user_, "too_long", id));
  off.learn_preferences = true;
  ASSERT_TRUE(store_->UpdatePrivacy(user_, off, clock_.NowMillis()).ok());
  EXPECT_TRUE(Learned().empty());  // turns stored meanwhile stay unlearned
}

TEST_F(PreferenceEngineTest, AForgottenKeyIsNotLearnedFromTheSameMessages) {
  Say("I'm allergic to peanuts and I love jazz.");
  ASSERT_TRUE(Learned().contains("allergy"));
  EXPECT_TRUE(*engine_->Forget(user_, "allergy"));
  EXPECT_FALSE(*engine_->Forget(user_, "allergy"));
  auto learned = Learned();
  EXPECT_FALSE(learned.contains("allergy"));
  EXPECT_TRUE(learned.contains("likes:jazz"));  // other keys stay
  Say("I'm allergic to cats.");
  EXPECT_EQ(Learned()["allergy"].value, "cats");
}

TEST_F(PreferenceEngineTest, ManualPreferencesAreCertainAndBeatInferredStyle) {
  auto set = engine_->Set(user_, "formality", "formal", "style");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->source, model::PreferenceSource::kManual);
  EXPECT_EQ(set->confidence, 1.0);
  for (int i = 0; i < 6; ++i) Say("hey lol gonna be late");
  auto learned = Learned();
  EXPECT_EQ(learned["formality"].value, "formal");
  EXPECT_EQ(learned["formality"].source, model::PreferenceSource::kManual);
}

TEST_F(PreferenceEngineTest, ImplicitStyleIsInferredAndDecaysWithTime) {
  for (int i = 0; i < 6; ++i) Say("ok thx 😀");
  auto learned = Learned();
  ASSERT_TRUE(learned.contains("emoji"));
  EXPECT_EQ(learned["emoji"].value, "welcome");
  EXPECT_EQ(learned["emoji"].source, model::PreferenceSource::kInferred);
  EXPECT_FALSE(learned["emoji"].evidence.empty());
  EXPECT_EQ(learned["response_length"].value, "concise");
  const double fresh = learned["emoji"].confidence;

  clock_.Advance(45 * kDay);  // one and a half half-lives: the evidence weighs less
  learned = Learned();
  if (learned.contains("emoji")) {
    EXPECT_LT(learned["emoji"].confidence, fresh);
  }
  clock_.Advance(365 * kDay);
  EXPECT_FALSE(Learned().contains("emoji"));
}

TEST_F(PreferenceEngineTest, FeedbackSetsLengthAndExplicitWordsWin) {
  Say("Tell me about tides.");
  std::string answer = Say("Tides are ...", model::Role::kAssistant);
  EXPECT_TRUE(*engine_->Feedback(user_, "too_short", answer));
  auto learned = Learned();
  ASSERT_TRUE(learned.contains("response_length"));
  EXPECT_EQ(learned["response_length"].value, "detailed");
  EXPECT_EQ(learned["response_length"].source, model::PreferenceSource::kFeedback);
  EXPECT_EQ(learned["response_length"].evidence, std::vector<std::string>{answer});
  Say("Please keep your answers short.");
  learned = Learned();
  EXPECT_EQ(learned["response_length"].value, "concise");
  EXPECT_EQ(learned["response_length"].source, model::PreferenceSource::kExplicit);
}

TEST(WritingStyleTest, ReadsLengthEmojiCodeFormalityAndLanguage) {
  WritingSignals casual = ReadWriting("hey lol that's cool 😀");
  EXPECT_EQ(casual.words, 4);
  EXPECT_TRUE(casual.emoji);
  EXPECT_LT(casual.formality, 0);
  EXPECT_FALSE(ReadWriting("Dear team, kindly find the report attached.").formality < 0);
  EXPECT_TRUE(ReadWriting("```\nint x = 1;\n```").code);
  EXPECT_TRUE(ReadWriting("int main() {\n  return 0;\n}").code);
  EXPECT_EQ(
      ReadWriting("¿Qué es lo que pasa con el tren? Estoy muy cansado y quiero ir a casa").language,
      "es");
  EXPECT_EQ(ReadWriting("Ich bin sehr müde und das ist nicht gut").language, "de");
  EXPECT_EQ(ReadWriting("What is the best way to do this and how").language, "en");
  EXPECT_EQ(ReadWriting("Привет, как дела?").language, "ru");
  EXPECT_EQ(ReadWriting("これは日本語です").language, "ja");
  EXPECT_EQ(ReadWriting("ok").language, "");
}

TEST(StyleStateTest, SurvivesSerializationAndIgnoresGarbage) {
  StyleState state;
  for (int i = 0; i < 5; ++i) state.AddTurn(ReadWriting("ok 😀"), 1000 + i);
  StyleState again = StyleState::Parse(state.Serialize());
  EXPECT_EQ(again.Serialize(), state.Serialize());
  EXPECT_EQ(again.Infer(2000).size(), state.Infer(2000).size());
  EXPECT_TRUE(StyleState::Parse("words nan 1 2\n").Infer(0).empty());
  EXPECT_TRUE(StyleState::Parse("\xff garbage").Infer(0).empty());
}

}  // namespace
}  // namespace loci::service
