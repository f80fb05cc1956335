// Not a test: times serializing a context response of 20 messages of ~500 bytes through the
// whole API handler. Disabled; run by hand with
//   loci_http_tests --gtest_also_run_disabled_tests --gtest_filter='*ContextTiming*'
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "api_test_util.h"
#include "fake_memory_service.h"

namespace loci::http::testing {
namespace {

TEST(ContextTiming, DISABLED_TwentyMessagesOf500Bytes) {
  FakeMemoryService service;
  const RequestHandler handler = MakeApiHandler(AuthConfig{}, service);
  service::ContextPack pack;
  pack.user_id = "u1";
  pack.session_id = "s1";
  std::string content;
  while (content.size() < 500) {
    content += "I moved to \"Lisbon\" last spring; the café near Alfama was lovely.\n";
  }
  for (int i = 0; i < 20; ++i) {
    model::Message message = SampleMessage("m_01JD8X3Y7Z0000000000000" + std::to_string(i), i);
    message.name = "Caroline";
    message.content = content;
    message.metadata_json = R"({"dia_id":"D1:3","turn":7,"tags":["travel","home"]})";
    message.token_count = 120;
    pack.messages.push_back(message);
  }
  pack.prompt = "## Recent conversation\n" + content + content;
  pack.token_count = 1830;
  service.context_result = pack;

  Request request;
  request.method = "GET";
  request.target = "/memory/context/u1";
  std::size_t bytes = 0;
  const auto run = [&](int n) {
    for (int i = 0; i < n; ++i) {
      Request copy = request;
      handler(std::move(copy),
              Responder([&bytes](Response response) { bytes = response.body_text().size(); }),
              [](const std::function<void()>& work) { work(); });
    }
  };
  run(200);  // warm up
  constexpr int kRuns = 5000;
  const auto start = std::chrono::steady_clock::now();
  run(kRuns);
  const double us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  std::printf("context response: %zu bytes, %.2f us per request\n", bytes, us / kRuns);
}

}  // namespace
}  // namespace loci::http::testing
