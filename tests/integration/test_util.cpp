#include "integration/test_util.h"

#include <signal.h>
#include <sqlite3.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace loci::integration {

std::string Encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

json Message(std::string_view role, std::string_view content, json extra) {
  json message = {{"role", role}, {"content", content}};
  for (auto& [key, value] : extra.items()) message[key] = value;
  return message;
}

std::string Numbered(std::string_view prefix, long long number) {
  std::string text(prefix);
  text.append(std::to_string(number));
  return text;
}

std::string Timestamp(int minutes) {
  int day = 8 + minutes / (24 * 60);
  int hour = 13 + (minutes / 60) % 24;
  day += hour / 24;
  hour %= 24;
  char text[64];
  std::snprintf(text, sizeof text, "2023-05-%02dT%02d:%02d:00.000Z", day, hour, minutes % 60);
  return text;
}

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    int length = 0;
    std::uint32_t code = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMin[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

::testing::AssertionResult IsError(const HttpResponse& response, int status, std::string_view code,
                                   std::optional<std::string_view> field) {
  if (response.status != status) {
    return ::testing::AssertionFailure()
           << "expected status " << status << ", got " << response.Describe();
  }
  json body = response.Json();
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) {
    return ::testing::AssertionFailure() << "no {\"error\": {...}} in " << response.Describe();
  }
  const json& error = body["error"];
  if (!error.contains("code") || !error["code"].is_string() || error["code"] != code) {
    return ::testing::AssertionFailure()
           << "expected code " << code << " in " << response.Describe();
  }
  if (!error.contains("message") || !error["message"].is_string() ||
      error["message"].get<std::string>().empty()) {
    return ::testing::AssertionFailure() << "no message in " << response.Describe();
  }
  if (field) {
    if (!error.contains("field") || error["field"] != *field) {
      return ::testing::AssertionFailure()
             << "expected field " << *field << " in " << response.Describe();
    }
  } else if (error.contains("field") && !error["field"].is_string()) {
    return ::testing::AssertionFailure() << "field is not a string in " << response.Describe();
  }
  auto content_type = response.Header("Content-Type");
  if (!content_type || content_type->find("application/json") == std::string::npos) {
    return ::testing::AssertionFailure()
           << "error without Content-Type: application/json in " << response.Describe();
  }
  if (!response.Header("X-Request-Id")) {
    return ::testing::AssertionFailure() << "no X-Request-Id in " << response.Describe();
  }
  return ::testing::AssertionSuccess();
}

void ServerTest::SetUp() {
  temp_ = std::make_unique<TempDir>();
  std::filesystem::create_directories(data_dir());
  StartServer();
}

void ServerTest::TearDown() {
  client_.reset();
  if (server_) {
    if (!server_->Running()) {
      ADD_FAILURE() << "the server died during the test; stderr:\n" << server_->stderr_text();
    }
    ExitInfo info = server_->Stop(SIGTERM);
    if (HasFailure()) {
      std::cerr << "[ server   ] stderr (tail):\n"
                << info.stderr_text.substr(
                       info.stderr_text.size() > 8000 ? info.stderr_text.size() - 8000 : 0)
                << "\n";
    }
    server_.reset();
  }
  temp_.reset();
}

std::string QuerySingle(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string error = db ? sqlite3_errmsg(db) : "open failed";
    sqlite3_close(db);
    return "<" + error + ">";
  }
  std::string result;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    const void* bytes = sqlite3_column_blob(statement, 0);
    result = bytes ? std::string(static_cast<const char*>(bytes),
                                 static_cast<std::size_t>(sqlite3_column_bytes(statement, 0)))
                   : "<null>";
  } else {
    result = std::string("<") + sqlite3_errmsg(db) + ">";
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return result;
}

Environment BaseEnvironment(const std::string& data_dir, const Environment& extra) {
  Environment env = {
      {"LOCI_LISTEN", "127.0.0.1:0"}, {"LOCI_DATA_DIR", data_dir}, {"LOG_LEVEL", "info"}};
  for (const auto& [name, value] : extra) env[name] = value;
  return env;
}

void ServerTest::StartServer() {
  client_.reset();
  server_.reset();
  std::string error;
  server_ = TestServer::Start(work_dir(), data_dir(), ServerEnvironment(), &error);
  ASSERT_TRUE(server_ != nullptr) << "the server did not start: " << error;
  client_ = NewClient();
}

void ServerTest::StopServer() {
  client_.reset();
  ASSERT_TRUE(server_ != nullptr);
  ExitInfo info = server_->Stop(SIGTERM);
  EXPECT_FALSE(info.timed_out) << "the server did not stop within 20 s of SIGTERM";
  EXPECT_TRUE(info.exited && info.code == 0)
      << "exit code " << info.code << ", signal " << info.signal << "; stderr:\n"
      << info.stderr_text;
  server_.reset();
}

std::unique_ptr<HttpClient> ServerTest::NewClient() const {
  return std::make_unique<HttpClient>(server_->host(), server_->port());
}

json ServerTest::Store(const std::string& user_id, const std::optional<std::string>& session_id,
                       const json& messages) {
  // `{Message(...)}` with one element arrives as that message itself (a braced copy), so a
  // single object stands for a list of one.
  json list = messages.is_array() ? messages : json::array({messages});
  json body = {{"user_id", user_id}, {"messages", list}};
  if (session_id) body["session_id"] = *session_id;
  HttpResponse response = client().PostJson("/memory/store", body);
  EXPECT_EQ(response.status, 201) << response.Describe();
  return response.Json();
}

json ServerTest::SessionMessages(const std::string& user_id, const std::string& session_id) {
  json all = json::array();
  std::optional<std::string> before;
  for (int page = 0; page < 1000; ++page) {
    std::string target =
        "/memory/session/" + Encode(user_id) + "/" + Encode(session_id) + "?limit=100";
    if (before) target += "&before=" + Encode(*before);
    HttpResponse response = client().Get(target);
    // A session that holds no message does not exist: it reads as empty.
    if (page == 0 && response.status == 404) return all;
    if (response.status != 200) {
      ADD_FAILURE() << "GET " << target << ": " << response.Describe();
      return all;
    }
    json body = response.Json();
    if (!body.contains("messages") || !body["messages"].is_array()) {
      ADD_FAILURE() << "no messages array: " << response.Describe();
      return all;
    }
    json merged = body["messages"];
    for (auto& message : all) merged.push_back(message);
    all = std::move(merged);
    if (!body.contains("next_before") || body["next_before"].is_null()) return all;
    std::string next = body["next_before"].get<std::string>();
    if (before && next == *before) {
      ADD_FAILURE() << "next_before does not move: " << next;
      return all;
    }
    before = next;
  }
  ADD_FAILURE() << "more than 1000 pages";
  return all;
}

void ServerTest::ExpectHealthy() {
  auto probe = NewClient();
  HttpResponse response = probe->Get("/healthz");
  EXPECT_EQ(response.status, 200) << "the server is not healthy: " << response.Describe()
                                  << "\nstderr:\n"
                                  << (server_ ? server_->stderr_text(4000) : "");
}

}  // namespace loci::integration
