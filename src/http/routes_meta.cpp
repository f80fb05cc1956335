// The descriptive routes: Prometheus metrics (admin key) and the OpenAPI document.
#include "http/openapi.h"
#include "http/routes.h"

namespace loci::http {

void RegisterMetaRoutes(Router& router, const Metrics& metrics) {
  router.Add("GET", "/metrics", Access::kAdmin,
             [&metrics](RouteRequest& /*request*/, const Responder& respond) {
               Response response;
               response.headers.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
               response.body = metrics.RenderPrometheus();
               respond(std::move(response));
             });
  router.Add("GET", "/openapi.json", Access::kApp,
             [](RouteRequest& /*request*/, const Responder& respond) {
               Response response;
               response.headers.Set("Content-Type", "application/json");
               response.body = std::string(OpenApiDocument());
               respond(std::move(response));
             });
}

}  // namespace loci::http
