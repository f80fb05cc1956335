// Store: everything Loci keeps, behind one interface with one engine per database
// (storage/sqlite today, storage/postgres later). Services call only this.
//
// Contract shared by all engines (tests/unit/storage/store_contract_test.cpp checks it):
// - Every method is scoped to one UserRef; no method returns another tenant's or user's data.
// - Writes are durable when they report success (a crash of the process loses nothing).
// - Readers see every write that has reported success.
// Thread-safety: all methods may be called concurrently from any thread. `Append`'s callback
// runs on an engine thread and must not block.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/message.h"
#include "model/preference.h"
#include "model/privacy.h"
#include "storage/audit_event.h"
#include "util/status.h"
#include "util/time.h"

namespace loci::storage {

class AuditChain;  // storage/audit_chain.h

// An analyzed term and how often it occurs in one message. Terms arrive already normalized
// and stemmed by text/ (and, later, blinded); the store treats them as opaque strings.
struct TermFrequency {
  std::string term;
  int count = 0;
};

// A message's vector under one embedding model (embed::Embedder::model_id). The vector's
// bytes are opaque to the store (service/vector_codec.h encodes them); a message holds at
// most one vector per model, and its vectors go with it.
struct MessageEmbedding {
  std::string model;
  std::string vector;
};

struct NewMessage {
  std::string id;  // its public id; the engine assigns one when empty
  model::Role role = model::Role::kUser;
  std::optional<std::string> name;
  std::string content;
  UnixMillis created_at = 0;
  std::string metadata_json = "{}";
  std::optional<std::string> idempotency_key;  // per message, unique per user
  int token_count = 0;
  std::vector<TermFrequency> terms;  // distinct terms
  int term_count = 0;                // document length for BM25 (sum of counts)
  // model::MetadataAttribute strings of the metadata's top-level entries,
  // matched exactly by MessageFilter::attributes.
  std::vector<std::string> attributes;
  std::optional<MessageEmbedding> embedding;  // written with the message, when known already
};

// Deferred work (the durable work queue): something to do later for one user, named by a kind
// (the handler's name: "fold", "learn", "embed") and a key saying what within the user (a
// session id, or "" for the whole user). Marking work that is already pending merges into it:
// its handler re-reads what is left to do, so a burst of writes costs one pending item.
struct WorkMark {
  std::string kind;
  std::string key;
  UnixMillis due_at = 0;  // not run before this time
};

// Pending work handed out by Store::ClaimWork.
struct WorkItem {
  model::UserRef user;
  std::string kind;
  std::string key;
  // Bumped by every mark: FinishWork removes the item only when nothing marked it again after
  // the claim, so work marked while its handler ran is not lost.
  std::int64_t generation = 0;
  int attempts = 0;  // failed runs so far
};

struct AppendRequest {
  model::UserRef user;
  std::string session_id;
  std::vector<NewMessage> messages;
  std::optional<std::string> request_key;  // the Idempotency-Key header, unique per user
  UnixMillis now = 0;                      // time of the request, for ids and bookkeeping
  // The user's wrapped data key (sealed_store.h), or empty for a store that seals nothing.
  // When set, the user must hold exactly this key, else the append fails with Conflict (the
  // user was erased, or created with another key, meanwhile). With create_user_key, a user
  // that does not exist yet is created holding it, and one that holds no key is given it.
  std::string user_key;
  bool create_user_key = false;
  // Work marked in the append's transaction when it stores at least one message.
  std::vector<WorkMark> work;
};

struct AppendOutcome {
  std::vector<std::string> message_ids;  // one per requested message, in request order
  int stored = 0;                        // messages newly written
  int duplicates = 0;                    // messages that an idempotency key matched
};

// Restricts which messages a query sees. Empty fields do not restrict.
struct MessageFilter {
  std::optional<std::string> session_id;
  std::vector<model::Role> roles;
  std::optional<UnixMillis> since;      // created_at >= since
  std::optional<UnixMillis> until;      // created_at < until
  std::vector<std::string> attributes;  // every one must be among the message's attributes
};

struct Posting {
  std::int64_t seq = 0;  // Message::seq
  int term_frequency = 0;
  int document_length = 0;  // the message's term_count
};

struct TermPostings {
  std::string term;
  std::vector<Posting> postings;  // the user's messages holding the term, filter applied
};

// A vector for a message stored before (Store::PutEmbeddings).
struct EmbeddingWrite {
  std::string message_id;  // Message::id
  MessageEmbedding embedding;
};

// One stored vector with what a filter needs of its message (Store::Embeddings).
struct StoredEmbedding {
  std::int64_t seq = 0;    // Message::seq
  std::string message_id;  // Message::id
  std::string session_id;
  model::Role role = model::Role::kUser;
  UnixMillis created_at = 0;
  std::string vector;
};

// Per-user corpus statistics for BM25 (over all of the user's messages, unfiltered).
struct CorpusStats {
  std::int64_t documents = 0;
  std::int64_t total_length = 0;  // sum of term_count
};

// Whose key a wrapped key is: a user's, or one of the server's own (by name).
struct KeyOwner {
  std::optional<model::UserRef> user;
  std::string system_name;
};

// Re-wraps one wrapped key (master-key rotation): the new wrapping, or an error that aborts
// the whole rotation.
using KeyRewrap = std::function<Result<std::string>(const KeyOwner&, std::string_view wrapped)>;

struct UserErasure {
  std::int64_t messages = 0;
  std::int64_t sessions = 0;
  std::int64_t preferences = 0;
  bool existed = false;
  bool key_destroyed = false;  // the user's wrapped data key went with the user
};

// One batch of a retention purge (Store::PurgeExpired). A message expires when its created_at
// is before now - days: days is the stricter (smaller) of the operator's retention_days and the
// user's own (PrivacySettings::retention_days), whichever are set.
struct PurgeRequest {
  UnixMillis now = 0;
  std::optional<int> retention_days;  // the operator's limit for every user; nullopt: none
  int max_messages = 500;             // the most messages erased by one batch
};

struct PurgedUser {
  model::UserRef user;
  std::int64_t messages = 0;  // messages erased
  std::int64_t sessions = 0;  // sessions erased because their last message went
};

struct PurgeOutcome {
  std::vector<PurgedUser> users;  // only users that lost something, in no particular order
  std::int64_t messages = 0;      // sum over users
  bool more = false;              // expired messages may remain: run another batch
};

// The preference engine's own state for a user: how far it has learned and what it has
// gathered about how the user writes (opaque to the store; personal: sealed at rest).
struct PreferenceState {
  std::int64_t learned_seq = 0;  // the user's messages up to this seq have been learned from
  std::string style;             // the engine's serialized implicit-style state; may be empty
  // The user's messages up to this seq have been read by the chat model's extraction (not
  // personal: a position, as learned_seq).
  std::int64_t model_seq = 0;
  bool operator==(const PreferenceState&) const = default;
};

struct PreferenceSnapshot {
  std::vector<model::Preference> preferences;  // by key
  PreferenceState state;                       // zero and empty when none was written
};

// One write of a user's preferences, applied in one transaction.
struct PreferenceWrite {
  model::UserRef user;
  // Written by key (replacing a row with the same key). Evidence names message ids of the user;
  // ids that name no message of the user are dropped.
  std::vector<model::Preference> put;
  std::vector<std::string> remove;  // keys whose rows go (absent keys are ignored)
  // A key whose row goes and that is remembered as forgotten through the user's newest
  // message: ForgottenThrough then returns that message's seq.
  std::optional<std::string> forget;
  std::optional<PreferenceState> state;
  UnixMillis now = 0;
  // As AppendRequest: the user's wrapped data key, or empty for a store that seals nothing;
  // with create_user_key, a user that does not exist yet (or holds no key) is given it.
  std::string user_key;
  bool create_user_key = false;
};

// API keys (`loci keys`). The secret itself is never stored, only its SHA-256.
enum class ApiKeyScope { kApp, kAdmin };

struct NewApiKey {
  std::string id;  // public, unique: "k_" + ULID
  std::string tenant;
  ApiKeyScope scope = ApiKeyScope::kApp;
  std::string name;         // a label for people; may be empty
  std::string secret_hash;  // SHA-256 of the secret, 32 raw bytes, unique
  UnixMillis created_at = 0;
  std::optional<int> rate_limit;  // requests per second; nullopt: the server's default
};

// What the store tells about a key: never its secret nor its hash.
struct ApiKeyInfo {
  std::string id;
  std::string tenant;
  ApiKeyScope scope = ApiKeyScope::kApp;
  std::string name;
  UnixMillis created_at = 0;
  std::optional<UnixMillis> revoked_at;  // nullopt while the key works
  std::optional<int> rate_limit;
};

// What Store::EraseMessage erased besides the message.
struct MessageErasure {
  std::string session_id;        // the session the message was in
  bool session_removed = false;  // it held no other message and went with it (summary too)
  // The session remains and its summary, which covered the message, went: whoever keeps
  // summaries should fold the session again.
  bool summary_dropped = false;
};

// A session's rolling summary (service/summarizer.h) and the turns it covers: the session's
// messages from its first up to covers_until, in the session's order (created_at, then seq).
struct SessionSummary {
  std::string session_id;
  std::string text;
  std::string covers_until;           // public id of the last message folded in
  std::int64_t covers_until_seq = 0;  // that message's Message::seq
  std::int64_t message_count = 0;     // the messages covered
  UnixMillis updated_at = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Writes all messages of `request` in one transaction, or none. Messages whose
  // idempotency_key the user already used are not written again; their first ids are
  // returned and counted as duplicates. A request_key seen before returns the first
  // outcome's ids (stored 0, duplicates = their number) and writes nothing. Keys stay used
  // after their messages are erased (a retry must not bring erased content back); they go
  // only with the user (EraseUser). The user is created by its first write, a session by its
  // first stored message; a request with no messages writes nothing.
  // `done` runs once, after the write is durable, with the outcome or: InvalidArgument
  // (a key repeated inside the request), Unavailable (the store is closing), Internal.
  virtual void Append(AppendRequest request, std::function<void(Result<AppendOutcome>)> done) = 0;
  // True when Append for `user` reads nothing from the store before handing its write over
  // (a layer over the engine may need per-user state first, such as SealedStore's data keys),
  // for a caller that must not block. A hint: what is held may be dropped before Append runs,
  // which then reads it again. Never blocks. The engine reads nothing: true.
  virtual bool AppendIsAtHand(const model::UserRef& /*user*/) { return true; }

