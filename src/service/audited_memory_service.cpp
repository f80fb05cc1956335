#include "service/audited_memory_service.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <utility>

namespace loci::service {
namespace {

// The seq of an export's own audit event, set by the append's callback; 0 until appended, and
// for good when the append failed.
using OwnEventSeq = std::atomic<std::int64_t>;

// The inner service's export, followed by the audit events about the user up to the export's
// own event. Borrows the audit log (as the decorator does).
class AuditedUserExport final : public UserExport {
 public:
  AuditedUserExport(std::unique_ptr<UserExport> inner, AuditLog& audit, Caller caller,
                    std::string user_id, std::shared_ptr<const OwnEventSeq> own_seq, int page)
      : inner_(std::move(inner)),
        audit_(audit),
        caller_(std::move(caller)),
        user_id_(std::move(user_id)),
        own_seq_(std::move(own_seq)),
        page_(page) {}

  const ExportHeader& header() const override { return inner_->header(); }
  Result<std::vector<model::Message>> NextPage() override { return inner_->NextPage(); }

  Result<std::vector<AuditEntry>> NextAuditPage() override {
    if (done_) return std::vector<AuditEntry>();
    ASSIGN_OR_RETURN(
        AuditPage page,
        audit_.Events(caller_, {.user_id = user_id_, .after = after_, .limit = page_}));
    // Events waited for every event recorded before it, the export's own included: its seq is
    // known by now, unless its append failed.
    const std::int64_t through = own_seq_->load();
    if (through == 0) return Unavailable("the export's own audit event could not be recorded");
    std::vector<AuditEntry>& events = page.events;
    const auto past =
        std::find_if(events.begin(), events.end(),
                     [through](const AuditEntry& event) { return event.seq > through; });
    if (past != events.end() || !page.next_after) done_ = true;
    events.erase(past, events.end());
    if (!events.empty()) after_ = events.back().seq;
    return std::move(events);
  }

 private:
  std::unique_ptr<UserExport> inner_;
  AuditLog& audit_;
  Caller caller_;
  std::string user_id_;
  std::shared_ptr<const OwnEventSeq> own_seq_;
  int page_;
  std::int64_t after_ = 0;
  bool done_ = false;
};

}  // namespace

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

std::shared_ptr<const ContextPack> AuditedMemoryService::CachedContext(const Caller& caller,
                                                                       const ContextQuery& query) {
  std::shared_ptr<const ContextPack> pack = inner_.CachedContext(caller, query);
  if (pack != nullptr) {
    audit_.Record(caller, audit_action::kContext, query.user_id, Status::Ok(),
                  static_cast<std::int64_t>(pack->messages.size()));
  }
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
  if (!exported.ok()) {
    audit_.Record(caller, audit_action::kExport, user_id, exported.status());
    return exported;
  }
  auto own_seq = std::make_shared<OwnEventSeq>(0);
  audit_.Record(caller, audit_action::kExport, user_id, Status::Ok(),
                (*exported)->header().message_count, [own_seq](Result<std::int64_t> seq) {
                  if (seq.ok()) own_seq->store(*seq);
                });
  return std::unique_ptr<UserExport>(std::make_unique<AuditedUserExport>(
      std::move(*exported), audit_, caller, user_id, std::move(own_seq), export_audit_page_));
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

Result<std::vector<Preference>> AuditedMemoryService::Preferences(const Caller& caller,
                                                                  const std::string& user_id) {
  auto preferences = inner_.Preferences(caller, user_id);
  audit_.Record(caller, audit_action::kPreferencesRead, user_id, preferences.status(),
                preferences.ok() ? static_cast<std::int64_t>(preferences->size()) : 0);
  return preferences;
}

Result<Preference> AuditedMemoryService::SetPreference(const Caller& caller,
                                                       const PreferenceUpdate& update) {
  auto preference = inner_.SetPreference(caller, update);
  audit_.Record(caller, audit_action::kPreferenceSet, update.user_id, preference.status(),
                preference.ok() ? 1 : 0);
  return preference;
}

Result<bool> AuditedMemoryService::ForgetPreference(const Caller& caller,
                                                    const std::string& user_id,
                                                    const std::string& key) {
  auto held = inner_.ForgetPreference(caller, user_id, key);
  audit_.Record(caller, audit_action::kPreferenceForget, user_id, held.status(),
                held.ok() && *held ? 1 : 0);
  return held;
}

Result<bool> AuditedMemoryService::Feedback(const Caller& caller, const FeedbackCommand& command) {
  auto learned = inner_.Feedback(caller, command);
  audit_.Record(caller, audit_action::kFeedback, command.user_id, learned.status(),
                learned.ok() && *learned ? 1 : 0);
  return learned;
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
