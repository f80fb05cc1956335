// AuditLog: records every access to personal data and every admin action as an audit event
// (storage/audit_event.h) chained by a MAC (storage/audit_chain.h), and reads them back.
//
// The log holds no personal data: the user appears as a pseudonym, the hex of a keyed hash
// (BLAKE2b, 16 bytes) of tenant and user id under a server key that survives erasure, so an
// erased user's events stay (unlinkable to a name without the key) and the same user maps to
// the same pseudonym before and after. No content, query text or session id is recorded.
//
// Record does not wait: the event joins the writer's next group commit (no fsync of its own;
// events recorded while one batch is being appended go together in the next write job)
// and the request is answered meanwhile. So a crash can lose the events of the last
// milliseconds (never leaving a hole in the chain: they were never committed); every event
// recorded before a read of the log (Events, Verify) is durable before that read.
// Thread-safety: every method may be called concurrently. `store` and `clock` must outlive it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/primitives.h"
#include "service/commands.h"
#include "storage/audit_chain.h"
#include "storage/store.h"
#include "util/status.h"
#include "util/time.h"

namespace loci::service {

// The actions, as stored and as filtered by GET /audit (docs/api.md lists them).
namespace audit_action {
inline constexpr char kStore[] = "store";
inline constexpr char kContext[] = "context";
inline constexpr char kSearch[] = "search";
inline constexpr char kSessionsList[] = "sessions_list";
inline constexpr char kSessionRead[] = "session_read";
inline constexpr char kExport[] = "export";
inline constexpr char kEraseUser[] = "erase_user";
inline constexpr char kEraseSession[] = "erase_session";
inline constexpr char kEraseMessage[] = "erase_message";
inline constexpr char kPrivacyRead[] = "privacy_read";
inline constexpr char kPrivacyUpdate[] = "privacy_update";
inline constexpr char kPreferencesRead[] = "preferences_read";
inline constexpr char kPreferenceSet[] = "preference_set";
inline constexpr char kPreferenceForget[] = "preference_forget";
inline constexpr char kFeedback[] = "feedback";
inline constexpr char kRetentionPurge[] = "retention_purge";
inline constexpr char kKeyCreate[] = "key_create";
inline constexpr char kKeyList[] = "key_list";
inline constexpr char kKeyRevoke[] = "key_revoke";
inline constexpr char kMasterKeyRotate[] = "master_key_rotate";
inline constexpr char kAuditList[] = "audit_list";
inline constexpr char kAuditVerify[] = "audit_verify";
}  // namespace audit_action

class AuditLog {
 public:
  // The names of the server keys (storage::LoadSystemKey) the log uses.
  static constexpr char kChainKeyName[] = "audit_chain";
  static constexpr char kPseudonymKeyName[] = "pseudonym";

  AuditLog(storage::Store& store, const crypto::SecretKey& chain_key,
           const crypto::SecretKey& pseudonym_key, const Clock& clock);
  ~AuditLog();  // Flush()
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // The pseudonym of a user of `tenant`: 32 lower-case hex digits.
  std::string Pseudonym(std::string_view tenant, std::string_view user_id) const;

  // Appends an event for `caller` doing `action` to `user_id` (none for admin actions) with
  // `outcome` (its code name is kept, never its message) and `count`. Does not wait; a failed
  // append is counted in failed_appends(). `appended`, when given, runs once with the event's
  // seq (or the append's error) on the store's writer (its finishing thread), before a Flush() that
  // waits for the event returns; it must not block.
  void Record(const Caller& caller, std::string_view action,
              const std::optional<std::string>& user_id, const Status& outcome,
              std::int64_t count = 0, std::function<void(Result<std::int64_t>)> appended = nullptr);

  // One retention_purge event per user the purge erased from (count: messages), by the
  // server itself (key id "retention").
  void RecordPurge(const PurgeReport& report);

  // Events of the caller's tenant matching `query`, after waiting for the ones recorded so far
  // to be durable. InvalidArgument for a limit out of 1..1000; the store's errors.
  Result<AuditPage> Events(const Caller& caller, const AuditListQuery& query);

  // Checks the whole chain (after waiting as Events does).
  Result<AuditVerifyResult> Verify();

  // Waits until every event recorded before the call is durable (or has failed).
  void Flush();

  std::int64_t failed_appends() const;

 private:
  struct Pending {
    storage::AuditEvent event;
    std::function<void(Result<std::int64_t>)> appended;
  };

  // Sends `batch` as one append; when it is durable, sends what was recorded meanwhile. One
  // batch is in flight at a time, so under load events are chained many per write job.
  void Append(std::vector<Pending> batch);

  storage::Store& store_;
  std::shared_ptr<const storage::AuditChain> chain_;
  crypto::SecretKey pseudonym_key_;
  const Clock& clock_;

  mutable std::mutex mutex_;
  std::condition_variable settled_;
  std::uint64_t submitted_ = 0;   // guarded by mutex_
  std::uint64_t finished_ = 0;    // guarded by mutex_
  std::int64_t failed_ = 0;       // guarded by mutex_
  std::vector<Pending> pending_;  // guarded by mutex_: recorded, not yet sent
  bool in_flight_ = false;        // guarded by mutex_: a batch is being appended
};

}  // namespace loci::service
