// Responder: how a request handler answers, once, from any thread.
//
// The server hands every handler a Responder; the handler (or whatever finishes its work, such
// as the storage writer thread after a durable commit) calls it with the response. Only the
// first call counts. If every copy is destroyed without a call, the request is answered 500, so
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

using RequestHandler = std::function<void(Request, Responder)>;

}  // namespace loci::http
