// Responder: how a request handler answers, once, from any thread.
//
// The server hands every handler a Responder; the handler (or whatever finishes its work, such
// as the storage writer's finishing thread after a durable commit) calls it with the response. Only
// the first call counts. If every copy is destroyed without a call, the request is answered 500, so
// a forgotten path cannot leave a client hanging.
//
// Thread-safety: copies share one state; calling and destroying copies from different threads
// concurrently is safe. The sink must not block.
#pragma once

#include <functional>
#include <memory>

#include "http/request.h"

namespace loci::http {

class Responder {
 public:
  using Sink = std::function<void(Response)>;

  // REQUIRES: sink is callable.
  explicit Responder(Sink sink);

  // Delivers `response` unless this request was answered already (then does nothing).
  void operator()(Response response) const;

  // True once any copy has answered.
  bool answered() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// The body and status sent when a handler fails in a way nobody foresaw: 500, code "internal".
// Used where the JSON layer is not available.
Response FallbackInternalError();

// Runs `work` later on the server's worker pool, where blocking (storage, parsing large
// bodies, building answers) is allowed. An exception `work` lets escape is logged and answers
// the request 500. It holds a copy of the request's Responder: call it from the handler or
// from work it deferred, and keep no copy beyond (that would keep the request from being
// answered 500 when every other copy of its Responder is dropped).
using Defer = std::function<void(std::function<void()>)>;

// Called on an I/O thread for each complete request, which it must answer through its
// Responder. It must not block: it may answer from memory at once, or hand the rest of its work
// (anything that may wait for storage or take long) to `defer`. An exception it lets escape
// answers the request 500.
using RequestHandler = std::function<void(Request, Responder, const Defer&)>;

}  // namespace loci::http
