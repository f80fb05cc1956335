// Preferences over real HTTP: learned from stored turns (with retractions), set by hand,
// forgotten for good, not learned when the user's learn_preferences is off, feedback, and
// carried by the context pack, the export and the erasure counts. With LLM_URL (a local
// stand-in that speaks the chat completions protocol), the model's observations join the
// rules' off the request path.
#include <chrono>
#include <thread>

#include "integration/test_util.h"
#include "unit/embed/fake_provider.h"

namespace loci::integration {
namespace {

HttpResponse Put(HttpClient& client, const std::string& target, const json& body) {
  HttpRequest request;
  request.method = "PUT";
  request.target = target;
  request.body = body.dump();
  return client.Send(request);
}

class PreferencesTest : public ServerTest {
 protected:
  // GET /memory/preferences/{user}: key → preference object.
  std::map<std::string, json> Preferences(const std::string& user) {
    HttpResponse response = client().Get("/memory/preferences/" + user);
    EXPECT_EQ(response.status, 200) << response.Describe();
    std::map<std::string, json> by_key;
    const json body = response.Json();
    for (const json& preference : body["preferences"]) {
      by_key[preference["key"].get<std::string>()] = preference;
    }
    return by_key;
  }
  std::string Say(const std::string& user, const std::string& text) {
    json stored = Store(user, "s1", Message("user", text));
    return stored["message_ids"][0];
  }
};

TEST_F(PreferencesTest, LearnsFromTurnsAndFollowsChangesAndRetractions) {
  std::string vegetarian = Say("alice", "Hi! I'm vegetarian and I live in Paris.");
  Say("alice", "My sister is vegan. Is it healthy to be vegan?");
  std::string jazz = Say("alice", "I love jazz.");
  auto learned = Preferences("alice");
  ASSERT_TRUE(learned.contains("diet"));
  EXPECT_EQ(learned["diet"]["value"], "vegetarian");
  EXPECT_EQ(learned["diet"]["category"], "personal");
  EXPECT_EQ(learned["diet"]["source"], "explicit");
  EXPECT_EQ(learned["diet"]["evidence"], json::array({vegetarian}));
  EXPECT_EQ(learned["location"]["value"], "Paris");
  EXPECT_EQ(learned["likes:jazz"]["evidence"], json::array({jazz}));

  std::string moved = Say("alice", "I moved to Berlin last month.");
  Say("alice", "I'm no longer vegetarian. I've stopped liking jazz, though.");
  auto changed = Preferences("alice");
  EXPECT_EQ(changed["location"]["value"], "Berlin");
  EXPECT_EQ(changed["location"]["evidence"], json::array({moved}));
  EXPECT_FALSE(changed.contains("diet"));
  EXPECT_FALSE(changed.contains("likes:jazz"));

  // The context pack carries them, surest first.
  HttpResponse context = client().Get("/memory/context/alice?session_id=s1");
  ASSERT_EQ(context.status, 200) << context.Describe();
  ASSERT_FALSE(context.Json()["preferences"].empty());
  EXPECT_EQ(context.Json()["preferences"][0]["key"], "location");
}

TEST_F(PreferencesTest, SetByHandValidatedAndForgottenForGood) {
  HttpResponse put =
      Put(client(), "/memory/preferences/bob/response_length", {{"value", "concise"}});
  ASSERT_EQ(put.status, 200) << put.Describe();
  EXPECT_EQ(put.Json()["source"], "manual");
  EXPECT_EQ(put.Json()["confidence"], 1.0);
  EXPECT_EQ(put.Json()["category"], "style");
  EXPECT_EQ(Preferences("bob")["response_length"]["value"], "concise");

  EXPECT_TRUE(IsError(Put(client(), "/memory/preferences/bob/Bad-Key", {{"value", "x"}}), 400,
                      "invalid_argument", "key"));
  EXPECT_TRUE(IsError(Put(client(), "/memory/preferences/bob/tone", {{"value", ""}}), 400,
                      "invalid_argument", "value"));
  EXPECT_TRUE(
      IsError(Put(client(), "/memory/preferences/bob/tone", {{"value", std::string(2000, 'x')}}),
              400, "invalid_argument", "value"));
  EXPECT_TRUE(IsError(
      Put(client(), "/memory/preferences/bob/tone", {{"value", "warm"}, {"category", "Not Snake"}}),
      400, "invalid_argument", "category"));

  // Learned, then forgotten: the same old message does not teach it again.
  Say("bob", "I'm allergic to peanuts.");
  EXPECT_EQ(Preferences("bob")["allergy"]["value"], "peanuts");
  HttpResponse forget = client().Delete("/memory/preferences/bob/allergy");
  ASSERT_EQ(forget.status, 200) << forget.Describe();
  EXPECT_EQ(forget.Json()["deleted"], true);
  EXPECT_FALSE(Preferences("bob").contains("allergy"));
  Say("bob", "Thanks!");
  StopServer();
  StartServer();
  EXPECT_FALSE(Preferences("bob").contains("allergy"));
  EXPECT_EQ(client().Delete("/memory/preferences/bob/allergy").Json()["deleted"], false);
  // A new statement after the forgetting is learned.
  Say("bob", "I'm allergic to shellfish.");
  EXPECT_EQ(Preferences("bob")["allergy"]["value"], "shellfish");
}

TEST_F(PreferencesTest, NotLearnedWhileLearningIsOff) {
  HttpRequest off;
  off.method = "PUT";
  off.target = "/memory/privacy/carol";
  off.body = R"({"learn_preferences": false})";
  ASSERT_EQ(client().Send(off).status, 200);
  std::string turn = Say("carol", "I'm vegan and I live in Oslo.");
  EXPECT_TRUE(Preferences("carol").empty());
  HttpResponse feedback = client().PostJson(
      "/memory/feedback",
      {{"user_id", "carol"}, {"session_id", "s1"}, {"message_id", turn}, {"signal", "too_long"}});
  ASSERT_EQ(feedback.status, 200) << feedback.Describe();
  EXPECT_EQ(feedback.Json()["learned"], false);
  // Turned back on: what was said meanwhile stays unlearned; what is said next is learned.
  off.body = R"({"learn_preferences": true})";
  ASSERT_EQ(client().Send(off).status, 200);
  EXPECT_TRUE(Preferences("carol").empty());
  Say("carol", "Please answer in Spanish.");
  auto learned = Preferences("carol");
  EXPECT_EQ(learned.size(), 1u);
  EXPECT_EQ(learned["language"]["value"], "es");
}

TEST_F(PreferencesTest, FeedbackTeachesLengthAndBadFeedbackIsRefused) {
  Store("dan", "s1", Message("user", "Tell me about the moon."));
  json answer = Store("dan", "s1", Message("assistant", "The moon is ... (a very long answer)"));
  std::string answer_id = answer["message_ids"][0];
  for (int i = 0; i < 2; ++i) {
    HttpResponse feedback = client().PostJson("/memory/feedback", {{"user_id", "dan"},
                                                                   {"session_id", "s1"},
                                                                   {"message_id", answer_id},
                                                                   {"signal", "too_long"},
                                                                   {"note", "way too long"}});
    ASSERT_EQ(feedback.status, 200) << feedback.Describe();
    EXPECT_EQ(feedback.Json()["learned"], true);
  }
  auto learned = Preferences("dan");
  ASSERT_TRUE(learned.contains("response_length"));
  EXPECT_EQ(learned["response_length"]["value"], "concise");
  EXPECT_EQ(learned["response_length"]["source"], "feedback");

  EXPECT_TRUE(IsError(
      client().PostJson(
          "/memory/feedback",
          {{"user_id", "dan"}, {"session_id", "s1"}, {"message_id", answer_id}, {"signal", "meh"}}),
      400, "invalid_argument", "signal"));
  EXPECT_TRUE(IsError(client().PostJson("/memory/feedback", {{"user_id", "dan"}}), 400,
                      "invalid_argument", "session_id"));
}

TEST_F(PreferencesTest, ExportHoldsThemAndErasureCountsThem) {
  std::string turn = Say("erin", "Call me Erin. I'm a nurse.");
  ASSERT_EQ(Put(client(), "/memory/preferences/erin/tone", {{"value", "warm"}}).status, 200);
  HttpResponse exported = client().Get("/memory/export/erin");
  ASSERT_EQ(exported.status, 200) << exported.Describe();
  const json document = exported.Json();
  const json& preferences = document["preferences"];
  ASSERT_EQ(preferences.size(), 3u) << exported.body;
  bool occupation_found = false;
  for (const json& preference : preferences) {
    if (preference["key"] == "occupation") {
      occupation_found = true;
      EXPECT_EQ(preference["value"], "nurse");
      EXPECT_EQ(preference["evidence"], json::array({turn}));
    }
  }
  EXPECT_TRUE(occupation_found);

  // Erasing the evidence takes the learned preferences, not the manual one.
  ASSERT_EQ(client().Delete("/memory/message/erin/" + turn).status, 200);
  auto left = Preferences("erin");
  EXPECT_EQ(left.size(), 1u);
  EXPECT_TRUE(left.contains("tone"));

  HttpResponse erased = client().Delete("/memory/user/erin");
  ASSERT_EQ(erased.status, 200) << erased.Describe();
  EXPECT_EQ(erased.Json()["deleted"]["preferences"], 1);
  EXPECT_TRUE(Preferences("erin").empty());
}

class ModelPreferencesTest : public PreferencesTest {
 protected:
  Environment ServerEnvironment() const override {
    return {
        {"LLM_URL", provider_.url()}, {"LLM_MODEL", "stand-in-chat"}, {"LOCI_FOLD_DELAY_MS", "0"}};
  }

