// Encryption at rest through the real binary: no word a client wrote reaches any file in
// plaintext, an erased user's key and ciphertext leave every file, the master key is checked
// at start, and `loci keys rotate-master` re-wraps keys under a new one.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "integration/test_util.h"

namespace loci::integration {
namespace {

constexpr char kKeyA[] = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
constexpr char kKeyB[] = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";

class EncryptionTest : public ServerTest {
 protected:
  std::string db_path() const { return data_dir() + "/loci.db"; }

  // The files under the data folder that hold `needle`.
  std::vector<std::string> FilesHolding(std::string_view needle) const {
    std::vector<std::string> holding;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(data_dir())) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::string bytes(std::istreambuf_iterator<char>(in), {});
      if (bytes.find(needle) != std::string::npos) holding.push_back(entry.path().string());
    }
    return holding;
  }

  // Stores one message carrying `canary` in its content, name, metadata and idempotency key.
  void StoreCanaries(const std::string& user, const std::string& canary) {
    Store(user, "s1",
          Message("user", "remember " + canary + " please",
                  {{"name", canary + "name"},
                   {"metadata", {{canary + "key", canary + "value"}}},
                   {"idempotency_key", canary + "idem"}}));
  }

  // Puts `canary` into preferences: one set by hand (value) and one learned from a turn
  // (key and value: "likes:<canary>jazz"), and checks both are served.
  void PreferenceCanaries(const std::string& user, const std::string& canary) {
    HttpRequest put;
    put.method = "PUT";
    put.target = "/memory/preferences/" + user + "/tone";
    put.body = json{{"value", canary + "pref"}}.dump();
    ASSERT_EQ(client().Send(put).status, 200);
    Store(user, "s1", Message("user", "I love " + canary + "jazz."));
    HttpResponse preferences = client().Get("/memory/preferences/" + user);
    ASSERT_EQ(preferences.status, 200) << preferences.Describe();
    std::set<std::string> values;
    const json body = preferences.Json();
    for (const json& preference : body["preferences"]) {
      values.insert(preference["key"].get<std::string>() + "=" +
                    preference["value"].get<std::string>());
    }
    EXPECT_TRUE(values.contains("tone=" + canary + "pref")) << preferences.body;
    EXPECT_TRUE(values.contains("likes:" + canary + "jazz=" + canary + "jazz")) << preferences.body;
  }

