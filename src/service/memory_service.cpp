#include "service/memory_service.h"

namespace loci::service {

std::shared_ptr<const ContextPack> MemoryService::CachedContext(const Caller& /*caller*/,
                                                                const ContextQuery& /*query*/) {
  return nullptr;
}

bool MemoryService::StoreIsAtHand(const Caller& /*caller*/, const std::string& /*user_id*/) {
  return false;
}

Result<AuditPage> MemoryService::AuditEvents(const Caller& /*caller*/,
                                             const AuditListQuery& /*query*/) {
  return Unavailable("this server keeps no audit log");
}

Result<AuditVerifyResult> MemoryService::VerifyAudit(const Caller& /*caller*/) {
  return Unavailable("this server keeps no audit log");
}

Result<std::vector<Preference>> MemoryService::Preferences(const Caller& /*caller*/,
                                                           const std::string& /*user_id*/) {
  return Unavailable("this server keeps no preferences");
}

Result<Preference> MemoryService::SetPreference(const Caller& /*caller*/,
                                                const PreferenceUpdate& /*update*/) {
  return Unavailable("this server keeps no preferences");
}

Result<bool> MemoryService::ForgetPreference(const Caller& /*caller*/,
                                             const std::string& /*user_id*/,
                                             const std::string& /*key*/) {
  return Unavailable("this server keeps no preferences");
}

Result<bool> MemoryService::Feedback(const Caller& /*caller*/, const FeedbackCommand& /*command*/) {
  return Unavailable("this server keeps no preferences");
}

}  // namespace loci::service
