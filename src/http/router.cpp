#include "http/router.h"

#include <algorithm>

namespace loci::http {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// True when the path has the pattern's shape: literals equal, parameters non-empty.
bool Fits(const Route& route, const std::vector<std::string_view>& path) {
  if (route.segments.size() != path.size()) return false;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& segment = route.segments[i];
    if (IsParameter(segment) ? path[i].empty() : segment != path[i]) return false;
  }
  return true;
}

}  // namespace

const std::string& PathParams::Get(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [key, value] : entries_) {
    if (key == name) return value;
  }
  return kEmpty;
}

void Router::Add(std::string method, std::string pattern, Access access, RouteHandler handler,
                 InlineHandler inline_handler) {
  auto route = std::make_unique<Route>();
  route->method = std::move(method);
  route->pattern = std::move(pattern);
  route->access = access;
  route->handler = std::move(handler);
  route->inline_handler = std::move(inline_handler);
  route->index = routes_.size();
  for (std::string_view segment : SplitPath(route->pattern)) {
    route->segments.emplace_back(segment);
  }
  routes_.push_back(std::move(route));
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  RouteMatch match;
  const std::vector<std::string_view> segments = SplitPath(path);
  if (segments.empty()) return match;
  const Route* found = nullptr;
  std::vector<std::string_view> allowed;
  // HEAD is GET without the body (RFC 9110); the connection drops the body when writing.
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  for (const auto& route : routes_) {
    if (!Fits(*route, segments)) continue;
    if (route->method == wanted) {
      found = route.get();
      break;
    }
    if (std::find(allowed.begin(), allowed.end(), route->method) == allowed.end()) {
      allowed.push_back(route->method);
    }
  }
  if (found == nullptr) {
    for (std::string_view allowed_method : allowed) {
      if (!match.allow.empty()) match.allow += ", ";
      match.allow += allowed_method;
    }
    match.outcome =
        allowed.empty() ? RouteMatch::Outcome::kNotFound : RouteMatch::Outcome::kMethodNotAllowed;
    return match;
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = found->segments[i];
    if (!IsParameter(segment)) continue;
    std::string name = segment.substr(1, segment.size() - 2);
    std::optional<std::string> value = PercentDecode(segments[i], /*plus_is_space=*/false);
    if (!value) {
      match.outcome = RouteMatch::Outcome::kBadParameter;
      match.error = InvalidArgument(name + " has a malformed percent-encoding", name);
      return match;
    }
    match.params.Add(std::move(name), std::move(*value));
  }
  match.outcome = RouteMatch::Outcome::kFound;
  match.route = found;
  return match;
}

}  // namespace loci::http
