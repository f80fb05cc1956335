// Durability under kill -9: clients store concurrently, the server is killed mid-stream and
// restarted on the same data folder; every acknowledged message must be there, every batch
// must be whole or absent, and the database must pass SQLite's integrity check.
#include <sqlite3.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "integration/test_util.h"

namespace loci::integration {
namespace {

constexpr int kThreads = 16;
constexpr int kBatchThreads = 2;  // threads 0 and 1 store 100 messages a request
constexpr int kBatchSize = 100;

struct Acknowledged {
  std::string id;
  std::string user_id;
  std::string session_id;
  std::string content;
};

class CrashTest : public ServerTest {
 protected:
  // Runs the writers for about `duration`, killing the server with SIGKILL after `kill_after`.
  // Returns every message whose store was acknowledged with 201.
  std::vector<Acknowledged> StoreAndKill(int round, std::chrono::milliseconds kill_after,
                                         std::chrono::milliseconds duration) {
    std::mutex mutex;
    std::vector<Acknowledged> acknowledged;
    std::atomic<int> answered{0};
    const auto deadline = std::chrono::steady_clock::now() + duration;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        auto client = NewClient();
        const std::string user = "crash-user-" + std::to_string(t % 4);
        const std::string session = "r" + std::to_string(round) + "-t" + std::to_string(t);
        int failures = 0;
        for (int i = 0; std::chrono::steady_clock::now() < deadline && failures < 50; ++i) {
          json messages = json::array();
          const int count = t < kBatchThreads ? kBatchSize : 1;
          for (int j = 0; j < count; ++j) {
            messages.push_back(Message("user", session + " request " + std::to_string(i) +
                                                   " part " + std::to_string(j) + " durable"));
          }
          HttpRequest request;
          request.method = "POST";
          request.target = "/memory/store";
          request.body =
              json({{"user_id", user}, {"session_id", session}, {"messages", messages}}).dump();
          request.timeout = std::chrono::seconds(20);
          HttpResponse response = client->Send(request);
          if (response.status != 201) {
            ++failures;
            if (response.status != 0) {
              ADD_FAILURE() << "unexpected answer while storing: " << response.Describe();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
          }
          answered.fetch_add(1);
          json body = response.Json();
          std::lock_guard<std::mutex> lock(mutex);
          for (int j = 0; j < count; ++j) {
            acknowledged.push_back({body["message_ids"][j].get<std::string>(), user, session,
                                    messages[j]["content"].get<std::string>()});
          }
        }
      });
    }
    std::this_thread::sleep_for(kill_after);
    const int before_kill = answered.load();
    ExitInfo info = server_->Kill();
    EXPECT_EQ(info.signal, SIGKILL)
        << "the server was not running at the kill: code " << info.code << "\n"
        << info.stderr_text;
    for (auto& thread : threads) thread.join();
    EXPECT_GT(before_kill, 0) << "no store was acknowledged before the kill";
    server_.reset();
    client_.reset();
    return acknowledged;
  }

  // Checks that every acknowledged message is stored, with its content, and that every batch
  // request is whole or absent.
  void ExpectAllPresent(int round, const std::vector<Acknowledged>& acknowledged) {
    std::map<std::string, std::map<std::string, std::string>> expected_by_session;
    for (const auto& ack : acknowledged) expected_by_session[ack.session_id][ack.id] = ack.content;
    std::size_t found = 0;
    for (int t = 0; t < kThreads; ++t) {
      const std::string user = "crash-user-" + std::to_string(t % 4);
      const std::string session = "r" + std::to_string(round) + "-t" + std::to_string(t);
      std::map<std::string, std::string> stored;  // id -> content
      json messages = SessionMessages(user, session);
      std::map<std::string, int> per_request;  // "request i" -> messages present
      for (const auto& message : messages) {
        std::string id = message["id"];
        EXPECT_TRUE(stored.emplace(id, message["content"].get<std::string>()).second)
            << "duplicate id " << id;
        std::string content = message["content"];
        std::size_t part = content.find(" part ");
        per_request[content.substr(0, part)]++;
      }
      for (const auto& [id, content] : expected_by_session[session]) {
        if (stored.count(id)) {
          ++found;
          EXPECT_EQ(stored[id], content) << id;
        } else {
          ADD_FAILURE() << "acknowledged message " << id << " of " << session << " is lost";
        }
      }
      if (t < kBatchThreads) {
        for (const auto& [request, count] : per_request) {
          EXPECT_EQ(count, kBatchSize) << request << " was stored partly: not atomic";
        }
      }
    }
    EXPECT_EQ(found, acknowledged.size());
    std::set<std::string> ids;
    for (const auto& ack : acknowledged) ids.insert(ack.id);
    EXPECT_EQ(ids.size(), acknowledged.size()) << "the server handed out an id twice";
  }

