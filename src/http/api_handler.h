// ApiHandler: the pipeline every request goes through, in order: resolve the request id, match
// the route (404, 405 with Allow, 400 for a bad parameter), authenticate (401/403), take a
// token from the key's rate limit (429 rate_limited with Retry-After), parse the query string,
// run the route's handler inside one catch-all. Its Responder stamps
// X-Request-Id on every answer, records metrics by route pattern and writes the access log
// (request id, method, pattern, status, latency; never bodies, paths or user ids).
//
// Where each step runs: Handle is called on the server's I/O thread, so the steps up to the
// route's handler run there as long as none may block. Authentication that needs a stored key
// the KeyLookup has no cached answer for is deferred to a worker with everything after it. A
// route's inline handler (router.h) then gets the chance to answer from memory on the I/O
// thread; otherwise, or when it declines, the route's handler runs deferred on a worker. Each
// request passes each step exactly once, whichever thread runs it (one rate-limit token).
//
// Thread-safety: Handle may be called concurrently. Responders keep the handler alive, so an
// answer that arrives after the server is gone is still safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "http/auth.h"
#include "http/metrics.h"
#include "http/rate_limiter.h"
#include "http/responder.h"
#include "http/router.h"
#include "service/memory_service.h"

namespace loci::http {

class ApiHandler : public std::enable_shared_from_this<ApiHandler> {
 public:
  // `service` must outlive the handler.
  static std::shared_ptr<ApiHandler> Create(const AuthConfig& auth,
                                            service::MemoryService& service);

  // A RequestHandler (responder.h): never blocks; what may block runs through `defer`.
  void Handle(Request request, Responder respond, const Defer& defer);

 private:
  ApiHandler(const AuthConfig& auth, service::MemoryService& service);

  // The steps after authentication: answers a failed `principal` (401/403 or the KeyLookup's
  // error), takes a rate-limit token (429 when none is left) and parses the query string
  // (400). The request ready for `route`'s handlers, or nullopt once answered through
  // `finish`.
  std::optional<RouteRequest> Admit(const Route& route, Request request, PathParams params,
                                    Result<Principal> principal, std::string request_id,
                                    const Responder& finish);

  // Wraps `respond` with request id, metrics and access log.
  Responder Finisher(Responder respond, std::string request_id, const Route* route,
                     std::string method);

  Authenticator auth_;
  RateLimiter limiter_;
  Metrics metrics_;
  Router router_;
};

}  // namespace loci::http
