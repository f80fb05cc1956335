// Shared pieces of the integration tests: a fixture that runs a fresh `loci serve` for each
// test, percent-encoding, JSON builders and checks of the API's error shape.
// Thread-safety: the fixture is used from the test's thread; NewClient() hands out clients for
// other threads.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "integration/http_client.h"
#include "integration/test_server.h"

namespace loci::integration {

using nlohmann::json;

// Percent-encodes every byte but the unreserved ones (RFC 3986), for a path segment or a
// query value.
std::string Encode(std::string_view text);

// {"role": role, "content": content} merged with `extra`.
json Message(std::string_view role, std::string_view content, json extra = json::object());

// `prefix` followed by `number` ("s" and 3 give "s3").
std::string Numbered(std::string_view prefix, long long number);

// "2023-05-08T13:00:00.000Z" plus `minutes` minutes (0 ≤ minutes < 10 days), for ordered
// created_at values.
std::string Timestamp(int minutes);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or truncated sequences).
bool IsValidUtf8(std::string_view text);

// Success when `response` is an error of the API's shape with this status and code (and this
// field, when given), and carries X-Request-Id.
::testing::AssertionResult IsError(const HttpResponse& response, int status, std::string_view code,
                                   std::optional<std::string_view> field = std::nullopt);

// The environment of a `loci` command run to its end (RunToExit): a valid base for `data_dir`
// plus `extra`.
Environment BaseEnvironment(const std::string& data_dir, const Environment& extra);

// The first column of the first row `sql` gives on the database at `db_path` (opened
// read-only), as bytes ("<null>" for NULL); "<message>" when it fails.
std::string QuerySingle(const std::string& db_path, const std::string& sql);

// Runs a fresh server (own temp folder) for each test. Subclasses add environment by
// overriding ServerEnvironment().
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  virtual Environment ServerEnvironment() const { return {}; }

  // (Re)starts the server on the same data folder; fails the test when it does not come up.
  void StartServer();
  // Stops it with SIGTERM and expects a clean exit.
  void StopServer();

  // The test's client (kept alive between requests).
  HttpClient& client() { return *client_; }
  std::unique_ptr<HttpClient> NewClient() const;

  // POST /memory/store; expects 201 and returns the body. `messages` is an array of messages
  // or a single message.
  json Store(const std::string& user_id, const std::optional<std::string>& session_id,
             const json& messages);
  // GET /memory/session/{user}/{session}, every page; returns the messages oldest first
  // (none for a session that does not exist).
  json SessionMessages(const std::string& user_id, const std::string& session_id);
  // Expects /healthz to answer 200: the server survived what the test did.
  void ExpectHealthy();

  std::string data_dir() const { return temp_->path() + "/data"; }
  const std::string& work_dir() const { return temp_->path(); }

  std::unique_ptr<TempDir> temp_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace loci::integration
