// MemoryService: the one entry point every route calls. It validates domain rules
// (identifier and size limits), analyzes text, and orchestrates the store, search and context
// components. It knows nothing of HTTP.
//
// Every method reports failure as a Status: InvalidArgument (with the offending field) for
// bad input, NotFound for a missing session or message, Unavailable when storage is down,
// Internal otherwise. Thread-safety: all methods may be called concurrently.
#pragma once

#include <functional>
#include <memory>

#include "service/commands.h"
#include "service/privacy_policy.h"
#include "service/search_params.h"
#include "util/status.h"

namespace loci::service {

struct ComponentStatus {
  std::string name;    // "semantic_search"
  bool ok = false;     // it works
  std::string detail;  // for operators: which model, or why it does not work
};

struct Limits {
  int max_messages_per_store = 1000;
  std::size_t max_content_bytes = 64 * 1024;
  std::size_t max_metadata_bytes = 16 * 1024;
  std::size_t max_id_bytes = 256;
  int default_context_messages = 20;
  int default_context_tokens = 2000;
  // The most turns outside the window a session's summary may lag behind before a context
  // request folds them itself (LOCI_SUMMARY_LAG_MESSAGES; context_manager.h).
  int summary_lag_messages = 20;
  // How long after a store its session's fold waits (LOCI_FOLD_DELAY_MS): stores meanwhile
  // join the same fold, so a chatty session costs a fold per delay, not one per turn.
  UnixMillis fold_delay_ms = 2000;
  // User turns one run of preference learning reads; more runs follow while some are left, so
  // a long backlog never holds a work thread for long.
  int learn_run_turns = 2000;
  int max_search_limit = 100;
  std::size_t context_cache_bytes = 64 * 1024 * 1024;  // 0 turns the context cache off
  // Opened vector matrices kept for semantic search (vector_cache.h): a user with 100,000
  // vectors of 100 dimensions takes ~16 MB. 0 reads every search's vectors from the store.
  std::size_t vector_cache_bytes = 256 * 1024 * 1024;
  // Messages read per export page: bounds an export's memory (content is at most
  // max_content_bytes a message) while keeping storage round trips few.
  int export_page_messages = 256;
  PrivacyPolicy privacy;  // the operator's redaction and retention, for every user
  SearchParams search;    // ranking and fusion (LOCI_SEARCH_FUSION)
};

// An export in progress (MemoryService::Export): what it holds, then its messages a page at a
// time, then the audit events about the user a page at a time, so that a user with any number
// of messages and events is exported in bounded memory. It reflects the user's data when the
// export began: messages stored later are left out; messages erased meanwhile are left out too
// once their page is read after the erasure.
// Thread-safety: use from one thread at a time (it may move between threads). It borrows the
// service's store: destroy it before the service.
class UserExport {
 public:
  virtual ~UserExport() = default;
  virtual const ExportHeader& header() const = 0;
  // The next messages in the order they were stored (across sessions, oldest first), or an
  // empty page once every message has been returned. Unavailable or Internal when storage
  // fails; the export is then unusable.
  virtual Result<std::vector<model::Message>> NextPage() = 0;
  // After the messages: the audit events about the user (in the caller's tenant), oldest
  // first, or an empty page once every event has been returned. The audit log is added by a
  // decorator (audited_memory_service.h, which documents which events an export holds); an
  // export without one holds no event. Fails as NextPage.
  virtual Result<std::vector<AuditEntry>> NextAuditPage() { return std::vector<AuditEntry>(); }
};

class MemoryService {
 public:
  virtual ~MemoryService() = default;

