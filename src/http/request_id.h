// Request ids: every response carries X-Request-Id, echoed from the request when it is safe to
// echo, otherwise freshly made. Thread-safety: pure functions (NewRequestId is thread-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace loci::http {

inline constexpr std::string_view kRequestIdHeader = "X-Request-Id";

// True for 1-128 printable ASCII characters (0x20-0x7E): what may be echoed into a header and
// a log line without letting a client inject either.
bool IsAcceptableRequestId(std::string_view id);

// `header` when acceptable, else a new id from NewRequestId().
std::string ResolveRequestId(std::optional<std::string_view> header);

}  // namespace loci::http
