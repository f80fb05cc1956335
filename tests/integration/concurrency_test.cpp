// Concurrent clients over real HTTP: readers and writers together, erasure racing stores, and
// a graceful shutdown while requests are in flight.
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "integration/test_util.h"

namespace loci::integration {
namespace {

using ConcurrencyTest = ServerTest;

// Records answers that no correct server gives under load (anything but what is allowed).
class Unexpected {
 public:
  void Record(const std::string& what, const HttpResponse& response) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (seen_.size() < 10) seen_.push_back(what + ": " + response.Describe());
    ++count_;
  }
  void Expect() {
    std::lock_guard<std::mutex> lock(mutex_);
    EXPECT_EQ(count_, 0);
    for (const auto& line : seen_) ADD_FAILURE() << line;
  }

 private:
  std::mutex mutex_;
  int count_ = 0;
  std::vector<std::string> seen_;
};

TEST_F(ConcurrencyTest, ReadersAndWritersTogether) {
  Unexpected unexpected;
  std::atomic<int> stored{0};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto client = NewClient();
      const std::string user = "user-" + std::to_string(t % 2);
      for (int i = 0; std::chrono::steady_clock::now() < deadline; ++i) {
        if (t < 4) {
          HttpResponse response = client->PostJson(
              "/memory/store",
              {{"user_id", user},
               {"session_id", Numbered("s", i % 3)},
               {"messages", {Message("user", "concurrent otter " + std::to_string(i))}}});
          if (response.status == 201) {
            stored.fetch_add(1);
          } else {
            unexpected.Record("store", response);
          }
        } else {
          HttpResponse context = client->Get("/memory/context/" + user + "?max_messages=50");
          if (context.status != 200 || !context.Json().is_object()) {
            unexpected.Record("context", context);
          }
          HttpResponse search = client->PostJson(
              "/memory/search", {{"user_id", user}, {"query", "otter"}, {"mode", "fulltext"}});
          if (search.status != 200) unexpected.Record("search", search);
          HttpResponse sessions = client->Get("/memory/sessions/" + user);
          if (sessions.status != 200) unexpected.Record("sessions", sessions);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  unexpected.Expect();
  EXPECT_GT(stored.load(), 0);
  std::size_t total = 0;
  for (const char* user : {"user-0", "user-1"}) {
    for (const char* session : {"s0", "s1", "s2"}) total += SessionMessages(user, session).size();
  }
  EXPECT_EQ(total, static_cast<std::size_t>(stored.load()));
}

TEST_F(ConcurrencyTest, ErasureRacingStores) {
  Unexpected unexpected;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      auto client = NewClient();
      for (int i = 0; !stop.load(); ++i) {
        HttpResponse response = client->PostJson(
            "/memory/store",
            {{"user_id", "victim"},
             {"session_id", Numbered("s", t)},
             {"messages",
              {Message("user", "racing walrus"), Message("assistant", "racing reply")}}});
        if (response.status != 201) unexpected.Record("store", response);
      }
    });
  }
  for (int round = 0; round < 20; ++round) {
    HttpResponse erase = client().Delete("/memory/user/victim");
    if (erase.status != 200) unexpected.Record("erase", erase);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop = true;
  for (auto& thread : writers) thread.join();
  unexpected.Expect();

  ASSERT_EQ(client().Delete("/memory/user/victim").status, 200);
  HttpResponse sessions = client().Get("/memory/sessions/victim");
  EXPECT_EQ(sessions.Json()["sessions"], json::array()) << sessions.Describe();
  HttpResponse search = client().PostJson(
      "/memory/search", {{"user_id", "victim"}, {"query", "walrus"}, {"mode", "fulltext"}});
  EXPECT_EQ(search.Json()["results"], json::array()) << search.Describe();
  for (int t = 0; t < 4; ++t) {
    HttpResponse context = client().Get("/memory/context/victim?session_id=s" + std::to_string(t));
    EXPECT_EQ(context.Json()["messages"], json::array()) << context.Describe();
  }
}

TEST_F(ConcurrencyTest, GracefulShutdownUnderLoadLosesNothingAcknowledged) {
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> acknowledged;  // session, id
  Unexpected unexpected;
  std::atomic<int> answered{0};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto client = NewClient();
      const std::string session = Numbered("t", t);
      int failures = 0;
      while (std::chrono::steady_clock::now() < deadline && failures < 20) {
        json messages = json::array();
        for (int j = 0; j < 10; ++j) messages.push_back(Message("user", "graceful " + session));
        HttpResponse response = client->PostJson(
            "/memory/store", {{"user_id", "u1"}, {"session_id", session}, {"messages", messages}});
        if (response.status == 201) {
          answered.fetch_add(1);
          std::lock_guard<std::mutex> lock(mutex);
          const json body = response.Json();
          for (const auto& id : body["message_ids"]) {
            acknowledged.emplace_back(session, id.get<std::string>());
          }
          continue;
        }
        ++failures;
        // While stopping, a server may refuse new work with 503; anything else is wrong.
        if (response.status != 0 && response.status != 503) unexpected.Record("store", response);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  while (answered.load() < 20 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GT(answered.load(), 0);
  ExitInfo info = server_->Stop(SIGTERM);
  for (auto& thread : threads) thread.join();
  unexpected.Expect();
  EXPECT_FALSE(info.timed_out) << "no exit within 20 s of SIGTERM under load";
  EXPECT_TRUE(info.exited && info.code == 0)
      << "code " << info.code << ", signal " << info.signal << "\n"
      << info.stderr_text.substr(info.stderr_text.size() > 4000 ? info.stderr_text.size() - 4000
                                                                : 0);
  server_.reset();

  ASSERT_NO_FATAL_FAILURE(StartServer());
  std::map<std::string, std::set<std::string>> present;
  for (int t = 0; t < 8; ++t) {
    const std::string session = Numbered("t", t);
    for (const auto& message : SessionMessages("u1", session)) {
      present[session].insert(message["id"].get<std::string>());
    }
  }
  int lost = 0;
  for (const auto& [session, id] : acknowledged) {
    if (present[session].count(id) == 0 && ++lost <= 5) {
      ADD_FAILURE() << "acknowledged " << id << " in " << session << " is lost";
    }
  }
  EXPECT_EQ(lost, 0) << "of " << acknowledged.size() << " acknowledged";
}

}  // namespace
}  // namespace loci::integration