  // Stores the messages atomically. `done` runs once, after they are durable (possibly on
  // another thread, and must not block).
  virtual void Store(const Caller& caller, StoreCommand command,
                     std::function<void(Result<StoreResult>)> done) = 0;
  // True when Store for the user needs nothing it would wait for (storage reads, a remote
  // embedder) other than handing the write over: a caller on a thread that must not block may
  // then call Store. Never blocks. A hint: what it finds in memory may be dropped before Store
  // runs, which then reads it again, as rarely as a cache is emptied in between. The default
  // says false.
  virtual bool StoreIsAtHand(const Caller& caller, const std::string& user_id);
  // The pack is immutable and may be shared: identical requests between two changes of the
  // user's data receive the same object.
  virtual Result<std::shared_ptr<const ContextPack>> Context(const Caller& caller,
                                                             const ContextQuery& query) = 0;
  // The pack Context would answer, when it is at hand in memory (the context cache): never
  // blocks, for a caller on a thread that must not wait for storage. Null, having done
  // nothing, when it is not at hand, or the query is invalid or not cached (one with query
  // text); then call Context, which reports why. The default holds nothing.
  virtual std::shared_ptr<const ContextPack> CachedContext(const Caller& caller,
                                                           const ContextQuery& query);
  virtual Result<SearchResult> Search(const Caller& caller, const SearchQuery& query) = 0;
  virtual Result<UserErasureResult> EraseUser(const Caller& caller, const std::string& user_id) = 0;
  virtual Result<std::vector<model::SessionInfo>> Sessions(const Caller& caller,
                                                           const std::string& user_id) = 0;
  virtual Result<std::vector<model::Message>> SessionMessages(const Caller& caller,
                                                              const SessionPageQuery& query) = 0;
  // Returns the number of messages erased with the session (its summary goes with it).
  virtual Result<std::int64_t> EraseSession(const Caller& caller, const std::string& user_id,
                                            const std::string& session_id) = 0;
  // Erases one message. When the session's summary covered it, the summary goes at once and
  // a fold of the session is queued, so a fresh summary of what remains follows.
  virtual Status EraseMessage(const Caller& caller, const std::string& user_id,
                              const std::string& message_id) = 0;
  // Begins exporting everything held about the user: sessions, privacy settings (header),
  // messages, audit events (UserExport). NotFound when nothing is held (no message of the user
  // exists in the caller's tenant).
  virtual Result<std::unique_ptr<UserExport>> Export(const Caller& caller,
                                                     const std::string& user_id) = 0;
  // The user's privacy settings: the defaults for a user who never set any (reading creates
  // nothing).
  virtual Result<model::PrivacySettings> Privacy(const Caller& caller,
                                                 const std::string& user_id) = 0;
  // Applies a partial change and returns the settings that result. An empty change writes
  // nothing. InvalidArgument (field "retention_days") for a retention out of range.
  virtual Result<model::PrivacySettings> UpdatePrivacy(const Caller& caller,
                                                       const PrivacyUpdate& update) = 0;
  // OK when storage answers.
  virtual Status Ready() = 0;

  // The optional parts the server runs with and whether each works (for /readyz): the server
  // is ready without them, with less to offer. No personal data in the details.
  virtual std::vector<ComponentStatus> Components() { return {}; }

  // The user's preferences, learned and set, surest first, after learning from every turn
  // stored so far (preference_engine.h). A service without a preference engine answers
  // Unavailable (these four).
  virtual Result<std::vector<Preference>> Preferences(const Caller& caller,
                                                      const std::string& user_id);
  // Sets a preference by hand (source manual, confidence 1) and returns it. InvalidArgument
  // (field "key", "value" or "category") for a key that is not lower-case snake_case
  // (model::IsValidPreferenceKey), a value empty or over model::kMaxPreferenceValueBytes or
  // not valid text, a category that is not snake_case.
  virtual Result<Preference> SetPreference(const Caller& caller, const PreferenceUpdate& update);
  // Forgets a preference: it goes, and the turns stored so far do not teach it again. Returns
  // whether the user held it. InvalidArgument for a bad key, as SetPreference.
  virtual Result<bool> ForgetPreference(const Caller& caller, const std::string& user_id,
                                        const std::string& key);
  // Learns from feedback on an assistant message. Returns whether it was learned from (false
  // when the user's learn_preferences is off). InvalidArgument (field "signal") for a signal
  // other than too_long, too_short, good, bad; as Store for bad ids.
  virtual Result<bool> Feedback(const Caller& caller, const FeedbackCommand& command);

  // Admin: the caller's tenant's audit events (AuditLog::Events). The audit log is added by a
  // decorator (audited_memory_service.h); a service without one answers Unavailable.
  virtual Result<AuditPage> AuditEvents(const Caller& caller, const AuditListQuery& query);
  // Admin: checks the audit chain of the whole store (AuditLog::Verify); Unavailable as above.
  virtual Result<AuditVerifyResult> VerifyAudit(const Caller& caller);
};

}  // namespace loci::service