  // Blocking form of Append, for callers that have a thread to spare.
  Result<AppendOutcome> AppendAndWait(AppendRequest request);

  // The newest `limit` messages of a session, returned oldest first. Order within a session
  // is by created_at, ties by arrival (seq), so imported history reads in the order it was
  // said. Empty when the user or session does not exist, or limit <= 0.
  virtual Result<std::vector<model::Message>> RecentMessages(const model::UserRef& user,
                                                             const std::string& session_id,
                                                             int limit) = 0;

  // The session with the most recent message (greatest created_at; on a tie, the one written
  // last), or nullopt when the user has none.
  virtual Result<std::optional<std::string>> LatestSession(const model::UserRef& user) = 0;

  // All of the user's sessions, most recently active first (the order of LatestSession).
  // first_at/last_at are the min/max created_at of the session's messages. A session exists
  // only while it holds messages.
  virtual Result<std::vector<model::SessionInfo>> Sessions(const model::UserRef& user) = 0;

  // One session of the user (as Sessions lists it), or nullopt when it does not exist.
  virtual Result<std::optional<model::SessionInfo>> Session(const model::UserRef& user,
                                                            const std::string& session_id) = 0;

  // Up to `limit` messages of a session that come before the message `before_id` in the
  // session's order (or the newest when absent), oldest first. NotFound when the session does
  // not exist or before_id names no message of it.
  virtual Result<std::vector<model::Message>> SessionMessages(
      const model::UserRef& user, const std::string& session_id, int limit,
      const std::optional<std::string>& before_id) = 0;

