// SealedStore: envelope encryption over any Store engine, so engines keep only ciphertext and
// blinded index keys and need know nothing of cryptography.
//
// Each user has a random data key, kept in the engine only wrapped by the master key
// (the user's first store creates it); erasing the user erases the wrapped key, so whatever of
// theirs survives elsewhere (a WAL frame, a free page, a backup) can no longer be read. From the
// data key:
// - a seal key: content, name and metadata are sealed (XChaCha20-Poly1305) with the message's
//   public id and the field's name as associated data, so no sealed value can be moved to
//   another row or field; a session's summary likewise, with "session/<id>/summary";
// - an index key: index terms, metadata attributes and idempotency keys are replaced by keyed
//   hashes, so BM25 and every filter work unchanged on opaque keys and no word is readable.
// Preferences and the preference engine's state are sealed as sealed_preferences.h says.
// Session and user ids are the client's identifiers and stay in clear (docs/architecture.md).
//
// Unwrapped keys are cached in memory (bounded) by user; an erasure drops the user's entry.
// With them, the blinded forms of the user's recent index terms (term_blinder.h).
// A user's first store creates the user with a fresh key. A store racing with the user's
// erasure is sealed again under a fresh key rather than reviving the erased one.
// Thread-safety: as Store; the cache is guarded by a mutex.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "crypto/keyring.h"
#include "storage/store.h"
#include "storage/term_blinder.h"

