// Server: the HTTP/1.x listener. Reads requests on a few I/O threads (Boost.Asio, one strand per
// connection, one request at a time per connection so keep-alive and pipelining stay ordered),
// hands each complete request to a RequestHandler on its connection's I/O thread, and writes the
// answer whenever the handler's Responder is called, from whatever thread. The handler answers
// what it can from memory at once (no thread hop at all) and defers anything that may block to
// a separate worker pool (responder.h: Defer).
//
// Limits live on the I/O side only: a client that is slow to send its headers or body, or slow
// to read its response, is cut off by timeouts and never occupies a worker, because a handler
// runs only once its request is complete. Oversized bodies get 413, oversized headers 431,
// malformed HTTP 400, connections past the limit 503; each then closes.
//
// This header is free of Beast and Asio; the implementation is in server.cpp and connection.cpp.
// Thread-safety: Start, port and Stop may be called from any one controlling thread, but not
// from a handler or deferred work (Stop waits for them).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "http/responder.h"
#include "util/status.h"

namespace loci::http {

struct ServerOptions {
  // "host:port" or "[v6 address]:port". Port 0 picks a free port; see Server::port().
  std::string listen = "127.0.0.1:8420";
  int io_threads = 1;
  int worker_threads = 4;
  std::size_t max_body_bytes = std::size_t{1024} * 1024;
  std::size_t max_header_bytes = std::size_t{16} * 1024;
  // From the first byte of a request until it has been read whole (headers and body).
  std::chrono::milliseconds read_timeout{10'000};
  // To write one response.
  std::chrono::milliseconds write_timeout{10'000};
  // How long a kept-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{60'000};
  // How long Stop() lets in-flight requests finish before closing everything.
  std::chrono::milliseconds shutdown_timeout{10'000};
  std::size_t max_connections = 10'000;
};

class Server {
 public:
  // `handler` runs on an I/O thread for each complete request, with a Defer onto the pool of
  // `worker_threads`. REQUIRES: it never blocks on the I/O thread (it defers what may), and it
  // answers through its Responder (not answering at all yields 500 when the Responder is
  // dropped).
  Server(ServerOptions options, RequestHandler handler);
  ~Server();  // Stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. Returns InvalidArgument for an unusable listen
  // address or options, Unavailable when the address cannot be bound (in use, not permitted),
  // Internal when called twice.
  Status Start();

  // The bound port (useful with port 0). REQUIRES: Start() succeeded.
  int port() const;

  // Graceful shutdown: stops accepting, closes idle connections and connections still
  // receiving a request, lets requests already being handled finish and be written (up to
  // shutdown_timeout), then closes the rest and joins every thread. Answers that arrive later
  // are dropped. Idempotent.
  void Stop();

 private:
  class Core;
  std::unique_ptr<Core> core_;
};

}  // namespace loci::http
