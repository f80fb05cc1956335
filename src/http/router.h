// The route table: method + path pattern ("/memory/context/{user_id}") → handler, with the
// access each route requires. Path parameters are percent-decoded per segment, so an encoded
// '/' stays inside its parameter. Routes are registered once at start; matching is read-only.
//
// Thread-safety: Add is not thread-safe and must finish before serving; Match and routes() may
// then be called concurrently.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/auth.h"
#include "http/request.h"
#include "http/responder.h"
#include "http/url.h"
#include "service/commands.h"

namespace loci::http {

// Decoded path parameters by name.
class PathParams {
 public:
  void Add(std::string name, std::string value) {
    entries_.emplace_back(std::move(name), std::move(value));
  }
  // The value of `name`, or "" when the route has no such parameter.
  const std::string& Get(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

// What a route handler sees: the request, its decoded parameters and who is calling.
struct RouteRequest {
  Request request;
  PathParams params;
  QueryParams query;
  service::Caller caller;  // caller.request_id is set for every request
  std::string_view pattern;

  const std::string& request_id() const { return caller.request_id; }
};

// Handlers run on a worker thread, where they may block, and answer through the Responder,
// from this thread or any later one.
using RouteHandler = std::function<void(RouteRequest&, const Responder&)>;

// A route's fast path, run on the I/O thread before its handler: it either does the route's
// work without blocking (answering from memory, or handing it over to a thread that answers
// later) and returns true, or returns false having done nothing (nothing answered, recorded or
// changed, the request left as it was), and the route's handler then runs on a worker as usual.
using InlineHandler = std::function<bool(RouteRequest&, const Responder&)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kApp;
  RouteHandler handler;
  InlineHandler inline_handler;       // optional
  std::size_t index = 0;              // position in the table; stable, used to label metrics
  std::vector<std::string> segments;  // the pattern split at '/'
};

struct RouteMatch {
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed, kBadParameter };
  Outcome outcome = Outcome::kNotFound;
  const Route* route = nullptr;  // set for kFound
  PathParams params;             // set for kFound
  std::string allow;             // for kMethodNotAllowed: "GET, DELETE"
  Status error;                  // for kBadParameter: InvalidArgument naming the parameter
};

class Router {
 public:
  Router() = default;
  Router(Router&&) = default;
  Router& operator=(Router&&) = default;

  // REQUIRES: `pattern` starts with '/'; segments are literal or a whole "{name}".
  void Add(std::string method, std::string pattern, Access access, RouteHandler handler,
           InlineHandler inline_handler = nullptr);

  // Finds the route for `method` and the raw (still percent-encoded) `path`. kNotFound when no
  // pattern fits the path, kMethodNotAllowed (with the allowed methods) when patterns fit but
  // not with this method, kBadParameter when a parameter has a malformed percent escape.
  // HEAD finds the GET route.
  RouteMatch Match(std::string_view method, std::string_view path) const;

  // In registration order; route.index is the position.
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace loci::http
