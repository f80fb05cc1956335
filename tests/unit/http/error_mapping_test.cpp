#include "http/error_mapping.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace loci::http {
namespace {

using nlohmann::json;

TEST(ErrorMappingTest, MapsEveryCode) {
  const std::vector<std::tuple<StatusCode, int, std::string>> cases = {
      {StatusCode::kInvalidArgument, 400, "invalid_argument"},
      {StatusCode::kUnauthenticated, 401, "unauthenticated"},
      {StatusCode::kPermissionDenied, 403, "permission_denied"},
      {StatusCode::kNotFound, 404, "not_found"},
      {StatusCode::kConflict, 409, "conflict"},
      {StatusCode::kPayloadTooLarge, 413, "payload_too_large"},
      {StatusCode::kUnsupportedMediaType, 415, "unsupported_media_type"},
      {StatusCode::kResourceExhausted, 429, "rate_limited"},
      {StatusCode::kUnavailable, 503, "unavailable"},
      {StatusCode::kCorruption, 500, "internal"},
      {StatusCode::kInternal, 500, "internal"},
  };
  for (const auto& [code, status, name] : cases) {
    const HttpError mapped = MapStatusCode(code);
    EXPECT_EQ(mapped.status, status) << name;
    EXPECT_EQ(mapped.code, name);
    const Response response = ErrorResponse(Status(code, "why", "f"), "req_1");
    EXPECT_EQ(response.status, status);
    EXPECT_EQ(response.headers.Find("Content-Type"), "application/json");
    EXPECT_EQ(json::parse(response.body)["error"]["code"], name);
  }
}

TEST(ErrorMappingTest, ShapeWithField) {
  const Response response =
      ErrorResponse(InvalidArgument("messages[0].role must be one of user, assistant, system, tool",
                                    "messages[0].role"),
                    "req_1");
  EXPECT_EQ(json::parse(response.body), json::parse(R"({"error": {"code": "invalid_argument",
              "message": "messages[0].role must be one of user, assistant, system, tool",
              "field": "messages[0].role"}})"));
}

TEST(ErrorMappingTest, FieldOnlyWhenKnown) {
  const Response response = ErrorResponse(NotFound("no such session"), "req_1");
  const json body = json::parse(response.body);
  EXPECT_FALSE(body["error"].contains("field"));
  EXPECT_EQ(body["error"]["message"], "no such session");
}

TEST(ErrorMappingTest, InternalErrorsHideTheirDetail) {
  for (const Status& status :
       {Internal("sqlite: /var/lib/loci/db is locked"), Corruption("page 7 checksum mismatch")}) {
    const Response response = ErrorResponse(status, "req_abc");
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(response.body.find("sqlite"), std::string::npos);
    EXPECT_EQ(response.body.find("checksum"), std::string::npos);
    const json body = json::parse(response.body);
    EXPECT_EQ(body["error"]["code"], "internal");
    EXPECT_NE(body["error"]["message"].get<std::string>().find("req_abc"), std::string::npos);
    // ...but keeps it for the log.
    EXPECT_EQ(response.log_note, status.ToString());
  }
}

TEST(ErrorMappingTest, HelpfulHeaders) {
  EXPECT_EQ(ErrorResponse(Unauthenticated("no key"), "r").headers.Find("WWW-Authenticate"),
            "Bearer");
  EXPECT_EQ(ErrorResponse(Status(StatusCode::kResourceExhausted, "slow down"), "r")
                .headers.Find("Retry-After"),
            "1");
}

TEST(ErrorMappingTest, MessagesAreEscaped) {
  const Response response = ErrorResponse(400, "invalid_argument", "quote \" and \n newline");
  EXPECT_EQ(json::parse(response.body)["error"]["message"], "quote \" and \n newline");
}

}  // namespace
}  // namespace loci::http
