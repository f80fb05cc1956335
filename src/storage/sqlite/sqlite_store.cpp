#include "storage/sqlite/sqlite_store.h"

#include <utility>

#include "storage/sqlite/api_keys.h"
#include "storage/sqlite/append.h"
#include "storage/sqlite/audit.h"
#include "storage/sqlite/embeddings.h"
#include "storage/sqlite/erase.h"
#include "storage/sqlite/keys.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/preferences.h"
#include "storage/sqlite/privacy.h"
#include "storage/sqlite/queries.h"
#include "storage/sqlite/summaries.h"
#include "storage/sqlite/work.h"

namespace loci::storage::sqlite {
namespace {

class AppendJob final : public WriteJob {
 public:
  AppendJob(AppendRequest request, std::int64_t merge_threshold,
            std::function<void(Result<AppendOutcome>)> done)
      : request_(std::move(request)), merge_threshold_(merge_threshold), done_(std::move(done)) {}

  Status Run(Connection& db) override {
    Result<AppendOutcome> outcome = ApplyAppend(db, request_, merge_threshold_);
    if (!outcome.ok()) return outcome.status();
    outcome_ = std::move(outcome).value();
    return Status::Ok();
  }

  bool repeatable() const override { return true; }  // ApplyAppend reads and writes the db only

  void Finish(Status status) override {
    if (status.ok()) {
      done_(std::move(outcome_));
    } else {
      done_(std::move(status));
    }
  }

 private:
  AppendRequest request_;
  std::int64_t merge_threshold_;
  std::function<void(Result<AppendOutcome>)> done_;
  AppendOutcome outcome_;
};

// Audit events: chained inside the writer's transaction, finished after the commit.
class AuditJob final : public WriteJob {
 public:
  AuditJob(std::shared_ptr<const AuditChain> chain, std::vector<AuditEvent> events,
           std::function<void(Result<std::int64_t>)> done)
      : chain_(std::move(chain)), events_(std::move(events)), done_(std::move(done)) {}

  Status Run(Connection& db) override {
    Result<std::int64_t> seq = ApplyAppendAudit(db, *chain_, events_);
    if (!seq.ok()) return seq.status();
    seq_ = *seq;
    return Status::Ok();
  }

  // The audit log may lose its last events in a power loss (never leaving a hole in its chain):
  // reads, audited one event each, need not each wait for a disk sync.
  bool durable() const override { return false; }
  bool repeatable() const override { return true; }  // the chain's macs are computed, not kept

  void Finish(Status status) override {
    if (status.ok()) {
      done_(seq_);
    } else {
      done_(std::move(status));
    }
  }