  // Up to `limit` messages of a session that come after the message `after_id` in the
  // session's order (from its first message when absent), oldest first: the forward form of
  // SessionMessages. NotFound when the session does not exist or after_id names no message of
  // it.
  virtual Result<std::vector<model::Message>> SessionMessagesAfter(
      const model::UserRef& user, const std::string& session_id, int limit,
      const std::optional<std::string>& after_id) = 0;

  // Up to `limit` of the user's messages whose seq is greater than `after_seq`, in seq order
  // (the order they were stored in, across all sessions): pass the last seq of a page as
  // `after_seq` for the next. Pages through everything the user holds in bounded memory, and
  // stays stable while messages are stored or erased meanwhile (new ones come last). Empty when
  // the user does not exist, has no more messages, or limit <= 0.
  virtual Result<std::vector<model::Message>> UserMessages(const model::UserRef& user,
                                                           std::int64_t after_seq, int limit) = 0;

  virtual Result<CorpusStats> Stats(const model::UserRef& user) = 0;

  // For each term, the user's messages that hold it and pass `filter`, in seq order. Terms
  // with no postings are returned with an empty list, in the order given. A filter naming an
  // unknown session matches nothing.
  virtual Result<std::vector<TermPostings>> Postings(const model::UserRef& user,
                                                     const std::vector<std::string>& terms,
                                                     const MessageFilter& filter) = 0;