namespace loci::storage {

class SealedStore final : public Store {
 public:
  SealedStore(std::shared_ptr<Store> inner, crypto::MasterKey master,
              std::size_t max_cached_users = 100'000);

  void Append(AppendRequest request, std::function<void(Result<AppendOutcome>)> done) override;
  // False unless the user's data key is held (and the engine's answer is true).
  bool AppendIsAtHand(const model::UserRef& user) override;
  Result<std::vector<model::Message>> RecentMessages(const model::UserRef& user,
                                                     const std::string& session_id,
                                                     int limit) override;
  Result<std::optional<std::string>> LatestSession(const model::UserRef& user) override;
  Result<std::vector<model::SessionInfo>> Sessions(const model::UserRef& user) override;
  Result<std::optional<model::SessionInfo>> Session(const model::UserRef& user,
                                                    const std::string& session_id) override;
  Result<std::vector<model::Message>> SessionMessages(
      const model::UserRef& user, const std::string& session_id, int limit,
      const std::optional<std::string>& before_id) override;
  Result<std::vector<model::Message>> SessionMessagesAfter(
      const model::UserRef& user, const std::string& session_id, int limit,
      const std::optional<std::string>& after_id) override;
  Result<CorpusStats> Stats(const model::UserRef& user) override;
  Result<std::vector<TermPostings>> Postings(const model::UserRef& user,
                                             const std::vector<std::string>& terms,
                                             const MessageFilter& filter) override;
  Result<std::vector<model::Message>> MessagesBySeq(const model::UserRef& user,
                                                    std::span<const std::int64_t> seqs) override;
  Result<std::vector<model::Message>> MessageHeadersBySeq(
      const model::UserRef& user, std::span<const std::int64_t> seqs) override;
  Result<std::vector<model::Message>> UserMessages(const model::UserRef& user,
                                                   std::int64_t after_seq, int limit) override;
  Result<int> PutEmbeddings(const model::UserRef& user,
                            std::vector<EmbeddingWrite> writes) override;
  Result<std::vector<model::Message>> MessagesWithoutEmbedding(const model::UserRef& user,
                                                               const std::string& model,
                                                               std::int64_t after_seq,
                                                               int limit) override;
  Result<std::vector<StoredEmbedding>> Embeddings(const model::UserRef& user,
                                                  const std::string& model,
                                                  const MessageFilter& filter,
                                                  std::int64_t after_seq) override;
  Result<std::int64_t> EmbeddingCount(const model::UserRef& user,
                                      const std::string& model) override;
  Result<std::int64_t> DeleteOtherEmbeddings(const model::UserRef& user,
                                             const std::string& model) override;
  Result<int> MarkStaleEmbeddingWork(const std::string& model, const WorkMark& mark) override;
  Result<UserErasure> EraseUser(const model::UserRef& user) override;
  Result<std::int64_t> EraseSession(const model::UserRef& user,
                                    const std::string& session_id) override;
  Result<MessageErasure> EraseMessage(const model::UserRef& user,
                                      const std::string& message_id) override;
  Result<std::optional<model::PrivacySettings>> Privacy(const model::UserRef& user) override;
  Result<model::PrivacySettings> UpdatePrivacy(const model::UserRef& user,
                                               const model::PrivacyChange& change,
                                               UnixMillis now) override;
  Result<PreferenceSnapshot> Preferences(const model::UserRef& user) override;
  Result<std::optional<std::int64_t>> ForgottenThrough(const model::UserRef& user,
                                                       const std::string& key) override;
  Result<std::int64_t> WritePreferences(const PreferenceWrite& write) override;
  Result<PurgeOutcome> PurgeExpired(const PurgeRequest& request) override;
  Result<std::optional<SessionSummary>> Summary(const model::UserRef& user,
                                                const std::string& session_id) override;
  Result<std::vector<SessionSummary>> Summaries(const model::UserRef& user) override;
  Status PutSummary(const model::UserRef& user, const SessionSummary& summary,
                    std::int64_t replaces_seq) override;
  Result<std::optional<std::string>> UserKey(const model::UserRef& user) override;
  Result<std::string> EnsureSystemKey(const std::string& name, std::string candidate) override;
  Status RewrapKeys(const KeyRewrap& rewrap) override;
  Status CreateApiKey(const NewApiKey& key) override;
  Result<std::vector<ApiKeyInfo>> ApiKeys(const std::optional<std::string>& tenant) override;
  Result<UnixMillis> RevokeApiKey(const std::string& id, UnixMillis now) override;
  Result<std::optional<ApiKeyInfo>> FindApiKeyByHash(std::string_view secret_hash) override;
  void AppendAudit(std::shared_ptr<const AuditChain> chain, std::vector<AuditEvent> events,
                   std::function<void(Result<std::int64_t>)> done) override;
  Result<std::vector<AuditEvent>> AuditEvents(const AuditQuery& query) override;
  Result<std::vector<AuditEvent>> AuditChainPage(std::int64_t after_seq, int limit) override;
  Result<std::optional<AuditHead>> AuditChainHead() override;
  Status MarkWork(const model::UserRef& user, const std::vector<WorkMark>& marks) override;
  Result<std::vector<WorkItem>> ClaimWork(UnixMillis now, UnixMillis lease_until,
                                          int limit) override;
  Status FinishWork(const WorkItem& item) override;
  Status RetryWork(const WorkItem& item, UnixMillis due_at) override;
  Status Ping() override;

 private:
  // Terms whose blinded forms are remembered: per user, and for all users together (some
  // 100 bytes each).
  static constexpr std::size_t kBlindMemoTermsPerUser = 4096;
  static constexpr std::int64_t kBlindMemoTerms = 1 << 18;

  struct UserKeys {
    UserKeys(std::string wrapped_key, const crypto::UserKeys& user_keys, TermBlinder::Room room)
        : wrapped(std::move(wrapped_key)),
          keys(user_keys),
          terms(user_keys.index, std::move(room), kBlindMemoTermsPerUser) {}
    std::string wrapped;
    crypto::UserKeys keys;
    TermBlinder terms;
  };
  using Keys = std::shared_ptr<const UserKeys>;

  // A user's keys as found (or, with `fresh`, made up for a user that has none yet).
  struct Resolved {
    Keys keys;           // null: the user has no key and none was asked for
    bool fresh = false;  // not stored yet: the append creating the user stores it
    std::uint64_t erasures = 0;
  };

  // The user's keys; with `make_fresh`, new ones when the user has none.
  Result<Resolved> Resolve(const model::UserRef& user, bool make_fresh);
  void Remember(const std::string& label, const Resolved& resolved);
  void Forget(const std::string& label);
  Status OpenAll(const model::UserRef& user, std::vector<model::Message>& messages);
  Status OpenSummaries(const model::UserRef& user, std::span<SessionSummary> summaries);
  // Seals `plain` under `resolved` and appends it; on Conflict (the user was erased or made by
  // a concurrent store meanwhile) resolves the key again and retries, a few times at most.
  void AppendSealed(const std::shared_ptr<const AppendRequest>& plain, const Resolved& resolved,
                    int attempt, std::function<void(Result<AppendOutcome>)> done);

  std::shared_ptr<Store> inner_;
  crypto::MasterKey master_;
  const std::size_t max_cached_users_;
  const TermBlinder::Room blind_room_ =
      std::make_shared<std::atomic<std::int64_t>>(kBlindMemoTerms);

  std::mutex mutex_;
  std::unordered_map<std::string, Keys> cache_;  // by crypto::UserKeyLabel; guarded by mutex_
  std::uint64_t erasures_ = 0;  // guarded by mutex_; a lookup that saw one may not cache
};

// Re-wraps every key the store holds from `from` to `to`, all or nothing; the data is not
// touched. Returns how many keys were re-wrapped; Corruption when one does not unwrap with
// `from`.
Result<int> RotateMasterKey(Store& store, const crypto::MasterKey& from,
                            const crypto::MasterKey& to);

// The server's own key `name` (created and kept wrapped on first use). Corruption when the
// stored key does not unwrap: the master key is not the one the database was made with.
Result<crypto::SecretKey> LoadSystemKey(Store& store, const crypto::MasterKey& master,
                                        const std::string& name);

}  // namespace loci::storage
