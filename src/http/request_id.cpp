#include "http/request_id.h"

#include "util/ids.h"

namespace loci::http {

bool IsAcceptableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

std::string ResolveRequestId(std::optional<std::string_view> header) {
  if (header && IsAcceptableRequestId(*header)) return std::string(*header);
  return NewRequestId();
}

}  // namespace loci::http
