// Reading a JSON request body safely: the media type, UTF-8, syntax, a nesting bound enforced
// while parsing (so 100,000 '[' fail fast, with no recursion), and no duplicate object keys
// (refused rather than resolved, so no two readers of one body can disagree about it).
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string_view>

#include "http/request.h"
#include "util/status.h"

namespace loci::http {

inline constexpr int kMaxJsonDepth = 64;

// OK for "application/json", optionally with parameters, of which charset (if any) must be
// utf-8; UnsupportedMediaType for anything else or a missing Content-Type.
Status CheckJsonContentType(const Headers& headers);

// Parses `text` into *out. Returns InvalidArgument for an empty text, bytes that are not UTF-8,
// malformed JSON (naming the byte offset), nesting deeper than `max_depth` arrays and objects
// or a key repeated within one object. *out is unspecified on failure.
Status ParseJson(std::string_view text, nlohmann::json* out, int max_depth = kMaxJsonDepth);

// CheckJsonContentType, then ParseJson of the body.
Status ParseJsonBody(const Request& request, nlohmann::json* out);

// ParseJsonBody, then InvalidArgument unless the body is a JSON object: the form of every
// request body of the API.
Status ParseJsonObjectBody(const Request& request, nlohmann::json* out);

}  // namespace loci::http