  loci::testing::FakeProvider provider_;
};

TEST_F(ModelPreferencesTest, TheModelsObservationsJoinTheRulesOffTheRequestPath) {
  const json observations = {
      {"observations",
       {{{"turn", 1}, {"key", "likes:cello"}, {"value", "cello"}},
        {{"turn", 1}, {"key", "diet"}, {"value", "vegan"}},    // the rules read this turn
        {{"turn", 1}, {"key", "api_key"}, {"value", "x"}}}}};  // no such key
  provider_.Enqueue(
      {.body = json{{"choices",
                     {{{"message", {{"role", "assistant"}, {"content", observations.dump()}}},
                       {"finish_reason", "stop"}}}}}
                   .dump()});
  std::string turn =
      Say("fay", "I'm vegetarian. Honestly the sound of a cello gets me every time.");
  // A read learns with the rules at once; the model's reading follows through the work queue.
  EXPECT_EQ(Preferences("fay")["diet"]["value"], "vegetarian");
  std::map<std::string, json> learned;
  for (int attempt = 0; attempt < 200 && !learned.contains("likes:cello"); ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    learned = Preferences("fay");
  }
  ASSERT_TRUE(learned.contains("likes:cello"));
  EXPECT_EQ(learned["likes:cello"]["value"], "cello");
  EXPECT_EQ(learned["likes:cello"]["source"], "explicit");
  EXPECT_DOUBLE_EQ(learned["likes:cello"]["confidence"].get<double>(), 0.5);
  EXPECT_EQ(learned["likes:cello"]["evidence"], json::array({turn}));
  EXPECT_EQ(learned["diet"]["value"], "vegetarian");
  EXPECT_FALSE(learned.contains("api_key"));
  ASSERT_EQ(provider_.requests().size(), 1u);
  EXPECT_EQ(provider_.requests()[0].path, "/v1/chat/completions");
  ExpectHealthy();
}

}  // namespace
}  // namespace loci::integration
