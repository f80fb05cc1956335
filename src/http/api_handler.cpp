#include "http/api_handler.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "http/error_mapping.h"
#include "http/request_id.h"
#include "http/routes.h"
#include "http/url.h"

namespace loci::http {
namespace {

using Clock = std::chrono::steady_clock;

void LogAccess(std::string_view request_id, std::string_view method, std::string_view pattern,
               const Response& response, double millis) {
  if (response.status >= 500) {
    spdlog::error("http request_id={} method={} route={} status={} latency_ms={:.3f} cause={}",
                  request_id, method, pattern, response.status, millis, response.log_note);
  } else if (response.status >= 400) {
    spdlog::info("http request_id={} method={} route={} status={} latency_ms={:.3f}", request_id,
                 method, pattern, response.status, millis);
  } else {
    spdlog::debug("http request_id={} method={} route={} status={} latency_ms={:.3f}", request_id,
                  method, pattern, response.status, millis);
  }
}

// Methods are echoed into logs only when they are ones we know; anything else is "other".
std::string_view LoggableMethod(std::string_view method) {
  for (std::string_view known : {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "other";
}

// 429 for a key over its rate, with Retry-After in whole seconds.
Response RateLimitedResponse(int rate, std::int64_t wait_ms, std::string_view request_id) {
  Response response = ErrorResponse(
      Status(StatusCode::kResourceExhausted, "this key's rate limit of " + std::to_string(rate) +
                                                 " requests per second is used up"),
      request_id);
  response.headers.Set("Retry-After", std::to_string(RetryAfterSeconds(wait_ms)));
  return response;
}

// Runs `work` inside the catch-all: an exception answers 500 with the request id, its cause
// going to the access log only.
template <class Work>
void Guarded(std::string_view request_id, const Responder& finish, const Work& work) {
  try {
    work();
  } catch (const std::exception& e) {
    Response response = InternalErrorResponse(request_id);
    response.log_note = std::string("exception: ") + e.what();
    finish(std::move(response));
  } catch (...) {
    Response response = InternalErrorResponse(request_id);
    response.log_note = "unknown exception";
    finish(std::move(response));
  }
}

}  // namespace

std::shared_ptr<ApiHandler> ApiHandler::Create(const AuthConfig& auth,
                                               service::MemoryService& service) {
  return std::shared_ptr<ApiHandler>(new ApiHandler(auth, service));
}

ApiHandler::ApiHandler(const AuthConfig& auth, service::MemoryService& service)
    : auth_(auth), limiter_(SystemClock()) {
  RegisterRoutes(router_, service, metrics_);
  metrics_.Track(router_);
  if (auth_.development_mode()) {
    spdlog::warn("http: no API keys configured; development mode (tenant \"default\")");
  }
}

Responder ApiHandler::Finisher(Responder respond, std::string request_id, const Route* route,
                               std::string method) {
  return Responder([self = shared_from_this(), respond = std::move(respond),
                    request_id = std::move(request_id), route, method = std::move(method),
                    start = Clock::now()](Response response) {
    response.headers.Set(std::string(kRequestIdHeader), request_id);
    if (!response.headers.Has("Content-Type")) {
      response.headers.Set("Content-Type", "application/json");
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    self->metrics_.Record(route != nullptr ? route->index : Metrics::kUnmatched, response.status,
                          seconds);
    LogAccess(request_id, LoggableMethod(method),
              route != nullptr ? std::string_view(route->pattern) : "(unmatched)", response,
              seconds * 1000);
    response.log_note.clear();
    respond(std::move(response));
  });
}

void ApiHandler::Handle(Request request, Responder respond, const Defer& defer) {
  metrics_.BeginRequest();
  std::string request_id = ResolveRequestId(request.headers.Find(kRequestIdHeader));
  RouteMatch match = router_.Match(request.method, SplitTarget(request.target).path);
  const Responder finish = Finisher(std::move(respond), request_id, match.route, request.method);
  Guarded(request_id, finish, [&] {
    switch (match.outcome) {
      case RouteMatch::Outcome::kNotFound:
        return finish(ErrorResponse(NotFound("no route matches this path"), request_id));
      case RouteMatch::Outcome::kMethodNotAllowed: {
        Response response = ErrorResponse(405, "method_not_allowed",
                                          "method not allowed here; allowed: " + match.allow);
        response.headers.Set("Allow", match.allow);
        return finish(std::move(response));
      }
      case RouteMatch::Outcome::kBadParameter:
        return finish(ErrorResponse(match.error, request_id));
      case RouteMatch::Outcome::kFound:
        break;
    }
    const Route& route = *match.route;
    std::optional<Result<Principal>> principal =
        auth_.AuthenticateCached(request.headers.Find("Authorization"), route.access);
    if (!principal) {
      // Only storage knows this key: authentication and everything after it go to a worker.
      return defer([self = shared_from_this(), &route, request = std::move(request),
                    params = std::move(match.params), request_id, finish]() mutable {
        Guarded(request_id, finish, [&] {
          Result<Principal> stored =
              self->auth_.Authenticate(request.headers.Find("Authorization"), route.access);
          std::optional<RouteRequest> admitted = self->Admit(
              route, std::move(request), std::move(params), std::move(stored), request_id, finish);
          if (admitted) route.handler(*admitted, finish);
        });
      });
    }
    std::optional<RouteRequest> admitted = Admit(route, std::move(request), std::move(match.params),
                                                 *std::move(principal), request_id, finish);
    if (!admitted) return;
    if (route.inline_handler && route.inline_handler(*admitted, finish)) return;
    // The route's handler may block: it runs on a worker. `finish` keeps this handler, and so
    // `route`, alive.
    defer([&route, admitted = std::move(*admitted), finish]() mutable {
      Guarded(admitted.request_id(), finish, [&] { route.handler(admitted, finish); });
    });
  });
}

std::optional<RouteRequest> ApiHandler::Admit(const Route& route, Request request,
                                              PathParams params, Result<Principal> principal,
                                              std::string request_id, const Responder& finish) {
  if (!principal.ok()) {
    finish(ErrorResponse(principal.status(), request_id));
    return std::nullopt;
  }
  if (principal->rate_limit > 0) {
    const std::int64_t wait = limiter_.Acquire(principal->caller.key_id, principal->rate_limit);
    if (wait > 0) {
      finish(RateLimitedResponse(principal->rate_limit, wait, request_id));
      return std::nullopt;
    }
  }
  Result<QueryParams> query = QueryParams::Parse(SplitTarget(request.target).query);
  if (!query.ok()) {
    finish(ErrorResponse(query.status(), request_id));
    return std::nullopt;
  }
  RouteRequest admitted{std::move(request), std::move(params), std::move(query).value(),
                        std::move(principal->caller), route.pattern};
  admitted.caller.request_id = std::move(request_id);
  return admitted;
}

}  // namespace loci::http