  // The user's messages with the given seqs, in the order given; seqs that name no message
  // of the user are skipped.
  virtual Result<std::vector<model::Message>> MessagesBySeq(const model::UserRef& user,
                                                            std::span<const std::int64_t> seqs) = 0;

  // As MessagesBySeq, without what ranking a message needs not: content and metadata_json are
  // left empty, which spares reading and opening them.
  virtual Result<std::vector<model::Message>> MessageHeadersBySeq(
      const model::UserRef& user, std::span<const std::int64_t> seqs) = 0;

  // Stores each write's vector for its message, replacing the message's vector of the same
  // model; returns how many were written. Writes naming no message of the user (erased
  // meanwhile, or never stored) are skipped. Durable when it returns. InvalidArgument for an
  // empty model or vector; Unavailable (the store is closing), Internal.
  virtual Result<int> PutEmbeddings(const model::UserRef& user,
                                    std::vector<EmbeddingWrite> writes) = 0;

  // Up to `limit` of the user's messages with seq > after_seq that hold no vector of `model`,
  // in seq order: what a background embedder still has to do (pass the last seq of a page as
  // after_seq for the next). Empty when the user does not exist or limit <= 0.
  virtual Result<std::vector<model::Message>> MessagesWithoutEmbedding(const model::UserRef& user,
                                                                       const std::string& model,
                                                                       std::int64_t after_seq,
                                                                       int limit) = 0;

  // Every vector of `model` the user holds with seq > after_seq whose message passes `filter`,
  // in seq order (after_seq 0: all). A filter naming an unknown session matches nothing.
  virtual Result<std::vector<StoredEmbedding>> Embeddings(const model::UserRef& user,
                                                          const std::string& model,
                                                          const MessageFilter& filter,
                                                          std::int64_t after_seq) = 0;

  // How many vectors of `model` the user holds (0 for an unknown user). Cheap: lets a reader
  // that keeps the vectors up to some seq tell whether any were removed or written for older
  // messages since.
  virtual Result<std::int64_t> EmbeddingCount(const model::UserRef& user,
                                              const std::string& model) = 0;

  // Deletes the user's vectors of every model but `model` (vectors of a model no longer in
  // use, which no search reads); returns how many went. 0 for an unknown user. Unavailable
  // (the store is closing), Internal.
  virtual Result<std::int64_t> DeleteOtherEmbeddings(const model::UserRef& user,
                                                     const std::string& model) = 0;

  // Marks `mark` (MarkWork) for every user whose vectors are not exactly one of `model` per
  // message: some message holds no vector of `model`, or some vector is of another model.
  // After a change of embedding model, these users' messages are to be embedded again.
  // Returns how many users were marked. One transaction. Unavailable, Internal.
  virtual Result<int> MarkStaleEmbeddingWork(const std::string& model, const WorkMark& mark) = 0;