  // True once the server's stderr holds `text` (read by another thread: give it a moment).
  bool StderrSoonHolds(const std::string& text) const {
    for (int i = 0; i < 50; ++i) {
      if (server_->stderr_text().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  ExitInfo Run(const std::vector<std::string>& args, const Environment& extra = {}) {
    return TestServer::RunToExit(args, work_dir(), BaseEnvironment(data_dir(), extra));
  }
};

TEST_F(EncryptionTest, NothingAClientWroteReachesAFileInPlaintext) {
  StoreCanaries("alice", "zqxcanary");
  PreferenceCanaries("alice", "zqxcanary");
  // Readable through the API: search finds the word, context returns it.
  HttpResponse search = client().PostJson(
      "/memory/search", {{"user_id", "alice"}, {"query", "zqxcanary"}, {"mode", "fulltext"}});
  ASSERT_EQ(search.status, 200) << search.Describe();
  // The turn holding the word comes first (the turn next to it in the session may follow).
  ASSERT_GE(search.Json()["results"].size(), 1u) << search.Describe();
  EXPECT_EQ(search.Json()["results"][0]["message"]["name"], "zqxcanaryname");
  HttpResponse filtered =
      client().PostJson("/memory/search", {{"user_id", "alice"},
                                           {"query", "remember"},
                                           {"mode", "fulltext"},
                                           {"metadata", {{"zqxcanarykey", "zqxcanaryvalue"}}}});
  ASSERT_EQ(filtered.status, 200) << filtered.Describe();
  EXPECT_EQ(filtered.Json()["results"].size(), 1u) << filtered.Describe();
  HttpResponse context = client().Get("/memory/context/alice?session_id=s1");
  ASSERT_EQ(context.status, 200);
  EXPECT_EQ(context.Json()["messages"][0]["content"], "remember zqxcanary please");
  EXPECT_EQ(context.Json()["messages"][0]["metadata"]["zqxcanarykey"], "zqxcanaryvalue");

  EXPECT_TRUE(FilesHolding("zqxcanary").empty()) << "while running";
  StopServer();
  EXPECT_TRUE(FilesHolding("zqxcanary").empty()) << "after stopping";
}

TEST_F(EncryptionTest, ErasureLeavesNeitherKeyNorCiphertextInAnyFile) {
  StoreCanaries("alice", "c1");
  PreferenceCanaries("alice", "c1");
  StoreCanaries("bob", "c2");
  const std::string alice_ref = "(SELECT id FROM users WHERE user_id = 'alice')";
  const std::string preference_ciphertext = QuerySingle(
      db_path(), "SELECT value FROM preferences WHERE user_ref = " + alice_ref + " LIMIT 1");
  const std::string style_ciphertext =
      QuerySingle(db_path(), "SELECT style FROM preference_state WHERE user_ref = " + alice_ref);
  ASSERT_GT(preference_ciphertext.size(), 40u);
  ASSERT_GT(style_ciphertext.size(), 40u);
  ASSERT_FALSE(FilesHolding(preference_ciphertext).empty());
  const std::string wrapped_key =
      QuerySingle(db_path(), "SELECT data_key FROM users WHERE user_id = 'alice'");
  const std::string ciphertext = QuerySingle(
      db_path(),
      "SELECT content FROM messages WHERE user_ref = (SELECT id FROM users WHERE user_id = "
      "'alice')");
  ASSERT_EQ(wrapped_key.size(), 32u + 40u);
  ASSERT_GT(ciphertext.size(), 40u);
  ASSERT_FALSE(FilesHolding(wrapped_key).empty());

  ASSERT_EQ(client().Delete("/memory/user/alice").status, 200);
  StopServer();  // closing checkpoints the WAL into the database file
  EXPECT_TRUE(FilesHolding(wrapped_key).empty());
  EXPECT_TRUE(FilesHolding(ciphertext).empty());
  EXPECT_TRUE(FilesHolding(preference_ciphertext).empty());
  EXPECT_TRUE(FilesHolding(style_ciphertext).empty());

  StartServer();  // bob is untouched
  HttpResponse context = client().Get("/memory/context/bob?session_id=s1");
  ASSERT_EQ(context.status, 200);
  EXPECT_EQ(context.Json()["messages"][0]["content"], "remember c2 please");
}

TEST_F(EncryptionTest, KeyFileIsPrivateAndAnnouncedAtEveryStart) {
  struct stat info {};
  ASSERT_EQ(::stat((data_dir() + "/master.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  EXPECT_TRUE(StderrSoonHolds("no ENCRYPTION_KEY"));
  StoreCanaries("alice", "c1");
  StopServer();
  StartServer();
  EXPECT_TRUE(StderrSoonHolds("no ENCRYPTION_KEY"));
  EXPECT_EQ(client().Get("/memory/context/alice?session_id=s1").Json()["messages"].size(), 1u);

  // A key file others may read is refused.
  StopServer();
  ::chmod((data_dir() + "/master.key").c_str(), 0644);
  ExitInfo refused = Run({"serve"});
  EXPECT_NE(refused.code, 0);
  EXPECT_NE(refused.stderr_text.find("chmod 600"), std::string::npos) << refused.stderr_text;
}

TEST_F(EncryptionTest, AWrongOrMalformedMasterKeyStopsTheStart) {
  StoreCanaries("alice", "c1");
  StopServer();
  ExitInfo wrong = Run({"serve"}, {{"ENCRYPTION_KEY", kKeyA}});
  EXPECT_NE(wrong.code, 0);
  EXPECT_NE(wrong.stderr_text.find("ENCRYPTION_KEY is not the key"), std::string::npos)
      << wrong.stderr_text;
  ExitInfo malformed = Run({"serve"}, {{"ENCRYPTION_KEY", "c2hvcnQ="}});
  EXPECT_NE(malformed.code, 0);
  EXPECT_NE(malformed.stderr_text.find("ENCRYPTION_KEY"), std::string::npos);
  EXPECT_EQ(malformed.stderr_text.find("c2hvcnQ="), std::string::npos) << "the value is echoed";
}

TEST_F(EncryptionTest, RotationWithAKeyFileReplacesIt) {
  StoreCanaries("alice", "c1");
  // Refused while a server uses the data folder.
  ExitInfo busy = Run({"keys", "rotate-master"});
  EXPECT_NE(busy.code, 0);
  EXPECT_NE(busy.stderr_text.find("another loci process"), std::string::npos) << busy.stderr_text;
  StopServer();

  std::ifstream before_file(data_dir() + "/master.key");
  std::string before((std::istreambuf_iterator<char>(before_file)), {});
  ExitInfo rotated = Run({"keys", "rotate-master"});
  ASSERT_EQ(rotated.code, 0) << rotated.stderr_text;
  EXPECT_NE(rotated.stdout_text.find("re-wrapped"), std::string::npos) << rotated.stdout_text;
  std::ifstream after_file(data_dir() + "/master.key");
  std::string after((std::istreambuf_iterator<char>(after_file)), {});
  EXPECT_NE(before, after);
  EXPECT_FALSE(std::filesystem::exists(data_dir() + "/master.key.next"));

  // Audited as an operator's action of no tenant: alice's key and the server's three keys.
  EXPECT_EQ(QuerySingle(db_path(),
                        "SELECT count FROM audit_events WHERE action = 'master_key_rotate'"
                        " AND key_id = 'cli' AND outcome = 'ok'"),
            "4");
  StartServer();
  EXPECT_EQ(client().Get("/memory/context/alice?session_id=s1").Json()["messages"][0]["content"],
            "remember c1 please");
  EXPECT_EQ(client().Get("/audit/verify").Json()["ok"], true);
}

class EnvironmentKeyTest : public EncryptionTest {
 protected:
  Environment ServerEnvironment() const override { return {{"ENCRYPTION_KEY", kKeyA}}; }
};

TEST_F(EnvironmentKeyTest, RotationToTheGivenKeyRetiresTheOldOne) {
  EXPECT_FALSE(std::filesystem::exists(data_dir() + "/master.key"));
  StoreCanaries("alice", "c1");
  StopServer();
  ExitInfo rotated =
      Run({"keys", "rotate-master"}, {{"ENCRYPTION_KEY", kKeyA}, {"NEW_ENCRYPTION_KEY", kKeyB}});
  ASSERT_EQ(rotated.code, 0) << rotated.stderr_text;
  EXPECT_EQ(rotated.stdout_text.find(kKeyB), std::string::npos) << "a given key is not echoed";

  ExitInfo old_key = Run({"serve"}, {{"ENCRYPTION_KEY", kKeyA}});
  EXPECT_NE(old_key.code, 0);
  std::string error;
  auto server = TestServer::Start(work_dir(), data_dir(), {{"ENCRYPTION_KEY", kKeyB}}, &error);
  ASSERT_TRUE(server != nullptr) << error;
  HttpClient client(server->host(), server->port());
  EXPECT_EQ(client.Get("/memory/context/alice?session_id=s1").Json()["messages"][0]["content"],
            "remember c1 please");
}

TEST_F(EncryptionTest, ASecondServerOnTheSameDataFolderIsRefused) {
  ExitInfo second = Run({"serve"});
  EXPECT_NE(second.code, 0);
  EXPECT_NE(second.stderr_text.find("another loci process"), std::string::npos)
      << second.stderr_text;
  ExpectHealthy();
}

}  // namespace
}  // namespace loci::integration
