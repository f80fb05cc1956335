// The HTTP layer's public face for app/: the Loci API as a request handler or as a ready
// server, built from the server options, the API keys and the memory service.
//
//   auto keys = loci::http::ParseApiKeys(env LOCI_API_KEYS);       // Result<AuthConfig>
//   auto server = loci::http::MakeApiServer(options, *keys, memory_service);
//   RETURN_IF_ERROR(server->Start());   // then server->port()
//   ...                                 // on SIGTERM: server->Stop(), then tear down the service
//
// Thread-safety: the handler may be called concurrently; the service must outlive the server
// (and any answer still pending inside it).
#pragma once

#include <memory>

#include "http/auth.h"
#include "http/responder.h"
#include "http/server.h"
#include "service/memory_service.h"

namespace loci::http {

// The whole API as one handler: request id, routing (404/405), auth, the route's handler,
// metrics, access log and the catch-all that answers 500. For tests that drive the API
// without sockets, and for MakeApiServer.
RequestHandler MakeApiHandler(const AuthConfig& auth, service::MemoryService& service);

// A server for the API, not yet started.
std::unique_ptr<Server> MakeApiServer(const ServerOptions& options, const AuthConfig& auth,
                                      service::MemoryService& service);

}  // namespace loci::http
