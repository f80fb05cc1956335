// GET /memory/export/{user_id} and `loci export` against the real binary: both forms complete
// and in order, chunked, keep-alive afterwards, tenants, a client that leaves mid-stream, the
// user's privacy settings and audit events (pseudonymous, the user's only), and the command
// line writing the same export as the route, recorded in the audit log itself.
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
  // Four stores and the export itself are the audit events.
  constexpr std::size_t kEvents = 5;
  ASSERT_EQ(lines.size(), 1 + 3 + ids.size() + 1 + kEvents + 1);
  EXPECT_EQ(lines[0]["type"], "user");
  EXPECT_EQ(lines[0]["user_id"], "u1");
  for (int i = 1; i <= 3; ++i) EXPECT_EQ(lines[i]["type"], "session");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(lines[4 + i]["type"], "message");
    ASSERT_EQ(lines[4 + i]["id"], ids[i]) << "at " << i;
  }
  EXPECT_EQ(lines[4 + ids.size()]["type"], "privacy");
  for (std::size_t i = 0; i < kEvents; ++i) {
    EXPECT_EQ(lines[5 + ids.size() + i]["type"], "audit_event");
  }
  EXPECT_EQ(lines.back(),
            json({{"type", "end"}, {"message_count", ids.size()}, {"audit_event_count", kEvents}}));

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
  const std::vector<json> lines = Lines(whole.body);
  std::size_t messages = 0;
  for (const json& line : lines) messages += line["type"] == "message" ? 1 : 0;
  EXPECT_EQ(messages, ids.size());
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back()["type"], "end");
  // The cut exports were recorded too: 15 stores, 5 cut exports and this one.
  EXPECT_EQ(lines.back()["audit_event_count"], 21);
}

// The user's pseudonym: the `user` of every event, all alike; fails the test otherwise.
std::string PseudonymOf(const json& events) {
  EXPECT_FALSE(events.empty());
  const std::string user = events.empty() ? "" : events[0]["user"].get<std::string>();
  EXPECT_EQ(user.size(), 32u);
  EXPECT_EQ(user.find_first_not_of("0123456789abcdef"), std::string::npos) << user;
  for (const json& event : events) EXPECT_EQ(event["user"], user);
  return user;
}

std::vector<std::string> Actions(const json& events) {
  std::vector<std::string> actions;
  for (const json& event : events) actions.push_back(event["action"].get<std::string>());
  return actions;
}

constexpr char kUser[] = "alice-7f3a-distinctive-id";

HttpResponse PutPrivacy(HttpClient& client, const std::string& user_id, const json& body) {
  HttpRequest request;
  request.method = "PUT";
  request.target = "/memory/privacy/" + Encode(user_id);
  request.body = body.dump();
  return client.Send(request);
}

