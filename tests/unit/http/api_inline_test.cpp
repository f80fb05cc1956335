// Which requests the API handler answers on the calling (I/O) thread and which it defers to a
// worker: a context pack the service holds in memory is answered at once; a miss, a stored key
// the key cache does not know and every other route are deferred, each step running once
// whichever way a request goes.
#include <gtest/gtest.h>

#include "api_test_util.h"
#include "fake_key_lookup.h"
#include "fake_memory_service.h"

namespace loci::http::testing {
namespace {

constexpr char kStoredKey[] = "loci_stored-key";

service::ContextPack SamplePack() {
  service::ContextPack pack;
  pack.user_id = "u1";
  pack.session_id = "s1";
  pack.messages = {SampleMessage("m_1", 1), SampleMessage("m_2", 2)};
  pack.prompt = "## Recent conversation\nuser: I moved to Lisbon last spring.";
  pack.token_count = 14;
  return pack;
}

class ApiInlineTest : public ::testing::Test {
 protected:
  ApiInlineTest() {
    keys_.grants[kStoredKey] = {.key_id = "k_1", .tenant = "beta"};
    service_.on_context = [this] { ++context_calls_; };
  }

  // The API with stored keys only, `rate_limit` requests per second per key (0: unlimited).
  RequestHandler Handler(int rate_limit = 0) {
    AuthConfig config;
    config.stored = &keys_;
    config.rate_limit = rate_limit;
    return MakeApiHandler(config, service_);
  }

  ApiResult Get(const RequestHandler& handler, std::string target,
                const std::string& key = kStoredKey) {
    return CallApi(handler, "GET", std::move(target), "",
                   {{"Authorization", "Bearer " + key}, {"X-Request-Id", "trace-1"}});
  }

  void CachePack() {
    service_.cached_context = std::make_shared<const service::ContextPack>(SamplePack());
  }