  // Erases everything held about the user (preferences and the preference engine's state
  // included). Idempotent: erasing an unknown user reports zero counts and existed = false.
  virtual Result<UserErasure> EraseUser(const model::UserRef& user) = 0;

  // Erases one session and its messages; returns how many messages went. NotFound when the
  // session does not exist.
  virtual Result<std::int64_t> EraseSession(const model::UserRef& user,
                                            const std::string& session_id) = 0;

  // Erases one message (and its index entries and vectors), updating the session's counters and the
  // user's corpus statistics; a session left without messages is removed. NotFound when the
  // user has no such message. The message leaves the evidence of every preference; a
  // preference left without evidence goes unless its source is manual. (EraseSession and
  // PurgeExpired do the same for each message they erase.) Returns the message's session and
  // what became of it and of its summary.
  virtual Result<MessageErasure> EraseMessage(const model::UserRef& user,
                                              const std::string& message_id) = 0;

  // The user's privacy settings; nullopt when the user never set any (or does not exist).
  // Reading creates nothing.
  virtual Result<std::optional<model::PrivacySettings>> Privacy(const model::UserRef& user) = 0;

  // Applies `change` to the user's settings (the defaults when none were set) in one write and
  // returns the result. A user that does not exist is created without a data key (the first
  // store gives it one: AppendRequest::create_user_key). The settings go with EraseUser.
  // InvalidArgument for a retention_days outside model::k{Min,Max}RetentionDays.
  virtual Result<model::PrivacySettings> UpdatePrivacy(const model::UserRef& user,
                                                       const model::PrivacyChange& change,
                                                       UnixMillis now) = 0;

  // The user's preferences (by key, each with its evidence in the order written) and the
  // preference engine's state. Empty when the user has none (or does not exist).
  virtual Result<PreferenceSnapshot> Preferences(const model::UserRef& user) = 0;

  // The seq through which `key` was forgotten (PreferenceWrite::forget): messages up to it must
  // not teach the key again. nullopt when the key was never forgotten.
  virtual Result<std::optional<std::int64_t>> ForgottenThrough(const model::UserRef& user,
                                                               const std::string& key) = 0;

  // Applies `write` in one transaction, creating the user as needed, and returns how many
  // preference rows `remove` and `forget` deleted. InvalidArgument for an empty user id or key,
  // or a confidence outside [0, 1]; Conflict as Append when user_key does not match.
  virtual Result<std::int64_t> WritePreferences(const PreferenceWrite& write) = 0;

  // Erases one bounded batch of expired messages across all users (see PurgeRequest), as
  // EraseMessage does each: index entries, statistics and session counters follow, emptied
  // sessions are removed. Call again while `more`. Reads across tenants: it serves the
  // server's own retention, never a request.
  virtual Result<PurgeOutcome> PurgeExpired(const PurgeRequest& request) = 0;

  // The session's summary; nullopt when it has none (or the user or session does not exist).
  virtual Result<std::optional<SessionSummary>> Summary(const model::UserRef& user,
                                                        const std::string& session_id) = 0;

  // Every summary of the user, by session id.
  virtual Result<std::vector<SessionSummary>> Summaries(const model::UserRef& user) = 0;

  // Keeps `summary` (covers_until names the message; covers_until_seq and updated_at are the
  // caller's) as its session's summary, replacing the one whose covers_until_seq is
  // `replaces_seq` (0: the session has none), durably. The check and the write are one
  // transaction, so a summary is never kept over turns erased while it was being made:
  // Conflict when the session's summary is not the one replaced, when covers_until names no
  // message of the session, or when the session's messages up to covers_until are not exactly
  // message_count (one was erased, or an older one arrived, meanwhile); NotFound when the
  // session does not exist.
  // A summary goes with its session and user, and is dropped whenever a message it covers is
  // erased (EraseMessage, PurgeExpired): nothing derived from erased turns remains.
  virtual Status PutSummary(const model::UserRef& user, const SessionSummary& summary,
                            std::int64_t replaces_seq) = 0;

