#include "service/memory_service.h"

namespace loci::service {

Result<AuditPage> MemoryService::AuditEvents(const Caller& /*caller*/,
                                             const AuditListQuery& /*query*/) {
  return Unavailable("this server keeps no audit log");
}

Result<AuditVerifyResult> MemoryService::VerifyAudit(const Caller& /*caller*/) {
  return Unavailable("this server keeps no audit log");
}

}  // namespace loci::service
