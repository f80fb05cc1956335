// Rolling summaries over real HTTP: a session that outgrows the window gets a summary of its
// older turns in the context pack and in the export; erasing a folded turn takes it out.
#include <chrono>
#include <map>
#include <thread>

#include "integration/test_util.h"

namespace loci::integration {
namespace {

// Turn i: small talk, but turn 5 holds a name and a date nothing else mentions.
json Turn(int i) {
  const std::string content =
      i == 5 ? "My cousin Ottoline moved to Reykjavik on 14 February 2021."
             : "Turn " + std::to_string(i) + ": that sounds good, let us keep talking later.";
  return Message(i % 2 ? "assistant" : "user", content, {{"created_at", Timestamp(i)}});
}

class SummaryTest : public ServerTest {
 protected:
  // Stores turns [first, first + count) in u1/s1; returns their ids.
  std::vector<std::string> StoreTurns(int first, int count) {
    json messages = json::array();
    for (int i = first; i < first + count; ++i) messages.push_back(Turn(i));
    json stored = Store("u1", "s1", messages);
    return stored["message_ids"].get<std::vector<std::string>>();
  }

  json Context(const std::string& parameters = "") {
    HttpResponse response = client().Get("/memory/context/u1?session_id=s1" + parameters);
    EXPECT_EQ(response.status, 200) << response.Describe();
    return response.Json();
  }
};

TEST_F(SummaryTest, AnOutgrownSessionHasASummaryOfItsOlderTurns) {
  std::vector<std::string> ids = StoreTurns(0, 15);
  EXPECT_TRUE(Context()["summary"].is_null());
  std::vector<std::string> more = StoreTurns(15, 45);
  ids.insert(ids.end(), more.begin(), more.end());
  const json pack = Context();
  ASSERT_TRUE(pack["summary"].is_object()) << pack.dump();
  // 60 turns, a window of 20, a lag of at most 20: at least 20 folded, all up to the window.
  EXPECT_GE(pack["summary"]["message_count"].get<int>(), 20);
  EXPECT_EQ(pack["summary"]["message_count"], 40) << pack.dump();
  EXPECT_EQ(pack["summary"]["covers_until"], ids[39]);
  const std::string text = pack["summary"]["text"];
  EXPECT_NE(text.find("Ottoline moved to Reykjavik on 14 February 2021"), std::string::npos)
      << text;
  const std::string prompt = pack["prompt"];
  EXPECT_NE(prompt.find("## Summary of earlier conversation\n"), std::string::npos);
  EXPECT_LT(prompt.find("## Summary of earlier conversation"),
            prompt.find("## Recent conversation"));
  EXPECT_EQ(pack["messages"].size(), 20u);

  // Within any budget.
  for (int budget : {100, 300, 1000, 4000}) {
    const json small = Context("&max_tokens=" + std::to_string(budget));
    EXPECT_LE(small["token_count"].get<int>(), budget);
    EXPECT_TRUE(small["summary"].is_object()) << budget;
    EXPECT_FALSE(small["messages"].empty()) << budget;
  }

  // The export holds it.
  HttpResponse exported = client().Get("/memory/export/u1");
  ASSERT_EQ(exported.status, 200) << exported.Describe();
  const json document = exported.Json();
  ASSERT_EQ(document["summaries"].size(), 1u) << exported.Describe();
  EXPECT_EQ(document["summaries"][0]["session_id"], "s1");
  EXPECT_EQ(document["summaries"][0]["text"], text);
  EXPECT_EQ(document["summaries"][0]["covers_until"], ids[39]);
}

TEST_F(SummaryTest, ErasingAFoldedTurnTakesItOutOfTheSummary) {
  std::vector<std::string> ids = StoreTurns(0, 60);
  ASSERT_NE(Context()["summary"]["text"].get<std::string>().find("Ottoline"), std::string::npos);
  HttpResponse erased = client().Delete("/memory/message/u1/" + ids[5]);
  ASSERT_EQ(erased.status, 200) << erased.Describe();
  const json pack = Context();
  ASSERT_TRUE(pack["summary"].is_object()) << pack.dump();
  EXPECT_EQ(pack["summary"]["message_count"], 39);
  EXPECT_EQ(pack.dump().find("Ottoline"), std::string::npos) << pack.dump();
  HttpResponse exported = client().Get("/memory/export/u1");
  EXPECT_EQ(exported.body.find("Ottoline"), std::string::npos);

  // The session's erasure takes its summary along.
  ASSERT_EQ(client().Delete("/memory/session/u1/s1").status, 200);
  StoreTurns(100, 3);
  EXPECT_TRUE(Context()["summary"].is_null());
}

// Folds wait 3 s after a store, and a context request never folds by itself: folds are
// still pending when the server is killed.
class PendingFoldTest : public SummaryTest {
 protected:
  Environment ServerEnvironment() const override {
    return {{"LOCI_FOLD_DELAY_MS", "3000"}, {"LOCI_SUMMARY_LAG_MESSAGES", "100000"}};
  }
};

TEST_F(PendingFoldTest, AKillWithFoldsPendingLosesNone) {
  std::map<std::string, std::string> last_folded;  // session -> the id its fold must reach
  for (const char* session : {"a", "b", "c"}) {
    json messages = json::array();
    for (int i = 0; i < 60; ++i) messages.push_back(Turn(i));
    json stored = Store("u1", session, messages);
    last_folded[session] = stored["message_ids"][39];
  }
  server_->Kill();
  server_.reset();
  client_.reset();
  const std::string db = data_dir() + "/loci.db";
  ASSERT_EQ(QuerySingle(db, "SELECT count(*) FROM work WHERE kind = 'fold'"), "3");
  ASSERT_EQ(QuerySingle(db, "SELECT count(*) FROM summaries"), "0");

  ASSERT_NO_FATAL_FAILURE(StartServer());
  // Nothing asks for context: the restarted server's work runner completes the folds.
  json summaries;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    HttpResponse exported = client().Get("/memory/export/u1");
    ASSERT_EQ(exported.status, 200) << exported.Describe();
    summaries = exported.Json()["summaries"];
    if (summaries.size() == 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(summaries.size(), 3u) << summaries.dump();
  for (const json& summary : summaries) {
    const std::string session = summary["session_id"];
    EXPECT_EQ(summary["covers_until"], last_folded[session]) << session;
    EXPECT_EQ(summary["message_count"], 40) << session;
    EXPECT_NE(summary["text"].get<std::string>().find("Ottoline"), std::string::npos);
  }
  ASSERT_NO_FATAL_FAILURE(StopServer());
  EXPECT_EQ(QuerySingle(db, "SELECT count(*) FROM work"), "0");
}

}  // namespace
}  // namespace loci::integration
