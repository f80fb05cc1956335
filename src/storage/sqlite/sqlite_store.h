// SqliteStore: the embedded Store engine, one SQLite database file in WAL mode.
//
// Writes go through one writer thread with group commit (writer.h): concurrent Append and
// Erase calls share one transaction and one sync of the log, and none reports success before
// it is durable (the log synced to disk, so even a power loss keeps it). Reads use a pool of
// read-only connections (reader_pool.h), each with its own prepared-statement cache, and see every
// write that has reported success. The WAL is copied back into the database file by a thread
// of its own (checkpointer.h), not by the writer's commits. Secure delete and foreign keys are
// on. The full-text index is our own (index_writes.h): a new message carries its index entries
// in its own row, and a user's entries are merged in batches into a new segment of posting
// lists, so a store costs about one index page instead of one per term.
//
// Thread-safety: every method may be called concurrently from any thread, except that Close
// (and the destructor) must not be called from an Append callback. Append's callback runs on
// the writer's finishing thread (commit_finisher.h; or at once on the caller's when the request
// is invalid or the store is closed) and must neither block nor throw.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "storage/sqlite/checkpointer.h"
#include "storage/sqlite/reader_pool.h"
#include "storage/sqlite/writer.h"
#include "storage/store.h"

namespace loci::storage::sqlite {

struct SqliteOptions {
  std::string path;            // the database file, created when missing. Not ":memory:".
  int readers = 4;             // read connections: the most reads at once (say, worker count)
  int busy_timeout_ms = 5000;  // how long to wait for another process's lock
  int max_batch = 1024;        // the most write jobs committed in one transaction
  // How long audit events wait for company before they commit alone (Writer's lazy_wait):
  // under a read-heavy load, one commit then carries hundreds of events instead of a few.
  std::chrono::milliseconds audit_gather{5};
  int cache_kib = 16 * 1024;  // page cache per connection
  // A user's recent messages carry their own index entries (terms, attributes); once those
  // reach this many they are merged into a segment of posting lists (index_writes.h). Higher
  // means cheaper stores and slower searches (each decodes the user's unmerged messages).
  int merge_threshold = 4096;
  // The WAL size (in frames, one per page written) at which the checkpointer copies the WAL
  // back into the database file on its own thread (checkpointer.h); SQLite's own default is 1000.
  int checkpoint_frames = 1000;
};

class SqliteStore final : public Store {
  struct PrivateTag {};

 public:
  // Opens (creating when missing) the database and brings its schema up to date.
  // Unavailable when the file cannot be opened or is locked past the busy timeout;
  // Corruption when it is not an SQLite database or is damaged; Conflict when it was written
  // by a newer Loci (schema version too high) or belongs to another application.
  static Result<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options);

  // Use Open. (Public only so that make_unique can reach it.)
  SqliteStore(PrivateTag, const SqliteOptions& options, std::unique_ptr<Writer> writer,
              std::unique_ptr<ReaderPool> readers, std::unique_ptr<Checkpointer> checkpointer);
  ~SqliteStore() override;  // Close()
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  void Append(AppendRequest request, std::function<void(Result<AppendOutcome>)> done) override;
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
  Result<std::vector<model::Message>> UserMessages(const model::UserRef& user,
                                                   std::int64_t after_seq, int limit) override;
  Result<CorpusStats> Stats(const model::UserRef& user) override;
  Result<std::vector<TermPostings>> Postings(const model::UserRef& user,
                                             const std::vector<std::string>& terms,
                                             const MessageFilter& filter) override;
  Result<std::vector<model::Message>> MessagesBySeq(const model::UserRef& user,
                                                    std::span<const std::int64_t> seqs) override;
  Result<std::vector<model::Message>> MessageHeadersBySeq(
      const model::UserRef& user, std::span<const std::int64_t> seqs) override;
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

  // Finishes the queued writes, then closes every connection (waiting for reads in flight).
  // Afterwards every method reports Unavailable. Idempotent.
  void Close();

  // Copies the WAL into the database file and truncates the WAL (wal_checkpoint(TRUNCATE)),
  // through the writer. Unavailable when readers kept it from completing or the store is
  // closed.
  Status Checkpoint();

  // "ok", or SQLite's list of problems (PRAGMA integrity_check). Unavailable when closed.
  Result<std::string> IntegrityCheck();

  // Transactions committed and write jobs completed so far; jobs / transactions is the
  // average group-commit batch.
  WriteCounters write_counters() const { return writer_->counters(); }

  // Checkpoints run in the background so far, and how many failed.
  CheckpointCounters checkpoint_counters() const { return checkpointer_->counters(); }

  // The schema version this build writes.
  static int SchemaVersion();

 private:
  // Runs `read` on a leased reader inside one read transaction (one snapshot).
  template <typename T>
  Result<T> Read(const std::function<Result<T>(Connection&)>& read);
  // Runs `write` on the writer and waits until it is durable.
  Status WriteAndWait(const std::function<Status(Connection&)>& write);

  std::unique_ptr<Writer> writer_;
  std::unique_ptr<ReaderPool> readers_;
  std::unique_ptr<Checkpointer> checkpointer_;  // signalled by writer_'s connection
  std::int64_t merge_threshold_;
};

}  // namespace loci::storage::sqlite