 private:
  std::shared_ptr<const AuditChain> chain_;
  std::vector<AuditEvent> events_;
  std::function<void(Result<std::int64_t>)> done_;
  std::int64_t seq_ = 0;
};

// Opens the writer's connection: creates the file, switches it to WAL and migrates it.
Result<std::unique_ptr<Connection>> OpenWriterConnection(const SqliteOptions& options) {
  ConnectionOptions connection_options{.create = true,
                                       .read_only = false,
                                       .busy_timeout_ms = options.busy_timeout_ms,
                                       .cache_kib = options.cache_kib};
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> db,
                   Connection::Open(options.path, connection_options));
  ASSIGN_OR_RETURN(std::string mode, db->QueryText("PRAGMA journal_mode=WAL"));
  if (mode != "wal") return Unavailable("sqlite: cannot switch the database to WAL mode");
  // Keep the WAL from staying large after a burst of writes has been checkpointed.
  RETURN_IF_ERROR(db->Exec("PRAGMA journal_size_limit=67108864"));
  RETURN_IF_ERROR(Migrate(*db));
  // One process owns the database (app/ holds a lock on its folder): a lease left by a process
  // that died must not delay its work until the lease runs out.
  RETURN_IF_ERROR(ApplyReleaseAllWork(*db));
  return db;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteOptions& options) {
  if (options.path.empty() || options.path == ":memory:") {
    return InvalidArgument("sqlite: the store needs a database file path", "path");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer_db, OpenWriterConnection(options));
  ConnectionOptions reader_options{.create = false,
                                   .read_only = true,
                                   .busy_timeout_ms = options.busy_timeout_ms,
                                   .cache_kib = options.cache_kib};
  ASSIGN_OR_RETURN(std::unique_ptr<ReaderPool> readers,
                   ReaderPool::Open(options.path, options.readers, reader_options));
  ASSIGN_OR_RETURN(std::unique_ptr<Writer> writer,
                   Writer::Start(std::move(writer_db), options.max_batch, options.audit_gather));
  ConnectionOptions checkpointer_options{.busy_timeout_ms = options.busy_timeout_ms};
  ASSIGN_OR_RETURN(
      std::unique_ptr<Checkpointer> checkpointer,
      Checkpointer::Open(options.path, checkpointer_options, options.checkpoint_frames, *writer));
  return std::make_unique<SqliteStore>(PrivateTag{}, options, std::move(writer), std::move(readers),
                                       std::move(checkpointer));
}

SqliteStore::SqliteStore(PrivateTag /*unused*/, const SqliteOptions& options,
                         std::unique_ptr<Writer> writer, std::unique_ptr<ReaderPool> readers,
                         std::unique_ptr<Checkpointer> checkpointer)
    : writer_(std::move(writer)),
      readers_(std::move(readers)),
      checkpointer_(std::move(checkpointer)),
      merge_threshold_(options.merge_threshold < 1 ? 1 : options.merge_threshold) {}

SqliteStore::~SqliteStore() { Close(); }

void SqliteStore::Close() {
  // Readers and checkpointer first, so that the writer's connection is the last to close and
  // folds the WAL back into the database file.
  readers_->Close();
  checkpointer_->Close();
  writer_->Close();
}

int SqliteStore::SchemaVersion() { return LatestSchemaVersion(); }

template <typename T>
Result<T> SqliteStore::Read(const std::function<Result<T>(Connection&)>& read) {
  ASSIGN_OR_RETURN(ReaderPool::Lease db, readers_->Acquire());
  RETURN_IF_ERROR(db->Run("BEGIN"));
  Result<T> result = read(*db);
  // A read-only transaction has nothing to keep: ending it only releases the snapshot.
  Status end = db->Run(result.ok() ? "COMMIT" : "ROLLBACK");
  if (!result.ok()) return result;
  if (!end.ok()) return end;
  return result;
}

Status SqliteStore::WriteAndWait(const std::function<Status(Connection&)>& write) {
  return writer_
      ->RunAndWait<bool>([&](Connection& db) -> Result<bool> {
        RETURN_IF_ERROR(write(db));
        return true;
      })
      .status();
}

void SqliteStore::Append(AppendRequest request, std::function<void(Result<AppendOutcome>)> done) {
  if (Status valid = ValidateAppend(request); !valid.ok()) {
    done(std::move(valid));
    return;
  }
  writer_->Submit(
      std::make_unique<AppendJob>(std::move(request), merge_threshold_, std::move(done)));
}

Result<std::vector<model::Message>> SqliteStore::RecentMessages(const model::UserRef& user,
                                                                const std::string& session_id,
                                                                int limit) {
  return Read<std::vector<model::Message>>(
      [&](Connection& db) { return QueryRecentMessages(db, user, session_id, limit); });
}

Result<std::optional<std::string>> SqliteStore::LatestSession(const model::UserRef& user) {
  return Read<std::optional<std::string>>(
      [&](Connection& db) { return QueryLatestSession(db, user); });
}

Result<std::vector<model::SessionInfo>> SqliteStore::Sessions(const model::UserRef& user) {
  return Read<std::vector<model::SessionInfo>>(
      [&](Connection& db) { return QuerySessions(db, user); });
}

Result<std::optional<model::SessionInfo>> SqliteStore::Session(const model::UserRef& user,
                                                               const std::string& session_id) {
  return Read<std::optional<model::SessionInfo>>(
      [&](Connection& db) { return QuerySession(db, user, session_id); });
}

Result<std::vector<model::Message>> SqliteStore::SessionMessages(
    const model::UserRef& user, const std::string& session_id, int limit,
    const std::optional<std::string>& before_id) {
  return Read<std::vector<model::Message>>(
      [&](Connection& db) { return QuerySessionMessages(db, user, session_id, limit, before_id); });
}

Result<std::vector<model::Message>> SqliteStore::SessionMessagesAfter(
    const model::UserRef& user, const std::string& session_id, int limit,
    const std::optional<std::string>& after_id) {
  return Read<std::vector<model::Message>>([&](Connection& db) {
    return QuerySessionMessagesAfter(db, user, session_id, limit, after_id);
  });
}

Result<std::vector<model::Message>> SqliteStore::UserMessages(const model::UserRef& user,
                                                              std::int64_t after_seq, int limit) {
  return Read<std::vector<model::Message>>(
      [&](Connection& db) { return QueryUserMessages(db, user, after_seq, limit); });
}

Result<CorpusStats> SqliteStore::Stats(const model::UserRef& user) {
  return Read<CorpusStats>([&](Connection& db) { return QueryStats(db, user); });
}

Result<std::vector<TermPostings>> SqliteStore::Postings(const model::UserRef& user,
                                                        const std::vector<std::string>& terms,
                                                        const MessageFilter& filter) {
  return Read<std::vector<TermPostings>>(
      [&](Connection& db) { return QueryPostings(db, user, terms, filter); });
}

Result<std::vector<model::Message>> SqliteStore::MessagesBySeq(const model::UserRef& user,
                                                               std::span<const std::int64_t> seqs) {
  return Read<std::vector<model::Message>>(
      [&](Connection& db) { return QueryMessagesBySeq(db, user, seqs, MessageParts::kWhole); });
}

Result<std::vector<model::Message>> SqliteStore::MessageHeadersBySeq(
    const model::UserRef& user, std::span<const std::int64_t> seqs) {
  return Read<std::vector<model::Message>>(
      [&](Connection& db) { return QueryMessagesBySeq(db, user, seqs, MessageParts::kHeaders); });
}

Result<int> SqliteStore::PutEmbeddings(const model::UserRef& user,
                                       std::vector<EmbeddingWrite> writes) {
  for (std::size_t i = 0; i < writes.size(); ++i) {
    RETURN_IF_ERROR(
        ValidateEmbedding(writes[i].embedding, "writes[" + std::to_string(i) + "].embedding"));
  }
  if (writes.empty()) return 0;
  return writer_->RunAndWait<int>(
      [&](Connection& db) { return ApplyPutEmbeddings(db, user, writes); });
}

Result<std::vector<model::Message>> SqliteStore::MessagesWithoutEmbedding(
    const model::UserRef& user, const std::string& model, std::int64_t after_seq, int limit) {
  return Read<std::vector<model::Message>>([&](Connection& db) {
    return QueryMessagesWithoutEmbedding(db, user, model, after_seq, limit);
  });
}

Result<std::vector<StoredEmbedding>> SqliteStore::Embeddings(const model::UserRef& user,
                                                             const std::string& model,
                                                             const MessageFilter& filter,
                                                             std::int64_t after_seq) {
  return Read<std::vector<StoredEmbedding>>(
      [&](Connection& db) { return QueryEmbeddings(db, user, model, filter, after_seq); });
}

Result<std::int64_t> SqliteStore::EmbeddingCount(const model::UserRef& user,
                                                 const std::string& model) {
  return Read<std::int64_t>([&](Connection& db) { return QueryEmbeddingCount(db, user, model); });
}

Result<std::int64_t> SqliteStore::DeleteOtherEmbeddings(const model::UserRef& user,
                                                        const std::string& model) {
  return writer_->RunAndWait<std::int64_t>(
      [&](Connection& db) { return ApplyDeleteOtherEmbeddings(db, user, model); });
}

Result<int> SqliteStore::MarkStaleEmbeddingWork(const std::string& model, const WorkMark& mark) {
  return writer_->RunAndWait<int>(
      [&](Connection& db) { return ApplyMarkStaleEmbeddingWork(db, model, mark); });
}

Result<UserErasure> SqliteStore::EraseUser(const model::UserRef& user) {
  return writer_->RunAndWait<UserErasure>([&](Connection& db) { return ApplyEraseUser(db, user); });
}

Result<std::int64_t> SqliteStore::EraseSession(const model::UserRef& user,
                                               const std::string& session_id) {
  return writer_->RunAndWait<std::int64_t>(
      [&](Connection& db) { return ApplyEraseSession(db, user, session_id); });
}

Result<std::optional<model::PrivacySettings>> SqliteStore::Privacy(const model::UserRef& user) {
  return Read<std::optional<model::PrivacySettings>>(
      [&](Connection& db) { return QueryPrivacy(db, user); });
}

Result<model::PrivacySettings> SqliteStore::UpdatePrivacy(const model::UserRef& user,
                                                          const model::PrivacyChange& change,
                                                          UnixMillis now) {
  if (user.tenant.empty()) return InvalidArgument("tenant is empty", "tenant");
  if (user.user_id.empty()) return InvalidArgument("user_id is empty", "user_id");
  if (change.retention_days && *change.retention_days &&
      (**change.retention_days < model::kMinRetentionDays ||
       **change.retention_days > model::kMaxRetentionDays)) {
    return InvalidArgument("retention_days out of range", "retention_days");
  }
  return writer_->RunAndWait<model::PrivacySettings>(
      [&](Connection& db) { return ApplyUpdatePrivacy(db, user, change, now); });
}

Result<PreferenceSnapshot> SqliteStore::Preferences(const model::UserRef& user) {
  return Read<PreferenceSnapshot>([&](Connection& db) { return QueryPreferences(db, user); });
}

Result<std::optional<std::int64_t>> SqliteStore::ForgottenThrough(const model::UserRef& user,
                                                                  const std::string& key) {
  return Read<std::optional<std::int64_t>>(
      [&](Connection& db) { return QueryForgottenThrough(db, user, key); });
}

Result<std::int64_t> SqliteStore::WritePreferences(const PreferenceWrite& write) {
  RETURN_IF_ERROR(ValidatePreferenceWrite(write));
  return writer_->RunAndWait<std::int64_t>(
      [&](Connection& db) { return ApplyWritePreferences(db, write); });
}

Result<PurgeOutcome> SqliteStore::PurgeExpired(const PurgeRequest& request) {
  if (request.max_messages < 1) return InvalidArgument("max_messages must be positive");
  if (request.retention_days && (*request.retention_days < model::kMinRetentionDays ||
                                 *request.retention_days > model::kMaxRetentionDays)) {
    return InvalidArgument("retention_days out of range", "retention_days");
  }
  return writer_->RunAndWait<PurgeOutcome>(
      [&](Connection& db) { return ApplyPurgeExpired(db, request); });
}

Result<std::optional<SessionSummary>> SqliteStore::Summary(const model::UserRef& user,
                                                           const std::string& session_id) {
  return Read<std::optional<SessionSummary>>(
      [&](Connection& db) { return QuerySummary(db, user, session_id); });
}

Result<std::vector<SessionSummary>> SqliteStore::Summaries(const model::UserRef& user) {
  return Read<std::vector<SessionSummary>>(
      [&](Connection& db) { return QuerySummaries(db, user); });
}

Status SqliteStore::PutSummary(const model::UserRef& user, const SessionSummary& summary,
                               std::int64_t replaces_seq) {
  if (summary.message_count < 1) return InvalidArgument("a summary covers no message");
  return writer_
      ->RunAndWait<bool>([&](Connection& db) -> Result<bool> {
        RETURN_IF_ERROR(ApplyPutSummary(db, user, summary, replaces_seq));
        return true;
      })
      .status();
}

Result<std::optional<std::string>> SqliteStore::UserKey(const model::UserRef& user) {
  return Read<std::optional<std::string>>([&](Connection& db) { return FindUserKey(db, user); });
}

Result<std::string> SqliteStore::EnsureSystemKey(const std::string& name, std::string candidate) {
  return writer_->RunAndWait<std::string>(
      [&](Connection& db) { return ApplyEnsureSystemKey(db, name, candidate); });
}

Status SqliteStore::RewrapKeys(const KeyRewrap& rewrap) {
  return WriteAndWait([&](Connection& db) { return ApplyRewrapKeys(db, rewrap); });
}

Status SqliteStore::MarkWork(const model::UserRef& user, const std::vector<WorkMark>& marks) {
  return WriteAndWait([&](Connection& db) { return ApplyMarkUserWork(db, user, marks); });
}

Result<std::vector<WorkItem>> SqliteStore::ClaimWork(UnixMillis now, UnixMillis lease_until,
                                                     int limit) {
  return writer_->RunAndWait<std::vector<WorkItem>>(
      [&](Connection& db) { return ApplyClaimWork(db, now, lease_until, limit); });
}

Status SqliteStore::FinishWork(const WorkItem& item) {
  return WriteAndWait([&](Connection& db) { return ApplyFinishWork(db, item); });
}

Status SqliteStore::RetryWork(const WorkItem& item, UnixMillis due_at) {
  return WriteAndWait([&](Connection& db) { return ApplyRetryWork(db, item, due_at); });
}

Result<MessageErasure> SqliteStore::EraseMessage(const model::UserRef& user,
                                                 const std::string& message_id) {
  return writer_->RunAndWait<MessageErasure>(
      [&](Connection& db) { return ApplyEraseMessage(db, user, message_id); });
}

Status SqliteStore::CreateApiKey(const NewApiKey& key) {
  RETURN_IF_ERROR(ValidateNewApiKey(key));
  return WriteAndWait([&](Connection& db) { return InsertApiKey(db, key); });
}

Result<std::vector<ApiKeyInfo>> SqliteStore::ApiKeys(const std::optional<std::string>& tenant) {
  return Read<std::vector<ApiKeyInfo>>([&](Connection& db) { return QueryApiKeys(db, tenant); });
}

Result<UnixMillis> SqliteStore::RevokeApiKey(const std::string& id, UnixMillis now) {
  return writer_->RunAndWait<UnixMillis>(
      [&](Connection& db) { return ApplyRevokeApiKey(db, id, now); });
}

Result<std::optional<ApiKeyInfo>> SqliteStore::FindApiKeyByHash(std::string_view secret_hash) {
  return Read<std::optional<ApiKeyInfo>>(
      [&](Connection& db) { return QueryApiKeyByHash(db, secret_hash); });
}

void SqliteStore::AppendAudit(std::shared_ptr<const AuditChain> chain,
                              std::vector<AuditEvent> events,
                              std::function<void(Result<std::int64_t>)> done) {
  writer_->Submit(std::make_unique<AuditJob>(std::move(chain), std::move(events), std::move(done)));
}

Result<std::vector<AuditEvent>> SqliteStore::AuditEvents(const AuditQuery& query) {
  return Read<std::vector<AuditEvent>>([&](Connection& db) { return QueryAuditEvents(db, query); });
}

Result<std::vector<AuditEvent>> SqliteStore::AuditChainPage(std::int64_t after_seq, int limit) {
  return Read<std::vector<AuditEvent>>(
      [&](Connection& db) { return QueryAuditChainPage(db, after_seq, limit); });
}

Result<std::optional<AuditHead>> SqliteStore::AuditChainHead() {
  return Read<std::optional<AuditHead>>([](Connection& db) { return QueryAuditHead(db); });
}

Status SqliteStore::Ping() {
  RETURN_IF_ERROR(writer_->failure());  // writes would all fail: not ready
  return Read<std::int64_t>([](Connection& db) { return db.QueryInt("SELECT 1"); }).status();
}

Status SqliteStore::Checkpoint() {
  std::unique_lock<std::mutex> paused = checkpointer_->Pause();
  return writer_
      ->RunAndWait<bool>(
          [](Connection& db) -> Result<bool> {
            // One row: busy (1 when readers kept the checkpoint from finishing), WAL frames,
            // frames checkpointed.
            ASSIGN_OR_RETURN(Statement checkpoint, db.Prepare("PRAGMA wal_checkpoint(TRUNCATE)"));
            ASSIGN_OR_RETURN(bool row, checkpoint.Step());
            if (row && checkpoint.Int(0) != 0) {
              return Unavailable("sqlite: checkpoint blocked by readers; try again");
            }
            return true;
          },
          /*exclusive=*/true)
      .status();
}

Result<std::string> SqliteStore::IntegrityCheck() {
  return Read<std::string>([](Connection& db) -> Result<std::string> {
    ASSIGN_OR_RETURN(Statement check, db.Prepare("PRAGMA integrity_check"));
    std::string report;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, check.Step());
      if (!row) break;
      if (!report.empty()) report += "\n";
      report += check.Text(0);
    }
    return report;
  });
}

}  // namespace loci::storage::sqlite