  // The user's wrapped data key; nullopt when the user does not exist (or has none).
  virtual Result<std::optional<std::string>> UserKey(const model::UserRef& user) = 0;

  // The server's own wrapped key called `name`, kept as `candidate` when there is none yet;
  // durable when it returns. System keys survive every erasure.
  virtual Result<std::string> EnsureSystemKey(const std::string& name, std::string candidate) = 0;

  // Replaces every wrapped key (users' and the server's) by `rewrap`'s result, all in one
  // transaction: either every key is re-wrapped or none is.
  virtual Status RewrapKeys(const KeyRewrap& rewrap) = 0;

  // Keeps a new API key, durably. Conflict when its id or secret_hash is already taken;
  // InvalidArgument when id, tenant or secret_hash is empty or rate_limit is negative.
  virtual Status CreateApiKey(const NewApiKey& key) = 0;

  // Every key (revoked ones included), oldest first; only those of `tenant` when given.
  // These are the only methods that read across tenants: they serve the operator's CLI.
  virtual Result<std::vector<ApiKeyInfo>> ApiKeys(const std::optional<std::string>& tenant) = 0;

  // Marks the key revoked at `now` and returns its revocation time; a key revoked before
  // keeps (and returns) its first time. NotFound when no key has this id.
  virtual Result<UnixMillis> RevokeApiKey(const std::string& id, UnixMillis now) = 0;

  // The key whose secret hashes to `secret_hash`, revoked or not; nullopt when none does.
  virtual Result<std::optional<ApiKeyInfo>> FindApiKeyByHash(std::string_view secret_hash) = 0;

  // Appends `events` (their seq and mac are ignored), in order, to the audit log: the store
  // gives each the next seq and its mac under `chain`, and moves the head once, in the
  // writer's transaction, so events are totally ordered and the chain has no fork. They join
  // the group commit of whatever is being written at the time: no fsync of their own. `done`
  // runs once, after they are durable, with the first one's seq (the others follow it) or:
  // Unavailable (the store is closing), Internal; then none was appended. Audit events are
  // never erased, not even with their user.
  virtual void AppendAudit(std::shared_ptr<const AuditChain> chain, std::vector<AuditEvent> events,
                           std::function<void(Result<std::int64_t>)> done) = 0;

  // Up to query.limit of query.tenant's events after query.after_seq that pass the filter,
  // in seq order. Empty when limit <= 0.
  virtual Result<std::vector<AuditEvent>> AuditEvents(const AuditQuery& query) = 0;

  // Up to `limit` events of every tenant with seq > after_seq, in seq order, macs included:
  // the chain, page by page, for VerifyAuditChain.
  virtual Result<std::vector<AuditEvent>> AuditChainPage(std::int64_t after_seq, int limit) = 0;

  // The chain's head; nullopt before the first event.
  virtual Result<std::optional<AuditHead>> AuditChainHead() = 0;

  // Marks work for the user, durably (see WorkMark); an item already pending keeps the earlier
  // due time. Marks nothing, and succeeds, when the user does not exist.
  virtual Status MarkWork(const model::UserRef& user, const std::vector<WorkMark>& marks) = 0;

  // Leases up to `limit` items due at `now` and not leased, earliest due first, until
  // `lease_until`: no other claim returns them before then (a claimer that dies loses its
  // lease). Reads across tenants: it serves the server's own background work.
  virtual Result<std::vector<WorkItem>> ClaimWork(UnixMillis now, UnixMillis lease_until,
                                                  int limit) = 0;

  // The claimed item is done: removed, unless it was marked again after the claim, in which
  // case it is released to run again when those marks are due (not at once: under a steady
  // stream of marks an item runs once per its marks' delay, not back to back). Succeeds when the
  // item is gone already (its user was erased meanwhile).
  virtual Status FinishWork(const WorkItem& item) = 0;

  // The claimed item failed: released, its attempts counted, not run again before `due_at`.
  // Succeeds when the item is gone already.
  virtual Status RetryWork(const WorkItem& item, UnixMillis due_at) = 0;

  // OK when the store can serve reads and writes.
  virtual Status Ping() = 0;
};

}  // namespace loci::storage
