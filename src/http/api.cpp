#include "http/api.h"

#include "http/api_handler.h"

namespace loci::http {

RequestHandler MakeApiHandler(const AuthConfig& auth, service::MemoryService& service) {
  std::shared_ptr<ApiHandler> handler = ApiHandler::Create(auth, service);
  return [handler](Request request, Responder respond, const Defer& defer) {
    handler->Handle(std::move(request), std::move(respond), defer);
  };
}

std::unique_ptr<Server> MakeApiServer(const ServerOptions& options, const AuthConfig& auth,
                                      service::MemoryService& service) {
  return std::make_unique<Server>(options, MakeApiHandler(auth, service));
}

}  // namespace loci::http
