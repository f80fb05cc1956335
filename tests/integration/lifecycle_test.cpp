// The server process over its life: graceful shutdown, restart on the same data, and
// configuration that stops it at start.

#include <filesystem>
#include <fstream>

#include "integration/test_util.h"

namespace loci::integration {
namespace {

using LifecycleTest = ServerTest;

TEST_F(LifecycleTest, SigtermExitsCleanly) {
  Store("u1", "s1", {Message("user", "hello")});
  StopServer();
}

TEST_F(LifecycleTest, SigintExitsCleanly) {
  Store("u1", "s1", {Message("user", "hello")});
  client_.reset();
  ExitInfo info = server_->Stop(SIGINT);
  EXPECT_FALSE(info.timed_out);
  EXPECT_TRUE(info.exited && info.code == 0)
      << "code " << info.code << ", signal " << info.signal << "\n"
      << info.stderr_text;
  server_.reset();
}

TEST_F(LifecycleTest, ShutdownDoesNotWaitForIdleKeepAliveConnections) {
  Store("u1", "s1", {Message("user", "hello")});
  std::vector<std::unique_ptr<HttpClient>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(NewClient());
    ASSERT_EQ(idle.back()->Get("/healthz").status, 200);  // leaves the connection open
  }
  auto start = std::chrono::steady_clock::now();
  StopServer();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
}

TEST_F(LifecycleTest, DataSurvivesARestart) {
  json stored = Store("u1", "s1",
                      {Message("user", "remember the lighthouse", {{"idempotency_key", "k1"}}),
                       Message("assistant", "noted", {{"metadata", {{"a", 1}}}})});
  Store("u1", "s2", {Message("user", "second session")});
  ASSERT_NO_FATAL_FAILURE(StopServer());
  ASSERT_NO_FATAL_FAILURE(StartServer());

  json messages = SessionMessages("u1", "s1");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0]["id"], stored["message_ids"][0]);
  EXPECT_EQ(messages[0]["content"], "remember the lighthouse");
  EXPECT_EQ(messages[1]["metadata"], json({{"a", 1}}));
  HttpResponse sessions = client().Get("/memory/sessions/u1");
  EXPECT_EQ(sessions.Json()["sessions"].size(), 2u) << sessions.Describe();
  HttpResponse search = client().PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "lighthouse"}, {"mode", "fulltext"}});
  ASSERT_EQ(search.status, 200) << search.Describe();
  // The match, then the reply said next to it (conversation-aware ranking).
  ASSERT_EQ(search.Json()["results"].size(), 2u) << search.Describe();
  EXPECT_EQ(search.Json()["results"][0]["message"]["content"], "remember the lighthouse");
  // Idempotency keys survive too.
  json replay =
      Store("u1", "s1", {Message("user", "remember the lighthouse", {{"idempotency_key", "k1"}})});
  EXPECT_EQ(replay["stored"], 0);
  EXPECT_EQ(replay["message_ids"][0], stored["message_ids"][0]);
  // Erasure after a restart still reaches everything.
  HttpResponse erase = client().Delete("/memory/user/u1");
  EXPECT_EQ(erase.Json()["deleted"]["messages"], 3) << erase.Describe();
}