  // Full-text search finds acknowledged messages after recovery (the index is durable too).
  void ExpectSearchable(const std::vector<Acknowledged>& acknowledged) {
    const std::string user = "crash-user-2";
    HttpResponse search = client().PostJson(
        "/memory/search",
        {{"user_id", user}, {"query", "durable"}, {"mode", "fulltext"}, {"limit", 100}});
    ASSERT_EQ(search.status, 200) << search.Describe();
    std::size_t acked_for_user = 0;
    for (const auto& ack : acknowledged) acked_for_user += ack.user_id == user ? 1 : 0;
    EXPECT_GE(search.Json()["results"].size(), std::min<std::size_t>(acked_for_user, 100));
  }
};

std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string error = db ? sqlite3_errmsg(db) : "open failed";
    sqlite3_close(db);
    return error;
  }
  std::string result;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK) {
    while (sqlite3_step(statement) == SQLITE_ROW) {
      if (!result.empty()) result += "\n";
      result += reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
  } else {
    result = sqlite3_errmsg(db);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return result;
}

TEST_F(CrashTest, AcknowledgedStoresSurviveKillDashNine) {
  std::vector<std::vector<Acknowledged>> rounds;
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    rounds.push_back(
        StoreAndKill(round, std::chrono::milliseconds(1500), std::chrono::milliseconds(2500)));
    ASSERT_FALSE(rounds.back().empty());
    ASSERT_NO_FATAL_FAILURE(StartServer());
    for (int checked = 0; checked <= round; ++checked) ExpectAllPresent(checked, rounds[checked]);
    ExpectSearchable(rounds[round]);
    std::size_t total = 0;
    for (const auto& r : rounds) total += r.size();
    std::cout << "[ info     ] round " << round << ": " << rounds.back().size()
              << " acknowledged messages, " << total << " in all\n";
  }
  // The server keeps working after recovery.
  Store("crash-user-0", "after", {Message("user", "after the crashes")});
  EXPECT_EQ(SessionMessages("crash-user-0", "after").size(), 1u);
  ASSERT_NO_FATAL_FAILURE(StopServer());
  EXPECT_EQ(IntegrityCheck(data_dir() + "/loci.db"), "ok");
}

TEST_F(CrashTest, KillDuringIdleThenRestartIsClean) {
  Store("u1", "s1", {Message("user", "before the crash")});
  server_->Kill();
  server_.reset();
  EXPECT_EQ(IntegrityCheck(data_dir() + "/loci.db"), "ok");
  ASSERT_NO_FATAL_FAILURE(StartServer());
  json messages = SessionMessages("u1", "s1");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["content"], "before the crash");
  ASSERT_NO_FATAL_FAILURE(StopServer());
  EXPECT_EQ(IntegrityCheck(data_dir() + "/loci.db"), "ok");
}

TEST_F(CrashTest, AcknowledgedErasureSurvivesKillDashNine) {
  Store("u1", "s1", {Message("user", "erase me please"), Message("user", "me too")});
  Store("u2", "s1", {Message("user", "keep me")});
  HttpResponse erase = client().Delete("/memory/user/u1");
  ASSERT_EQ(erase.status, 200) << erase.Describe();
  HttpResponse erase_message = client().Delete(
      "/memory/message/u2/" + Encode(SessionMessages("u2", "s1")[0]["id"].get<std::string>()));
  ASSERT_EQ(erase_message.status == 200 || erase_message.status == 204, true);
  server_->Kill();
  server_.reset();
  ASSERT_NO_FATAL_FAILURE(StartServer());
  EXPECT_TRUE(client().Get("/memory/sessions/u1").Json()["sessions"].empty());
  EXPECT_TRUE(SessionMessages("u2", "s1").empty());
  HttpResponse search = client().PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "erase"}, {"mode", "fulltext"}});
  EXPECT_TRUE(search.Json()["results"].empty()) << search.Describe();
}

}  // namespace
}  // namespace loci::integration
