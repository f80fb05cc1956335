// The route table in one place: every route of the API, by topic.
#include "http/routes.h"

namespace loci::http {

void RegisterRoutes(Router& router, service::MemoryService& service, const Metrics& metrics) {
  RegisterStoreRoutes(router, service);
  RegisterContextRoutes(router, service);
  RegisterSearchRoutes(router, service);
  RegisterErasureRoutes(router, service);
  RegisterSessionRoutes(router, service);
  RegisterExportRoutes(router, service);
  RegisterAuditRoutes(router, service);
  RegisterPrivacyRoutes(router, service);
  RegisterPreferenceRoutes(router, service);
  RegisterHealthRoutes(router, service);
  RegisterMetaRoutes(router, metrics);
}

}  // namespace loci::http
