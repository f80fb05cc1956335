// AuditedMemoryService: a MemoryService that records every call of another one in the audit
// log (audit_log.h), with the call's outcome and how many items it touched, and that serves
// the admin routes of the log itself. app/ wires it around MemoryServiceImpl, so the audit is
// one layer that no operation can bypass and that the operations need not know about.
//
// Events (actions in audit_log.h): store (messages stored), context (messages in the pack;
// also for a pack CachedContext returns, none when it returns null),
// search (results), sessions_list (sessions), session_read (messages), export (messages the
// export will hold), erase_user / erase_session (messages erased), erase_message (1),
// privacy_read / privacy_update (0), preferences_read (preferences returned), preference_set
// (1), preference_forget (1 when the user held it, else 0), feedback (1 when learned from),
// audit_list (events returned), audit_verify (events checked). A failure is recorded with its
// error code and count 0, whether the input was refused or storage failed.
//
// Export wraps the inner service's UserExport so that, after the messages, it yields the audit
// events about the user (subject: the user's pseudonym, in the caller's tenant), oldest first,
// `export_audit_page` at a time, up to and including the export's own event (recorded when the
// export begins, so the export shows that it happened). Events recorded after it (a concurrent
// request about the user) are left out, as messages stored after the start are. If the
// export's own event cannot be appended, NextAuditPage fails (Unavailable): an export never
// leaves out its own audit.
// Thread-safety: as MemoryService. `inner` and `audit` must outlive it.
#pragma once

#include "service/audit_log.h"
#include "service/memory_service.h"

namespace loci::service {

class AuditedMemoryService final : public MemoryService {
 public:
  // Audit events read per export page (AuditLog::Events allows at most 1,000).
  static constexpr int kExportAuditPage = 500;

  // REQUIRES: 1 <= export_audit_page <= 1000.
  AuditedMemoryService(MemoryService& inner, AuditLog& audit,
                       int export_audit_page = kExportAuditPage)
      : inner_(inner), audit_(audit), export_audit_page_(export_audit_page) {}

  void Store(const Caller& caller, StoreCommand command,
             std::function<void(Result<StoreResult>)> done) override;
  bool StoreIsAtHand(const Caller& caller, const std::string& user_id) override {
    return inner_.StoreIsAtHand(caller, user_id);
  }
  Result<std::shared_ptr<const ContextPack>> Context(const Caller& caller,
                                                     const ContextQuery& query) override;
  // Records the context event Context would when a pack is at hand; nothing when null.
  std::shared_ptr<const ContextPack> CachedContext(const Caller& caller,
                                                   const ContextQuery& query) override;
  Result<SearchResult> Search(const Caller& caller, const SearchQuery& query) override;
  Result<UserErasureResult> EraseUser(const Caller& caller, const std::string& user_id) override;
  Result<std::vector<model::SessionInfo>> Sessions(const Caller& caller,
                                                   const std::string& user_id) override;
  Result<std::vector<model::Message>> SessionMessages(const Caller& caller,
                                                      const SessionPageQuery& query) override;
  Result<std::int64_t> EraseSession(const Caller& caller, const std::string& user_id,
                                    const std::string& session_id) override;
  Status EraseMessage(const Caller& caller, const std::string& user_id,
                      const std::string& message_id) override;
  Result<std::unique_ptr<UserExport>> Export(const Caller& caller,
                                             const std::string& user_id) override;
  Result<model::PrivacySettings> Privacy(const Caller& caller, const std::string& user_id) override;
  Result<model::PrivacySettings> UpdatePrivacy(const Caller& caller,
                                               const PrivacyUpdate& update) override;
  Status Ready() override { return inner_.Ready(); }
  std::vector<ComponentStatus> Components() override { return inner_.Components(); }
  Result<std::vector<Preference>> Preferences(const Caller& caller,
                                              const std::string& user_id) override;
  Result<Preference> SetPreference(const Caller& caller, const PreferenceUpdate& update) override;
  Result<bool> ForgetPreference(const Caller& caller, const std::string& user_id,
                                const std::string& key) override;
  Result<bool> Feedback(const Caller& caller, const FeedbackCommand& command) override;
  Result<AuditPage> AuditEvents(const Caller& caller, const AuditListQuery& query) override;
  Result<AuditVerifyResult> VerifyAudit(const Caller& caller) override;

 private:
  MemoryService& inner_;
  AuditLog& audit_;
  int export_audit_page_;
};

}  // namespace loci::service
