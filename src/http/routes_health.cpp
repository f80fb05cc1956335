// Liveness (the process answers) and readiness (its storage answers, and which optional parts
// work); no key needed.
#include "http/error_mapping.h"
#include "http/json_response.h"
#include "http/routes.h"

namespace loci::http {

void RegisterHealthRoutes(Router& router, service::MemoryService& service) {
  router.Add("GET", "/healthz", Access::kPublic,
             [](RouteRequest& /*request*/, const Responder& respond) {
               respond(JsonResponse(200, {{"status", "ok"}}));
             });
  router.Add(
      "GET", "/readyz", Access::kPublic,
      [&service](RouteRequest& /*request*/, const Responder& respond) {
        const Status ready = service.Ready();
        if (ready.ok()) {
          // Optional parts that do not work leave the server ready, with less to offer.
          Json components = Json::object();
          for (const service::ComponentStatus& component : service.Components()) {
            components[component.name] = {{"status", component.ok ? "ok" : "unavailable"},
                                          {"detail", component.detail}};
          }
          return respond(JsonResponse(200, {{"status", "ready"}, {"components", components}}));
        }
        // The cause stays in the log: readiness is public and must not describe internals.
        Response response = ErrorResponse(503, "unavailable", "not ready");
        response.log_note = ready.ToString();
        respond(std::move(response));
      });
}

}  // namespace loci::http