TEST_F(LifecycleTest, DatabaseIsSqliteInWalMode) {
  Store("u1", "s1", {Message("user", "hello")});
  ASSERT_NO_FATAL_FAILURE(StopServer());
  const std::string db = data_dir() + "/loci.db";
  ASSERT_TRUE(std::filesystem::exists(db)) << db;
  EXPECT_EQ(QuerySingle(db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QuerySingle(db, "PRAGMA integrity_check"), "ok");
}

TEST_F(LifecycleTest, CreatesAMissingDataFolder) {
  ASSERT_NO_FATAL_FAILURE(StopServer());
  const std::string nested = work_dir() + "/not/yet/there";
  std::string error;
  auto server = TestServer::Start(work_dir(), nested, {}, &error);
  ASSERT_TRUE(server != nullptr) << error;
  HttpClient client(server->host(), server->port());
  HttpResponse response =
      client.PostJson("/memory/store", {{"user_id", "u1"}, {"messages", {Message("user", "x")}}});
  EXPECT_EQ(response.status, 201) << response.Describe();
  EXPECT_TRUE(std::filesystem::exists(nested + "/loci.db"));
  ExitInfo info = server->Stop(SIGTERM);
  EXPECT_EQ(info.code, 0) << info.stderr_text;
}

TEST_F(LifecycleTest, BadConfigurationStopsTheStart) {
  ASSERT_NO_FATAL_FAILURE(StopServer());
  struct Case {
    Environment env;
    std::string variable;
  };
  const std::vector<Case> cases = {
      {{{"LOCI_LISTEN", "nonsense"}}, "LOCI_LISTEN"},
      {{{"LOCI_LISTEN", "127.0.0.1:99999"}}, "LOCI_LISTEN"},
      {{{"LOCI_LISTEN", "127.0.0.1:"}}, "LOCI_LISTEN"},
      {{{"LOCI_LISTEN", "0.0.0.0:0"}}, "LOCI_LISTEN"},  // development mode is loopback only
      {{{"MAX_CONTEXT_MESSAGES", "0"}}, "MAX_CONTEXT_MESSAGES"},
      {{{"MAX_CONTEXT_MESSAGES", "twenty"}}, "MAX_CONTEXT_MESSAGES"},
      {{{"MAX_CONTEXT_MESSAGES", "-3"}}, "MAX_CONTEXT_MESSAGES"},
      {{{"MONGODB_URL", "mongodb://localhost:27017"}}, "MONGODB_URL"},
      {{{"LOCI_API_KEYS", "short:tenantA:app"}}, "LOCI_API_KEYS"},
      {{{"LOCI_API_KEYS", "a-long-enough-key-123:tenantA:root"}}, "LOCI_API_KEYS"},
      {{{"LOCI_API_KEYS", "garbage"}}, "LOCI_API_KEYS"},
      {{{"LOG_LEVEL", "loud"}}, "LOG_LEVEL"},
      {{{"LOCI_MAX_BODY_BYTES", "lots"}}, "LOCI_MAX_BODY_BYTES"},
      {{{"LOCI_THREADS", "0"}}, "LOCI_THREADS"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.env.begin()->first + "=" + c.env.begin()->second);
    ExitInfo info =
        TestServer::RunToExit({"serve"}, work_dir(), BaseEnvironment(data_dir(), c.env));
    EXPECT_FALSE(info.timed_out) << "still running after 20 s; stdout: " << info.stdout_text;
    EXPECT_TRUE(info.exited) << "killed by signal " << info.signal;
    EXPECT_NE(info.code, 0);
    EXPECT_NE(info.stderr_text.find(c.variable), std::string::npos)
        << "stderr does not name " << c.variable << ":\n"
        << info.stderr_text;
    EXPECT_EQ(info.stdout_text.find("listening on"), std::string::npos);
    // A refused key is never echoed.
    if (c.variable == "LOCI_API_KEYS") {
      EXPECT_EQ(info.stderr_text.find("a-long-enough-key-123"), std::string::npos)
          << info.stderr_text;
    }
  }
}

TEST_F(LifecycleTest, DotEnvInTheWorkingFolderIsRead) {
  ASSERT_NO_FATAL_FAILURE(StopServer());
  {
    std::ofstream dotenv(work_dir() + "/.env");
    dotenv << "# a comment\nMAX_CONTEXT_MESSAGES=0\n";
  }
  ExitInfo info = TestServer::RunToExit({"serve"}, work_dir(), BaseEnvironment(data_dir(), {}));
  EXPECT_NE(info.code, 0);
  EXPECT_NE(info.stderr_text.find("MAX_CONTEXT_MESSAGES"), std::string::npos) << info.stderr_text;

  // The real environment wins over the file.
  std::string error;
  auto server = TestServer::Start(work_dir(), data_dir(), {{"MAX_CONTEXT_MESSAGES", "3"}}, &error);
  ASSERT_TRUE(server != nullptr) << error;
  HttpClient client(server->host(), server->port());
  json messages = json::array();
  for (int i = 0; i < 5; ++i) messages.push_back(Message("user", "message " + std::to_string(i)));
  ASSERT_EQ(client
                .PostJson("/memory/store",
                          {{"user_id", "u1"}, {"session_id", "s1"}, {"messages", messages}})
                .status,
            201);
  HttpResponse context = client.Get("/memory/context/u1?session_id=s1");
  ASSERT_EQ(context.status, 200) << context.Describe();
  EXPECT_EQ(context.Json()["messages"].size(), 3u) << "MAX_CONTEXT_MESSAGES=3 is the default";
  EXPECT_EQ(server->Stop(SIGTERM).code, 0);
}

TEST_F(LifecycleTest, MaxBodyBytesIsConfigurable) {
  ASSERT_NO_FATAL_FAILURE(StopServer());
  std::string error;
  auto server =
      TestServer::Start(work_dir(), data_dir(), {{"LOCI_MAX_BODY_BYTES", "4096"}}, &error);
  ASSERT_TRUE(server != nullptr) << error;
  HttpClient client(server->host(), server->port());
  auto body_of = [](std::size_t content_bytes) {
    return json({{"user_id", "u1"},
                 {"messages", {Message("user", std::string(content_bytes, 'z'))}}})
        .dump();
  };
  EXPECT_EQ(client.Post("/memory/store", body_of(3000)).status, 201);
  EXPECT_TRUE(IsError(client.Post("/memory/store", body_of(5000)), 413, "payload_too_large"));
  EXPECT_EQ(client.Get("/healthz").status, 200);
  EXPECT_EQ(server->Stop(SIGTERM).code, 0);
}

TEST_F(LifecycleTest, BusyPortFailsTheStart) {
  const std::string listen = "127.0.0.1:" + std::to_string(server_->port());
  TempDir other;
  ExitInfo info = TestServer::RunToExit(
      {"serve"}, other.path(), BaseEnvironment(other.path() + "/data", {{"LOCI_LISTEN", listen}}));
  EXPECT_FALSE(info.timed_out);
  EXPECT_TRUE(info.exited) << "killed by signal " << info.signal;
  EXPECT_NE(info.code, 0);
  EXPECT_FALSE(info.stderr_text.empty());
  ExpectHealthy();
}

TEST_F(LifecycleTest, UnusableDataFolderFailsTheStart) {
  ASSERT_NO_FATAL_FAILURE(StopServer());
  { std::ofstream(work_dir() + "/a-file") << "not a folder"; }
  ExitInfo info = TestServer::RunToExit({"serve"}, work_dir(),
                                        BaseEnvironment(work_dir() + "/a-file/data", {}));
  EXPECT_FALSE(info.timed_out);
  EXPECT_TRUE(info.exited) << "killed by signal " << info.signal;
  EXPECT_NE(info.code, 0);
  EXPECT_FALSE(info.stderr_text.empty());
}

TEST_F(LifecycleTest, CorruptDatabaseFailsCleanly) {
  Store("u1", "s1", {Message("user", "hello")});
  ASSERT_NO_FATAL_FAILURE(StopServer());
  const std::string db = data_dir() + "/loci.db";
  std::filesystem::remove(db + "-wal");
  std::filesystem::remove(db + "-shm");
  {
    std::ofstream file(db, std::ios::binary | std::ios::trunc);
    for (int i = 0; i < 4096; ++i) file << "this is not a database ";
  }
  ExitInfo info = TestServer::RunToExit({"serve"}, work_dir(), BaseEnvironment(data_dir(), {}));
  EXPECT_FALSE(info.timed_out) << "a server on a corrupt database should refuse to start";
  EXPECT_TRUE(info.exited) << "killed by signal " << info.signal << "\n" << info.stderr_text;
  EXPECT_NE(info.code, 0);
  EXPECT_FALSE(info.stderr_text.empty());
}

}  // namespace
}  // namespace loci::integration
