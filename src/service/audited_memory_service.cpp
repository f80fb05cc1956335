#include "service/audited_memory_service.h"

#include <utility>

namespace loci::service {
void AuditedMemoryService::Store(const Caller& caller, StoreCommand command,
                                 std::function<void(Result<StoreResult>)> done) {
  std::optional<std::string> user_id = command.user_id;
  inner_.Store(caller, std::move(command),
               [this, caller, user_id = std::move(user_id),
                done = std::move(done)](Result<StoreResult> result) {
                 audit_.Record(caller, audit_action::kStore, user_id, result.status(),
                               result.ok() ? result->stored : 0);
                 done(std::move(result));
               });
}

Result<std::shared_ptr<const ContextPack>> AuditedMemoryService::Context(
    const Caller& caller, const ContextQuery& query) {
  auto pack = inner_.Context(caller, query);
  audit_.Record(caller, audit_action::kContext, query.user_id, pack.status(),
                pack.ok() ? static_cast<std::int64_t>((*pack)->messages.size()) : 0);
  return pack;
}

Result<SearchResult> AuditedMemoryService::Search(const Caller& caller, const SearchQuery& query) {
  auto found = inner_.Search(caller, query);
  audit_.Record(caller, audit_action::kSearch, query.user_id, found.status(),
                found.ok() ? static_cast<std::int64_t>(found->results.size()) : 0);
  return found;
}

Result<UserErasureResult> AuditedMemoryService::EraseUser(const Caller& caller,
                                                          const std::string& user_id) {
  auto erased = inner_.EraseUser(caller, user_id);
  audit_.Record(caller, audit_action::kEraseUser, user_id, erased.status(),
                erased.ok() ? erased->messages : 0);
  return erased;
}

Result<std::vector<model::SessionInfo>> AuditedMemoryService::Sessions(const Caller& caller,
                                                                       const std::string& user_id) {
  auto sessions = inner_.Sessions(caller, user_id);
  audit_.Record(caller, audit_action::kSessionsList, user_id, sessions.status(),
                sessions.ok() ? static_cast<std::int64_t>(sessions->size()) : 0);
  return sessions;
}

Result<std::vector<model::Message>> AuditedMemoryService::SessionMessages(
    const Caller& caller, const SessionPageQuery& query) {
  auto messages = inner_.SessionMessages(caller, query);
  audit_.Record(caller, audit_action::kSessionRead, query.user_id, messages.status(),
                messages.ok() ? static_cast<std::int64_t>(messages->size()) : 0);
  return messages;
}

Result<std::int64_t> AuditedMemoryService::EraseSession(const Caller& caller,
                                                        const std::string& user_id,
                                                        const std::string& session_id) {
  auto erased = inner_.EraseSession(caller, user_id, session_id);
  audit_.Record(caller, audit_action::kEraseSession, user_id, erased.status(),
                erased.ok() ? *erased : 0);
  return erased;
}

Status AuditedMemoryService::EraseMessage(const Caller& caller, const std::string& user_id,
                                          const std::string& message_id) {
  Status erased = inner_.EraseMessage(caller, user_id, message_id);
  audit_.Record(caller, audit_action::kEraseMessage, user_id, erased, erased.ok() ? 1 : 0);
  return erased;
}

Result<std::unique_ptr<UserExport>> AuditedMemoryService::Export(const Caller& caller,
                                                                 const std::string& user_id) {
  auto exported = inner_.Export(caller, user_id);
  audit_.Record(caller, audit_action::kExport, user_id, exported.status(),
                exported.ok() ? (*exported)->header().message_count : 0);
  return exported;
}

Result<model::PrivacySettings> AuditedMemoryService::Privacy(const Caller& caller,
                                                             const std::string& user_id) {
  auto settings = inner_.Privacy(caller, user_id);
  audit_.Record(caller, audit_action::kPrivacyRead, user_id, settings.status());
  return settings;
}

Result<model::PrivacySettings> AuditedMemoryService::UpdatePrivacy(const Caller& caller,
                                                                   const PrivacyUpdate& update) {
  auto settings = inner_.UpdatePrivacy(caller, update);
  audit_.Record(caller, audit_action::kPrivacyUpdate, update.user_id, settings.status());
  return settings;
}

Result<AuditPage> AuditedMemoryService::AuditEvents(const Caller& caller,
                                                    const AuditListQuery& query) {
  auto page = audit_.Events(caller, query);
  audit_.Record(caller, audit_action::kAuditList, query.user_id, page.status(),
                page.ok() ? static_cast<std::int64_t>(page->events.size()) : 0);
  return page;
}

Result<AuditVerifyResult> AuditedMemoryService::VerifyAudit(const Caller& caller) {
  auto verdict = audit_.Verify();
  audit_.Record(caller, audit_action::kAuditVerify, std::nullopt, verdict.status(),
                verdict.ok() ? verdict->events : 0);
  return verdict;
}

}  // namespace loci::service