  FakeMemoryService service_;
  FakeKeyLookup keys_;
  int context_calls_ = 0;
};

TEST_F(ApiInlineTest, CachedPackIsAnsweredWithoutDeferring) {
  keys_.cached.insert(kStoredKey);
  CachePack();
  const RequestHandler handler = Handler();
  const ApiResult inline_answer =
      Get(handler, "/memory/context/u1?session_id=s1&max_messages=5&max_tokens=300");
  ASSERT_EQ(inline_answer.status(), 200) << inline_answer.response.body;
  EXPECT_EQ(inline_answer.deferred, 0);
  EXPECT_EQ(service_.cached_context_calls, 1);
  EXPECT_EQ(context_calls_, 0);
  EXPECT_EQ(keys_.lookups, 0) << "the key came from the key cache";
  const service::ContextQuery& query = *service_.last_context;
  EXPECT_EQ(query.user_id, "u1");
  EXPECT_EQ(query.session_id, "s1");
  EXPECT_EQ(query.max_messages, 5);
  EXPECT_EQ(query.max_tokens, 300);
  EXPECT_EQ(service_.last_caller.tenant, "beta");
  EXPECT_EQ(service_.last_caller.key_id, "k_1");
  EXPECT_EQ(service_.last_caller.request_id, "trace-1");
  EXPECT_EQ(inline_answer.header("X-Request-Id"), "trace-1");
  EXPECT_EQ(inline_answer.header("Content-Type"), "application/json");

  // The same pack built on a worker answers the very same body.
  service_.cached_context = nullptr;
  service_.context_result = SamplePack();
  const ApiResult deferred_answer =
      Get(handler, "/memory/context/u1?session_id=s1&max_messages=5&max_tokens=300");
  ASSERT_EQ(deferred_answer.status(), 200);
  EXPECT_EQ(deferred_answer.deferred, 1);
  EXPECT_EQ(deferred_answer.response.body, inline_answer.response.body);
  EXPECT_EQ(deferred_answer.body["messages"].size(), 2u);
}

TEST_F(ApiInlineTest, CacheMissIsDeferredToTheService) {
  keys_.cached.insert(kStoredKey);
  const ApiResult result = Get(Handler(), "/memory/context/u1");
  ASSERT_EQ(result.status(), 200);
  EXPECT_EQ(result.deferred, 1);
  EXPECT_EQ(service_.cached_context_calls, 1);
  EXPECT_EQ(context_calls_, 1);
}

TEST_F(ApiInlineTest, BadContextParameterIsAnsweredInline) {
  keys_.cached.insert(kStoredKey);
  const ApiResult result = Get(Handler(), "/memory/context/u1?max_messages=0");
  EXPECT_EQ(result.status(), 400);
  EXPECT_EQ(ErrorField(result), "max_messages");
  EXPECT_EQ(result.deferred, 0);
  EXPECT_EQ(service_.cached_context_calls, 0);
  EXPECT_EQ(context_calls_, 0);
}

TEST_F(ApiInlineTest, RoutesWithoutAFastPathAreDeferredAndRefusalsAreNot) {
  keys_.cached.insert(kStoredKey);
  const RequestHandler handler = Handler();
  EXPECT_EQ(Get(handler, "/memory/sessions/u1").deferred, 1);
  const ApiResult stored =
      CallApi(handler, "POST", "/memory/store",
              R"({"user_id": "u1", "messages": [{"role": "user", "content": "hi"}]})",
              {{"Authorization", std::string("Bearer ") + kStoredKey}});
  EXPECT_EQ(stored.status(), 201);
  EXPECT_EQ(stored.deferred, 1);
  for (const ApiResult& refused :
       {Get(handler, "/nope"), CallApi(handler, "PUT", "/memory/context/u1"),
        CallApi(handler, "GET", "/memory/context/u1")}) {
    EXPECT_GE(refused.status(), 400);
    EXPECT_EQ(refused.deferred, 0) << refused.status();
  }
}

TEST_F(ApiInlineTest, UncachedStoredKeyDefersAuthenticationAndAllAfterIt) {
  CachePack();
  const RequestHandler handler = Handler();
  const ApiResult result = Get(handler, "/memory/context/u1");
  ASSERT_EQ(result.status(), 200);
  EXPECT_EQ(result.deferred, 1);
  EXPECT_EQ(keys_.lookups, 1);
  EXPECT_EQ(service_.last_caller.key_id, "k_1");
  EXPECT_EQ(context_calls_, 1) << "on a worker the route's own handler runs";

  const ApiResult unknown = Get(handler, "/memory/context/u1", "loci_unknown");
  EXPECT_EQ(unknown.status(), 401);
  EXPECT_EQ(unknown.deferred, 1);
  keys_.fail = true;
  const ApiResult unreadable = Get(handler, "/memory/context/u1");
  EXPECT_EQ(unreadable.status(), 503);
  EXPECT_EQ(unreadable.deferred, 1);
}

TEST_F(ApiInlineTest, RateLimitIsChargedOncePerRequestOnEveryPath) {
  struct Path {
    const char* name;
    bool key_cached;
    bool pack_cached;
    int deferred;
  };
  for (const Path& path :
       {Path{"answered inline", true, true, 0}, Path{"inline miss, then deferred", true, false, 1},
        Path{"authenticated on a worker", false, true, 1}}) {
    SCOPED_TRACE(path.name);
    keys_.cached.clear();
    if (path.key_cached) keys_.cached.insert(kStoredKey);
    service_.cached_context = nullptr;
    if (path.pack_cached) CachePack();
    const RequestHandler handler = Handler(/*rate_limit=*/2);  // a fresh bucket
    for (int i = 0; i < 2; ++i) {
      const ApiResult allowed = Get(handler, "/memory/context/u1");
      EXPECT_EQ(allowed.status(), 200);
      EXPECT_EQ(allowed.deferred, path.deferred);
    }
    const ApiResult limited = Get(handler, "/memory/context/u1");
    EXPECT_EQ(limited.status(), 429);
    EXPECT_EQ(ErrorCode(limited), "rate_limited");
  }
}

TEST_F(ApiInlineTest, ExceptionsOnEitherSideAre500WithRequestIdOnly) {
  keys_.cached.insert(kStoredKey);
  service_.throw_in_cached_context = true;
  const RequestHandler handler = Handler();
  const ApiResult on_io = Get(handler, "/memory/context/u1");
  EXPECT_EQ(on_io.status(), 500);
  EXPECT_EQ(on_io.deferred, 0);
  EXPECT_NE(ErrorMessage(on_io).find("trace-1"), std::string::npos);
  EXPECT_EQ(on_io.response.body.find("secret"), std::string::npos);

  keys_.cached.clear();
  keys_.throw_in_lookup = true;
  const ApiResult on_worker = Get(handler, "/memory/context/u1");
  EXPECT_EQ(on_worker.status(), 500);
  EXPECT_EQ(on_worker.deferred, 1);
  EXPECT_EQ(on_worker.header("X-Request-Id"), "trace-1");
  EXPECT_EQ(on_worker.response.body.find("secret"), std::string::npos);
}

TEST_F(ApiInlineTest, StoreTheServiceHasAtHandIsHandedOverWithoutDeferring) {
  keys_.cached.insert(kStoredKey);
  service_.store_at_hand = true;
  const RequestHandler handler = Handler();
  const std::string body =
      R"({"user_id":"u1","session_id":"s1","messages":[{"role":"user","content":"hi"}]})";
  const ApiResult stored = CallApi(
      handler, "POST", "/memory/store", body,
      {{"Authorization", std::string("Bearer ") + kStoredKey}, {"X-Request-Id", "trace-1"}});
  ASSERT_EQ(stored.status(), 201) << stored.response.body;
  EXPECT_EQ(stored.deferred, 0);
  EXPECT_EQ(service_.store_at_hand_calls, 1);
  EXPECT_EQ(service_.last_user_id, "u1");
  ASSERT_TRUE(service_.last_store.has_value());
  EXPECT_EQ(service_.last_store->messages.size(), 1u);
  EXPECT_EQ(service_.last_caller.tenant, "beta");
  EXPECT_EQ(service_.last_caller.request_id, "trace-1");

  // The same store on a worker answers the very same body.
  service_.store_at_hand = false;
  const ApiResult deferred = CallApi(
      handler, "POST", "/memory/store", body,
      {{"Authorization", std::string("Bearer ") + kStoredKey}, {"X-Request-Id", "trace-1"}});
  ASSERT_EQ(deferred.status(), 201) << deferred.response.body;
  EXPECT_EQ(deferred.deferred, 1);
  EXPECT_EQ(deferred.response.body, stored.response.body);
}

TEST_F(ApiInlineTest, MalformedStoreIsAnsweredAtOnceAndALargeOneGoesToAWorker) {
  keys_.cached.insert(kStoredKey);
  service_.store_at_hand = true;
  const RequestHandler handler = Handler();
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Authorization", std::string("Bearer ") + kStoredKey}};
  const ApiResult malformed =
      CallApi(handler, "POST", "/memory/store", R"({"user_id":"u1"})", headers);
  EXPECT_EQ(malformed.status(), 400);
  EXPECT_EQ(malformed.deferred, 0);
  EXPECT_EQ(service_.store_at_hand_calls, 0);
  EXPECT_FALSE(service_.last_store.has_value());

  const std::string large = R"({"user_id":"u1","messages":[{"role":"user","content":")" +
                            std::string(8000, 'x') + R"("}]})";
  const ApiResult stored = CallApi(handler, "POST", "/memory/store", large, headers);
  EXPECT_EQ(stored.status(), 201) << stored.response.body;
  EXPECT_EQ(stored.deferred, 1);
  EXPECT_EQ(service_.store_at_hand_calls, 0) << "a large body is not parsed on the I/O thread";
  ASSERT_TRUE(service_.last_store.has_value());
  EXPECT_EQ(service_.last_store->messages[0].content.size(), 8000u);
}

}  // namespace
}  // namespace loci::http::testing
