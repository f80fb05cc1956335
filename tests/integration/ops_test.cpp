// The operational routes over real HTTP: /healthz, /readyz, /openapi.json, /metrics.
#include "integration/test_util.h"

namespace loci::integration {
namespace {

using OpsTest = ServerTest;

TEST_F(OpsTest, HealthAndReadiness) {
  HttpResponse health = client().Get("/healthz");
  EXPECT_EQ(health.status, 200) << health.Describe();
  HttpResponse ready = client().Get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.Describe();
}

TEST_F(OpsTest, OpenApiDocument) {
  HttpResponse response = client().Get("/openapi.json");
  ASSERT_EQ(response.status, 200) << response.Describe();
  EXPECT_NE(response.Header("Content-Type").value_or("").find("json"), std::string::npos);
  json document = response.Json();
  ASSERT_TRUE(document.is_object()) << "not JSON: " << response.body.substr(0, 200);
  ASSERT_TRUE(document["openapi"].is_string());
  EXPECT_EQ(document["openapi"].get<std::string>().rfind("3.1", 0), 0u) << document["openapi"];
  ASSERT_TRUE(document["paths"].is_object());
  for (const char* path :
       {"/memory/store", "/memory/context/{user_id}", "/memory/search", "/memory/user/{user_id}",
        "/memory/sessions/{user_id}", "/memory/session/{user_id}/{session_id}",
        "/memory/message/{user_id}/{message_id}", "/healthz", "/readyz", "/metrics"}) {
    EXPECT_TRUE(document["paths"].contains(path)) << path << " is not described";
  }
}

TEST_F(OpsTest, MetricsInPrometheusTextFormat) {
  Store("u1", "s1", {Message("user", "count me")});
  ASSERT_EQ(client().Get("/memory/context/secret-user-name").status, 200);
  HttpResponse response = client().Get("/metrics");
  ASSERT_EQ(response.status, 200) << response.Describe();
  EXPECT_EQ(response.Header("Content-Type").value_or("").rfind("text/plain", 0), 0u)
      << response.Header("Content-Type").value_or("<none>");
  EXPECT_FALSE(response.body.empty());
  EXPECT_NE(response.body.find("# TYPE"), std::string::npos) << response.body.substr(0, 500);
  // Labelled by route pattern, never by the raw URL with a user's id in it.
  EXPECT_EQ(response.body.find("secret-user-name"), std::string::npos);
  EXPECT_NE(response.body.find("/memory/context/{user_id}"), std::string::npos)
      << response.body.substr(0, 2000);
  // Every non-comment line is "name{labels} value".
  std::size_t start = 0;
  while (start < response.body.size()) {
    std::size_t end = response.body.find('\n', start);
    if (end == std::string::npos) end = response.body.size();
    std::string line = response.body.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] == '#') continue;
    EXPECT_NE(line.rfind(' '), std::string::npos) << line;
    EXPECT_TRUE(std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '_') << line;
  }
}

}  // namespace
}  // namespace loci::integration
