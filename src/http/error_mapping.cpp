#include "http/error_mapping.h"

#include <nlohmann/json.hpp>
#include <string>

namespace loci::http {

HttpError MapStatusCode(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return {400, "invalid_argument"};
    case StatusCode::kUnauthenticated:
      return {401, "unauthenticated"};
    case StatusCode::kPermissionDenied:
      return {403, "permission_denied"};
    case StatusCode::kNotFound:
      return {404, "not_found"};
    case StatusCode::kConflict:
      return {409, "conflict"};
    case StatusCode::kPayloadTooLarge:
      return {413, "payload_too_large"};
    case StatusCode::kUnsupportedMediaType:
      return {415, "unsupported_media_type"};
    case StatusCode::kResourceExhausted:
      return {429, "rate_limited"};
    case StatusCode::kUnavailable:
      return {503, "unavailable"};
    case StatusCode::kOk:
    case StatusCode::kCorruption:
    case StatusCode::kInternal:
      return {500, "internal"};
  }
  return {500, "internal"};
}

Response ErrorResponse(int http_status, std::string_view code, std::string_view message,
                       std::string_view field) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  Response response;
  response.status = http_status;
  response.headers.Set("Content-Type", "application/json");
  response.body = nlohmann::json{{"error", std::move(error)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response InternalErrorResponse(std::string_view request_id) {
  return ErrorResponse(500, "internal", "internal error; request id " + std::string(request_id));
}

Response ErrorResponse(const Status& status, std::string_view request_id) {
  const HttpError mapped = MapStatusCode(status.code());
  if (mapped.status == 500) {
    Response response = InternalErrorResponse(request_id);
    response.log_note = status.ToString();
    return response;
  }
  Response response = ErrorResponse(mapped.status, mapped.code, status.message(), status.field());
  if (mapped.status >= 500) response.log_note = status.ToString();
  if (mapped.status == 401) response.headers.Set("WWW-Authenticate", "Bearer");
  if (mapped.status == 429) response.headers.Set("Retry-After", "1");
  return response;
}

}  // namespace loci::http
