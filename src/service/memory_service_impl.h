// The MemoryService that app/ wires: validates, analyzes and hands work to the store, the
// search service and the context manager. Thread-safety: all methods may be called
// concurrently; the collaborators are borrowed and must outlive it.
#pragma once

#include "service/context_cache.h"
#include "service/context_manager.h"
#include "service/memory_service.h"
#include "service/preference_engine.h"
#include "service/privacy_controller.h"
#include "service/search_service.h"
#include "storage/store.h"
#include "text/analyzer.h"
#include "util/time.h"

namespace loci::service {

class MemoryServiceImpl final : public MemoryService {
 public:
  // REQUIRES: store, analyzer and clock outlive the service.
  MemoryServiceImpl(storage::Store& store, const text::Analyzer& analyzer, const Clock& clock,
                    Limits limits);

  void Store(const Caller& caller, StoreCommand command,
             std::function<void(Result<StoreResult>)> done) override;
  Result<std::shared_ptr<const ContextPack>> Context(const Caller& caller,
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
  Status Ready() override;
  Result<std::vector<Preference>> Preferences(const Caller& caller,
                                              const std::string& user_id) override;
  Result<Preference> SetPreference(const Caller& caller, const PreferenceUpdate& update) override;
  Result<bool> ForgetPreference(const Caller& caller, const std::string& user_id,
                                const std::string& key) override;
  Result<bool> Feedback(const Caller& caller, const FeedbackCommand& command) override;

  // Learning from stored turns (preference_engine.h); a deferred-work handler calls Learn.
  PreferenceEngine& preferences() { return preferences_; }

  // Settings, redaction and retention (privacy_controller.h); app/ runs its Purge.
  PrivacyController& privacy() { return privacy_; }

 private:
  // The store's form of one incoming message: analyzed, counted, timestamped.
  storage::NewMessage Prepare(IncomingMessage message, UnixMillis now) const;

  storage::Store& store_;
  const text::Analyzer& analyzer_;
  const Clock& clock_;
  Limits limits_;
  SearchService search_;
  ContextManager context_;
  ContextCache context_cache_;
  PrivacyController privacy_;     // after context_cache_, which it borrows
  PreferenceEngine preferences_;  // after context_cache_, which it invalidates
};

}  // namespace loci::service
