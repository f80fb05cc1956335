// The one place where a Status becomes an HTTP status and the error shape of API.md:
//   {"error": {"code": "invalid_argument", "message": "...", "field": "messages[0].role"}}
// `field` appears only when known. Internal failures (kInternal, kCorruption) never show their
// message: the client gets a generic one with the request id, and the log has the detail.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "http/request.h"
#include "util/status.h"

namespace loci::http {

struct HttpError {
  int status;             // HTTP status
  std::string_view code;  // the stable machine-readable code
};

// kInvalidArgument 400 invalid_argument, kUnauthenticated 401, kPermissionDenied 403,
// kNotFound 404, kConflict 409, kPayloadTooLarge 413, kUnsupportedMediaType 415,
// kResourceExhausted 429 rate_limited, kUnavailable 503, kCorruption and kInternal (and kOk,
// which is not an error) 500 internal.
HttpError MapStatusCode(StatusCode code);

// The response for a failed `status`. Adds WWW-Authenticate to 401 and Retry-After to 429.
// REQUIRES: !status.ok()
Response ErrorResponse(const Status& status, std::string_view request_id);

// An error that has no StatusCode (405 method_not_allowed, 431 header_too_large).
Response ErrorResponse(int http_status, std::string_view code, std::string_view message,
                       std::string_view field = {});

// 500 internal with the generic message naming the request id.
Response InternalErrorResponse(std::string_view request_id);

}  // namespace loci::http
