// The API's routes, registered into a Router by topic. Each handler parses and validates the
// request into a service command, calls one MemoryService method and maps the Result to JSON;
// nothing else. The route table as a whole is RegisterRoutes.
// Thread-safety: registration happens once before serving; handlers run concurrently on the
// server's workers, inline handlers (router.h) on its I/O threads, and `service` must allow
// that (MemoryService does).
#pragma once

#include "http/metrics.h"
#include "http/router.h"
#include "service/memory_service.h"

namespace loci::http {

// POST /memory/store
void RegisterStoreRoutes(Router& router, service::MemoryService& service);
// GET /memory/context/{user_id}
void RegisterContextRoutes(Router& router, service::MemoryService& service);
// POST /memory/search
void RegisterSearchRoutes(Router& router, service::MemoryService& service);
// DELETE /memory/user/{user_id}, /memory/session/{user_id}/{session_id},
// /memory/message/{user_id}/{message_id}
void RegisterErasureRoutes(Router& router, service::MemoryService& service);
// GET /memory/sessions/{user_id}, /memory/session/{user_id}/{session_id}
void RegisterSessionRoutes(Router& router, service::MemoryService& service);
// GET /memory/export/{user_id} (JSON or, streamed line by line, NDJSON)
void RegisterExportRoutes(Router& router, service::MemoryService& service);
// GET /audit, /audit/verify (admin)
void RegisterAuditRoutes(Router& router, service::MemoryService& service);
// GET and PUT /memory/privacy/{user_id}
void RegisterPrivacyRoutes(Router& router, service::MemoryService& service);
// GET /memory/preferences/{user_id}, PUT and DELETE /memory/preferences/{user_id}/{key},
// POST /memory/feedback
void RegisterPreferenceRoutes(Router& router, service::MemoryService& service);
// GET /healthz, /readyz (no key needed)
void RegisterHealthRoutes(Router& router, service::MemoryService& service);
// GET /metrics (admin), /openapi.json
void RegisterMetaRoutes(Router& router, const Metrics& metrics);

// Every route above. `metrics` must outlive the router.
void RegisterRoutes(Router& router, service::MemoryService& service, const Metrics& metrics);

}  // namespace loci::http
