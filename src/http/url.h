// Pieces of a request target: path and query split, percent-decoding, query parameters.
// Thread-safety: pure functions and plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/status.h"

namespace loci::http {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`, as in query strings).
// Returns nullopt for a '%' not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Splits "/a/b?x=1" into path "/a/b" and query "x=1" (without the '?'). The fragment, which
// clients should not send, is dropped.
struct Target {
  std::string_view path;
  std::string_view query;
};
Target SplitTarget(std::string_view target);

// Decoded query parameters in order.
class QueryParams {
 public:
  // Parses "a=1&b=x+y&c"; a name without '=' has an empty value. Returns InvalidArgument (with
  // the parameter as field when known) for a malformed percent escape.
  static Result<QueryParams> Parse(std::string_view query);

  // The value of `name`: nullopt when absent; InvalidArgument when given more than once.
  Result<std::optional<std::string>> Get(std::string_view name) const;
  // The value of `name` as a decimal integer within [min, max]: nullopt when absent;
  // InvalidArgument naming the parameter when repeated, not a number or out of range.
  Result<std::optional<std::int64_t>> GetInt(std::string_view name, std::int64_t min,
                                             std::int64_t max) const;

  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace loci::http