TEST_F(ExportTest, HoldsThePrivacySettingsAndTheUsersAuditEvents) {
  StoreMany(kUser, "s1", 3, 0);
  StoreMany(kUser, "s2", 2, 10);
  ASSERT_EQ(client()
                .PostJson("/memory/search",
                          {{"user_id", kUser}, {"query", "message"}, {"mode", "fulltext"}})
                .status,
            200);
  const json settings = {{"store_messages", true},
                         {"learn_preferences", false},
                         {"retention_days", 30},
                         {"redact_pii", true}};
  HttpResponse put =
      PutPrivacy(client(), kUser,
                 {{"retention_days", 30}, {"redact_pii", true}, {"learn_preferences", false}});
  ASSERT_EQ(put.status, 200) << put.Describe();
  StoreMany("bob", "s1", 2, 0);  // another user's events stay out
  ASSERT_EQ(client().Get("/memory/context/bob").status, 200);

  HttpResponse response = client().Get("/memory/export/" + std::string(kUser));
  ASSERT_EQ(response.status, 200) << response.Describe();
  const json document = response.Json();
  EXPECT_EQ(document["privacy"], settings);
  EXPECT_EQ(document["privacy"], client().Get("/memory/privacy/" + std::string(kUser)).Json())
      << "the shape of GET /memory/privacy";
  const json& events = document["audit_events"];
  EXPECT_EQ(Actions(events),
            (std::vector<std::string>{"store", "store", "search", "privacy_update", "export"}));
  const std::string pseudonym = PseudonymOf(events);
  EXPECT_EQ(events.dump().find(kUser), std::string::npos) << "never the raw user id";
  for (const json& event : events) {
    EXPECT_EQ(event["tenant"], "default");
    EXPECT_EQ(event["outcome"], "ok");
    EXPECT_TRUE(event["seq"].is_number_integer() && event["at"].is_string());
    EXPECT_EQ(event.size(), 9u) << event.dump();
  }
  EXPECT_EQ(events[0]["count"], 3);
  EXPECT_EQ(events.back()["count"], 5) << "the export's own event: the messages it holds";

  // Bob's export holds bob's events, under another pseudonym, and the GET /memory/privacy
  // defaults.
  const json bob = client().Get("/memory/export/bob").Json();
  EXPECT_EQ(Actions(bob["audit_events"]), (std::vector<std::string>{"store", "context", "export"}));
  EXPECT_NE(PseudonymOf(bob["audit_events"]), pseudonym);
  EXPECT_EQ(bob["privacy"]["redact_pii"], false);
  EXPECT_TRUE(bob["privacy"]["retention_days"].is_null());

  // NDJSON: the same settings and events (through the JSON export's), then those since: the
  // read of the settings and the NDJSON export's own.
  HttpResponse ndjson = client().Get("/memory/export/" + std::string(kUser), {{"Accept", kNdjson}});
  ASSERT_EQ(ndjson.status, 200) << ndjson.Describe();
  const std::vector<json> lines = Lines(ndjson.body);
  ASSERT_EQ(lines.size(), 1 + 2 + 5 + 1 + 7 + 1);
  json privacy_line = settings;
  privacy_line["type"] = "privacy";
  EXPECT_EQ(lines[8], privacy_line);
  json line_events = json::array();
  for (std::size_t i = 9; i < 16; ++i) {
    ASSERT_EQ(lines[i]["type"], "audit_event");
    json event = lines[i];
    event.erase("type");
    line_events.push_back(event);
  }
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(line_events[i], events[i]);
  EXPECT_EQ(line_events[5]["action"], "privacy_read");
  EXPECT_EQ(line_events[6]["action"], "export");
  EXPECT_NE(line_events[6]["request_id"], events[4]["request_id"]);
  EXPECT_EQ(lines.back(), json({{"type", "end"}, {"message_count", 5}, {"audit_event_count", 7}}));
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
  // The audit events differ by the exports made since the route's: the NDJSON one and the
  // command line's own, recorded as the command line's doing.
  json cli_events = from_cli["audit_events"];
  const json http_events = from_http["audit_events"];
  from_cli.erase("audit_events");
  from_http.erase("audit_events");
  EXPECT_EQ(from_cli, from_http);
  ASSERT_EQ(cli_events.size(), http_events.size() + 2);
  for (std::size_t i = 0; i < http_events.size(); ++i) EXPECT_EQ(cli_events[i], http_events[i]);
  EXPECT_EQ(cli_events[http_events.size()]["key_id"], "");
  const json& own = cli_events.back();
  EXPECT_EQ(own["action"], "export");
  EXPECT_EQ(own["key_id"], "cli");
  EXPECT_EQ(own["outcome"], "ok");
  EXPECT_EQ(own["count"], 1100);
  EXPECT_EQ(own["user"], http_events[0]["user"]);
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
  // Two more events: the first command line export and this one.
  ASSERT_EQ(cli_lines.size(), http_lines.size() + 2);
  cli_lines[0].erase("exported_at");
  http_lines[0].erase("exported_at");
  const json cli_end = cli_lines.back();
  const json http_end = http_lines.back();
  EXPECT_EQ(cli_end["audit_event_count"], http_end["audit_event_count"].get<int>() + 2);
  EXPECT_EQ(cli_end["message_count"], http_end["message_count"]);
  http_lines.pop_back();
  EXPECT_EQ(std::vector<json>(cli_lines.begin(), cli_lines.begin() + http_lines.size()),
            http_lines);
  EXPECT_EQ(cli_lines[cli_lines.size() - 3]["key_id"], "cli");
  EXPECT_EQ(cli_lines[cli_lines.size() - 2]["key_id"], "cli");
  EXPECT_EQ(cli_lines[cli_lines.size() - 2]["type"], "audit_event");

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

  // The server sees the command line's exports in its log (the refused one too), and the
  // chain the two processes wrote is intact.
  HttpResponse exports = client().Get("/audit?action=export");
  ASSERT_EQ(exports.status, 200) << exports.Describe();
  std::vector<std::string> keys;
  std::vector<std::string> outcomes;
  const json listed = exports.Json();
  for (const json& event : listed["events"]) {
    keys.push_back(event["key_id"].get<std::string>());
    outcomes.push_back(event["outcome"].get<std::string>());
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"", "", "cli", "cli", "cli"}));
  EXPECT_EQ(outcomes, (std::vector<std::string>{"ok", "ok", "ok", "ok", "not_found"}));
  HttpResponse verified = client().Get("/audit/verify");
  ASSERT_EQ(verified.status, 200);
  EXPECT_EQ(verified.Json()["ok"], true) << verified.body;
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
