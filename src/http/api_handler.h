// ApiHandler: the pipeline every request goes through, in order: resolve the request id, match
// the route (404, 405 with Allow, 400 for a bad parameter), authenticate (401/403), take a
// token from the key's rate limit (429 rate_limited with Retry-After), parse the query string,
// run the route's handler inside one catch-all. Its Responder stamps
// X-Request-Id on every answer, records metrics by route pattern and writes the access log
// (request id, method, pattern, status, latency; never bodies, paths or user ids).
//
// Thread-safety: Handle may be called concurrently. Responders keep the handler alive, so an
// answer that arrives after the server is gone is still safe.
#pragma once

#include <memory>

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

  void Handle(Request request, Responder respond);

 private:
  ApiHandler(const AuthConfig& auth, service::MemoryService& service);

  // Wraps `respond` with request id, metrics and access log.
  Responder Finisher(Responder respond, std::string request_id, const Route* route,
                     std::string method);

  Authenticator auth_;
  RateLimiter limiter_;
  Metrics metrics_;
  Router router_;
};

}  // namespace loci::http
