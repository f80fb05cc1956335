// GET /memory/export/{user_id} and `loci export` against the real binary: both forms complete
// and in order, chunked, keep-alive afterwards, tenants, a client that leaves mid-stream, and
// the command line writing the same export as the route.
#include <fstream>
#include <sstream>

#include "integration/raw_connection.h"
#include "integration/test_util.h"

namespace loci::integration {
namespace {

constexpr char kNdjson[] = "application/x-ndjson";

// The lines of an NDJSON body, parsed; a line that is not JSON fails the test.
std::vector<json> Lines(const std::string& body) {
  std::vector<json> lines;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    json parsed = json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << line.substr(0, 200);
    lines.push_back(std::move(parsed));
  }
  return lines;
}

class ExportTest : public ServerTest {
 protected:
  // Stores `count` messages in `session`; returns their ids in order.
  std::vector<std::string> StoreMany(const std::string& user, const std::string& session, int count,
                                     int first_number, std::size_t content_bytes = 40) {
    std::vector<std::string> ids;
    // Requests stay well under the 1 MiB body limit.
    const int per_request = static_cast<int>(std::min<std::size_t>(500, 400'000 / content_bytes));
    for (int done = 0; done < count;) {
      json batch = json::array();
      for (int i = 0; i < per_request && done < count; ++i, ++done) {
        std::string content = Numbered("message ", first_number + done) + " ";
        content.resize(std::max(content.size(), content_bytes), 'x');
        batch.push_back(Message(done % 2 == 0 ? "user" : "assistant", content,
                                {{"metadata", {{"n", first_number + done}}},
                                 {"created_at", Timestamp(first_number + done)}}));
      }
      json stored = Store(user, session, batch);
      for (const auto& id : stored["message_ids"]) ids.push_back(id.get<std::string>());
    }
    return ids;
  }

  // Three sessions, interleaved: 1,100 messages.
  std::vector<std::string> StoreHistory(const std::string& user) {
    std::vector<std::string> ids = StoreMany(user, "s1", 400, 0);
    for (auto& id : StoreMany(user, "s2", 300, 1000)) ids.push_back(id);
    for (auto& id : StoreMany(user, "s1", 250, 2000)) ids.push_back(id);
    for (auto& id : StoreMany(user, "s3", 150, 3000)) ids.push_back(id);
    return ids;
  }
};

TEST_F(ExportTest, JsonDocumentHoldsEveryMessageOnceInOrderAndIsChunked) {
  const std::vector<std::string> ids = StoreHistory("u1");
  HttpResponse response = client().Get("/memory/export/u1");
  ASSERT_EQ(response.status, 200) << response.Describe();
  EXPECT_EQ(response.Header("Transfer-Encoding"), "chunked");
  EXPECT_FALSE(response.Header("Content-Length").has_value());
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
  EXPECT_TRUE(response.Header("X-Request-Id").has_value());
  const json body = response.Json();
  ASSERT_TRUE(body.is_object()) << response.Describe();
  EXPECT_EQ(body["user_id"], "u1");
  EXPECT_TRUE(body["exported_at"].is_string());
  ASSERT_EQ(body["sessions"].size(), 3u);
  std::int64_t counted = 0;
  for (const auto& session : body["sessions"]) counted += session["message_count"].get<int>();
  EXPECT_EQ(counted, 1100);
  ASSERT_EQ(body["messages"].size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(body["messages"][i]["id"], ids[i]) << "at " << i;
  }
  // The message shape of every other route.
  const json s3 = SessionMessages("u1", "s3");
  EXPECT_EQ(body["messages"][ids.size() - 1], s3.back());
  EXPECT_EQ(body["messages"][0]["metadata"], json({{"n", 0}}));
}

TEST_F(ExportTest, NdjsonHasOneTypedObjectPerLineAndKeepsTheConnection) {
  const std::vector<std::string> ids = StoreHistory("u1");
  HttpResponse response = client().Get("/memory/export/u1", {{"Accept", kNdjson}});
  ASSERT_EQ(response.status, 200) << response.Describe();
  EXPECT_EQ(response.Header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(response.Header("Content-Type"), kNdjson);
  const std::vector<json> lines = Lines(response.body);
  ASSERT_EQ(lines.size(), 1 + 3 + ids.size() + 1);
  EXPECT_EQ(lines[0]["type"], "user");
  EXPECT_EQ(lines[0]["user_id"], "u1");
  for (int i = 1; i <= 3; ++i) EXPECT_EQ(lines[i]["type"], "session");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(lines[4 + i]["type"], "message");
    ASSERT_EQ(lines[4 + i]["id"], ids[i]) << "at " << i;
  }
  EXPECT_EQ(lines.back(), json({{"type", "end"}, {"message_count", ids.size()}}));

  // Keep-alive after the streamed answer: the same connection serves the next requests.
  EXPECT_EQ(client().Get("/healthz").status, 200);
  EXPECT_EQ(client().Get("/memory/export/u1").status, 200);
  EXPECT_EQ(client().connections_opened(), 1);
}

TEST_F(ExportTest, UnknownUserIs404) {
  StoreMany("u1", "s1", 3, 0);
  EXPECT_TRUE(IsError(client().Get("/memory/export/nobody"), 404, "not_found"));
  EXPECT_TRUE(
      IsError(client().Get("/memory/export/nobody", {{"Accept", kNdjson}}), 404, "not_found"));
  ASSERT_EQ(client().Delete("/memory/user/u1").status, 200);
  EXPECT_TRUE(IsError(client().Get("/memory/export/u1"), 404, "not_found"));
}

TEST_F(ExportTest, ClientLeavingMidStreamDoesNotHurtTheServer) {
  const std::vector<std::string> ids = StoreMany("big", "s1", 3000, 0, 2000);  // ~6.5 MB
  for (int attempt = 0; attempt < 5; ++attempt) {
    RawConnection raw(server_->host(), server_->port());
    ASSERT_TRUE(raw.connected());
    ASSERT_TRUE(raw.Send("GET /memory/export/big HTTP/1.1\r\nHost: x\r\n\r\n"));
    const std::string got =
        raw.ReadUntil([](const std::string& received) { return received.size() > 100 * 1024; },
                      std::chrono::seconds(10));
    EXPECT_NE(got.find("200 OK"), std::string::npos);
  }  // each connection closes with most of the body unread
  ExpectHealthy();
  HttpResponse whole = client().Get("/memory/export/big", {{"Accept", kNdjson}});
  ASSERT_EQ(whole.status, 200) << whole.Describe();
  EXPECT_EQ(Lines(whole.body).size(), 1 + 1 + ids.size() + 1);
}

TEST_F(ExportTest, CommandLineWritesWhatTheRouteServes) {
  StoreHistory("u1");
  StoreMany("u2", "other", 5, 0);
  HttpResponse http_json = client().Get("/memory/export/u1");
  HttpResponse http_ndjson = client().Get("/memory/export/u1", {{"Accept", kNdjson}});
  ASSERT_EQ(http_json.status, 200);
  ASSERT_EQ(http_ndjson.status, 200);
  const Environment environment = {{"LOCI_DATA_DIR", data_dir()}};

  // While the server runs on the same database.
  ExitInfo to_stdout = TestServer::RunToExit({"export", "u1"}, work_dir(), environment);
  ASSERT_TRUE(to_stdout.exited && to_stdout.code == 0) << to_stdout.stderr_text;
  json from_cli = json::parse(to_stdout.stdout_text);
  json from_http = http_json.Json();
  EXPECT_TRUE(from_cli["exported_at"].is_string());
  from_cli.erase("exported_at");
  from_http.erase("exported_at");
  EXPECT_EQ(from_cli, from_http);
  EXPECT_EQ(to_stdout.stderr_text, "") << "no progress bar when stderr is not a terminal";

  const std::string file = work_dir() + "/u1.ndjson";
  ExitInfo to_file = TestServer::RunToExit(
      {"export", "u1", "--format", "ndjson", "--output", file, "--tenant", "default"}, work_dir(),
      environment);
  ASSERT_TRUE(to_file.exited && to_file.code == 0) << to_file.stderr_text;
  EXPECT_EQ(to_file.stdout_text, "");
  std::ifstream in(file);
  std::stringstream written;
  written << in.rdbuf();
  std::vector<json> cli_lines = Lines(written.str());
  std::vector<json> http_lines = Lines(http_ndjson.body);
  ASSERT_EQ(cli_lines.size(), http_lines.size());
  cli_lines[0].erase("exported_at");
  http_lines[0].erase("exported_at");
  EXPECT_EQ(cli_lines, http_lines);

  ExitInfo unknown = TestServer::RunToExit({"export", "nobody"}, work_dir(), environment);
  EXPECT_TRUE(unknown.exited && unknown.code == 1) << unknown.code;
  EXPECT_NE(unknown.stderr_text.find("no data"), std::string::npos) << unknown.stderr_text;
  ExitInfo other_tenant =
      TestServer::RunToExit({"export", "u1", "--tenant", "elsewhere"}, work_dir(), environment);
  EXPECT_EQ(other_tenant.code, 1);
  ExitInfo bad_format =
      TestServer::RunToExit({"export", "u1", "--format", "xml"}, work_dir(), environment);
  EXPECT_NE(bad_format.code, 0);
  ExpectHealthy();
}

constexpr char kKeyA[] = "export-key-tenant-a-01";
constexpr char kKeyB[] = "export-key-tenant-b-01";

class ExportTenantTest : public ExportTest {
 protected:
  Environment ServerEnvironment() const override {
    return {{"LOCI_API_KEYS", std::string(kKeyA) + ":tenantA:app," + kKeyB + ":tenantB:app"}};
  }
};

TEST_F(ExportTenantTest, AnotherTenantsKeyCannotExport) {
  client().SetDefaultHeader("Authorization", std::string("Bearer ") + kKeyA);
  const std::vector<std::string> ids = StoreMany("u1", "s1", 20, 0);
  auto b = NewClient();
  b->SetDefaultHeader("Authorization", std::string("Bearer ") + kKeyB);
  EXPECT_TRUE(IsError(b->Get("/memory/export/u1"), 404, "not_found"));
  EXPECT_TRUE(IsError(b->Get("/memory/export/u1", {{"Accept", kNdjson}}), 404, "not_found"));
  auto anonymous = NewClient();
  EXPECT_TRUE(IsError(anonymous->Get("/memory/export/u1"), 401, "unauthenticated"));
  HttpResponse mine = client().Get("/memory/export/u1");
  ASSERT_EQ(mine.status, 200) << mine.Describe();
  EXPECT_EQ(mine.Json()["messages"].size(), ids.size());

  // The command line picks the tenant explicitly.
  const Environment environment = {{"LOCI_DATA_DIR", data_dir()}};
  EXPECT_EQ(
      TestServer::RunToExit({"export", "u1", "--tenant", "tenantB"}, work_dir(), environment).code,
      1);
  ExitInfo a =
      TestServer::RunToExit({"export", "u1", "--tenant", "tenantA"}, work_dir(), environment);
  ASSERT_EQ(a.code, 0) << a.stderr_text;
  EXPECT_EQ(json::parse(a.stdout_text)["messages"].size(), ids.size());
}

}  // namespace
}  // namespace loci::integration
