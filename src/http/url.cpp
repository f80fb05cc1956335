#include "http/url.h"

#include <charconv>

namespace loci::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Target SplitTarget(std::string_view target) {
  if (const size_t hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  const size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

Result<QueryParams> QueryParams::Parse(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq), true);
    if (!name) return InvalidArgument("malformed percent-encoding in query string");
    auto value = PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!value) {
      return InvalidArgument("malformed percent-encoding in query parameter " + *name, *name);
    }
    params.entries_.emplace_back(std::move(*name), std::move(*value));
  }
  return params;
}

Result<std::optional<std::string>> QueryParams::Get(std::string_view name) const {
  std::optional<std::string> found;
  for (const auto& [key, value] : entries_) {
    if (key != name) continue;
    if (found) {
      return InvalidArgument(std::string(name) + " must be given at most once", std::string(name));
    }
    found = value;
  }
  return found;
}

Result<std::optional<std::int64_t>> QueryParams::GetInt(std::string_view name, std::int64_t min,
                                                        std::int64_t max) const {
  ASSIGN_OR_RETURN(std::optional<std::string> text, Get(name));
  if (!text) return std::optional<std::int64_t>();
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, error] = std::from_chars(text->data(), end, value);
  if (text->empty() || error != std::errc() || ptr != end || value < min || value > max) {
    return InvalidArgument(std::string(name) + " must be an integer from " + std::to_string(min) +
                               " to " + std::to_string(max),
                           std::string(name));
  }
  return std::optional<std::int64_t>(value);
}

}  // namespace loci::http
