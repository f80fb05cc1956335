#include "http/json_body.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

namespace loci::http {
namespace {

using nlohmann::json;

Request JsonRequest(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = "POST";
  request.target = "/memory/store";
  if (!content_type.empty()) request.headers.Add("Content-Type", content_type);
  request.body = std::move(body);
  return request;
}

TEST(JsonBodyTest, AcceptsJsonMediaTypes) {
  for (const char* type :
       {"application/json", "Application/JSON", "application/json; charset=utf-8",
        "application/json;charset=\"UTF-8\"", "application/json; foo=bar"}) {
    Headers headers;
    headers.Add("content-type", type);
    EXPECT_TRUE(CheckJsonContentType(headers).ok()) << type;
  }
}

TEST(JsonBodyTest, RefusesOtherMediaTypes) {
  for (const char* type : {"text/plain", "application/jsonx", "application/x-www-form-urlencoded",
                           "application/json; charset=latin1", ""}) {
    Headers headers;
    headers.Add("Content-Type", type);
    const Status status = CheckJsonContentType(headers);
    EXPECT_EQ(status.code(), StatusCode::kUnsupportedMediaType) << type;
  }
  EXPECT_EQ(CheckJsonContentType(Headers()).code(), StatusCode::kUnsupportedMediaType);
}

TEST(JsonBodyTest, ParsesValidJson) {
  json out;
  ASSERT_TRUE(
      ParseJsonBody(JsonRequest(R"({"a": [1, 2.5, "x", null, true], "b": {}})"), &out).ok());
  EXPECT_EQ(out["a"][2], "x");
  EXPECT_TRUE(out["b"].is_object());
  ASSERT_TRUE(ParseJson("42", &out).ok());
  EXPECT_EQ(out, 42);
}

TEST(JsonBodyTest, MissingContentTypeIs415) {
  json out;
  EXPECT_EQ(ParseJsonBody(JsonRequest("{}", ""), &out).code(), StatusCode::kUnsupportedMediaType);
}

TEST(JsonBodyTest, MalformedJsonIs400WithoutEchoingInput) {
  for (const char* text : {"{", "{\"a\":}", "[1,]", "{\"a\":1} trailing", "nul", "'x'",
                           "{\"secret-value\" 1}", "1e999999"}) {
    json out;
    const Status status = ParseJson(text, &out);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(status.message().find("secret-value"), std::string::npos);
  }
}

TEST(JsonBodyTest, EmptyBodyIs400) {
  json out;
  const Status status = ParseJson("  ", &out);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("empty"), std::string::npos);
}

TEST(JsonBodyTest, InvalidUtf8Is400) {
  for (const std::string& text : {std::string("{\"a\": \"\xC3\x28\"}"),
                                  std::string("{\"a\": \"\xED\xA0\x80\"}"),  // surrogate
                                  std::string("{\"\xFF\": 1}")}) {
    json out;
    const Status status = ParseJson(text, &out);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find("UTF-8"), std::string::npos);
  }
}

TEST(JsonBodyTest, EscapedLoneSurrogateIs400) {
  json out;
  EXPECT_EQ(ParseJson(R"({"a": "\ud800"})", &out).code(), StatusCode::kInvalidArgument);
}

std::string Nested(int depth) {
  return std::string(static_cast<size_t>(depth), '[') +
         std::string(static_cast<size_t>(depth), ']');
}

TEST(JsonBodyTest, DepthLimit) {
  json out;
  EXPECT_TRUE(ParseJson(Nested(64), &out).ok());
  const Status status = ParseJson(Nested(65), &out);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("nested deeper than 64"), std::string::npos);
  // Objects count too.
  std::string objects;
  for (int i = 0; i < 65; ++i) objects += "{\"a\":";
  objects += "1" + std::string(65, '}');
  EXPECT_EQ(ParseJson(objects, &out).code(), StatusCode::kInvalidArgument);
}

TEST(JsonBodyTest, HundredThousandOpenBracketsFailFast) {
  const std::string text(100'000, '[');
  json out;
  const auto start = std::chrono::steady_clock::now();
  const Status status = ParseJson(text, &out);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_LT(elapsed, std::chrono::milliseconds(100));
  // Balanced as well: still refused at depth 65, without recursion.
  EXPECT_EQ(ParseJson(Nested(100'000), &out).code(), StatusCode::kInvalidArgument);
}

TEST(JsonBodyTest, DuplicateKeysAreRefused) {
  json out;
  Status status = ParseJson(R"({"user_id": "a", "user_id": "b"})", &out);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("user_id"), std::string::npos);
  status = ParseJson(R"({"m": [{"k": 1, "k": 2}]})", &out);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  // The same key in different objects is fine.
  EXPECT_TRUE(ParseJson(R"({"k": {"k": 1}, "j": [{"k": 1}, {"k": 2}]})", &out).ok());
}

}  // namespace
}  // namespace loci::http
