#include "storage/sealed_store.h"

#include <algorithm>
#include <utility>

#include "storage/sealed_preferences.h"
#include "util/ids.h"

namespace loci::storage {
namespace {

std::string AssociatedData(std::string_view message_id, std::string_view field) {
  std::string associated(message_id);
  associated += '/';
  associated += field;
  return associated;
}

// A vector is bound to its message and model: it cannot be moved to another message, nor
// passed off as another model's.
std::string EmbeddingData(std::string_view message_id, std::string_view model) {
  std::string field = "embedding/";
  field += model;
  return AssociatedData(message_id, field);
}

void SealMessage(const crypto::UserKeys& keys, const TermBlinder& terms, NewMessage& message) {
  // The fields are sealed together: one draw of nonces for the message.
  const std::string content_data = AssociatedData(message.id, "content");
  const std::string metadata_data = AssociatedData(message.id, "metadata");
  const std::string name_data = message.name ? AssociatedData(message.id, "name") : "";
  // An empty vector stays empty: the engine refuses it.
  const bool has_vector = message.embedding && !message.embedding->vector.empty();
  const std::string vector_data =
      has_vector ? EmbeddingData(message.id, message.embedding->model) : "";
  std::vector<crypto::SealInput> fields = {{message.content, content_data},
                                           {message.metadata_json, metadata_data}};
  if (message.name) fields.push_back({*message.name, name_data});
  if (has_vector) fields.push_back({message.embedding->vector, vector_data});
  std::vector<std::string> sealed = crypto::SealAll(keys.seal, fields);
  auto next = sealed.begin();
  message.content = std::move(*next++);
  message.metadata_json = std::move(*next++);
  if (message.name) message.name = std::move(*next++);
  if (has_vector) message.embedding->vector = std::move(*next++);
  for (TermFrequency& term : message.terms) term.term = terms.Blind(term.term);
  for (std::string& attribute : message.attributes) {
    attribute = BlindValue(keys.index, 'a', attribute);
  }
  if (message.idempotency_key) {
    message.idempotency_key = BlindValue(keys.index, 'k', *message.idempotency_key);
  }
}

Status OpenName(const crypto::SecretKey& seal, model::Message& message) {
  if (message.name) {
    ASSIGN_OR_RETURN(message.name,
                     crypto::Open(seal, *message.name, AssociatedData(message.id, "name")));
  }
  return Status::Ok();
}

Status OpenMessage(const crypto::SecretKey& seal, model::Message& message) {
  ASSIGN_OR_RETURN(message.content,
                   crypto::Open(seal, message.content, AssociatedData(message.id, "content")));
  ASSIGN_OR_RETURN(message.metadata_json, crypto::Open(seal, message.metadata_json,
                                                       AssociatedData(message.id, "metadata")));
  return OpenName(seal, message);
}

std::string SummaryAssociatedData(std::string_view session_id) {
  std::string associated = "session/";
  associated += session_id;
  associated += "/summary";
  return associated;
}

std::string SystemKeyLabel(std::string_view name) {
  std::string label = "system:";
  label += name;
  return label;
}

std::string KeyLabel(const KeyOwner& owner) {
  return owner.user ? crypto::UserKeyLabel(owner.user->tenant, owner.user->user_id)
                    : SystemKeyLabel(owner.system_name);
}

}  // namespace

SealedStore::SealedStore(std::shared_ptr<Store> inner, crypto::MasterKey master,
                         std::size_t max_cached_users)
    : inner_(std::move(inner)), master_(std::move(master)), max_cached_users_(max_cached_users) {}

Result<SealedStore::Resolved> SealedStore::Resolve(const model::UserRef& user, bool make_fresh) {
  std::string label = crypto::UserKeyLabel(user.tenant, user.user_id);
  Resolved resolved;
  {
    std::lock_guard lock(mutex_);
    if (auto found = cache_.find(label); found != cache_.end()) {
      resolved.keys = found->second;
      return resolved;
    }
    resolved.erasures = erasures_;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> wrapped, inner_->UserKey(user));
  crypto::SecretKey data_key;
  if (wrapped) {
    Result<crypto::SecretKey> unwrapped = master_.Unwrap(*wrapped, label);
    if (!unwrapped.ok()) {
      return Corruption("a user's data key does not unwrap with the master key: " +
                        unwrapped.status().message());
    }
    data_key = *unwrapped;
  } else {
    if (!make_fresh) return resolved;
    data_key = crypto::RandomKey();
    wrapped = master_.Wrap(data_key, label);
    resolved.fresh = true;
  }
  resolved.keys = std::make_shared<const UserKeys>(std::move(*wrapped),
                                                   crypto::DeriveUserKeys(data_key), blind_room_);
  if (!resolved.fresh) Remember(label, resolved);
  return resolved;
}

void SealedStore::Remember(const std::string& label, const Resolved& resolved) {
  std::lock_guard lock(mutex_);
  if (resolved.erasures != erasures_) return;  // the key may belong to an erased user
  if (cache_.size() >= max_cached_users_) cache_.erase(cache_.begin());
  cache_.emplace(label, resolved.keys);
}

void SealedStore::Forget(const std::string& label) {
  std::lock_guard lock(mutex_);
  ++erasures_;
  cache_.erase(label);
}

Status SealedStore::OpenAll(const model::UserRef& user, std::vector<model::Message>& messages) {
  if (messages.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(Resolved resolved, Resolve(user, /*make_fresh=*/false));
  if (!resolved.keys) return Corruption("messages of a user without a data key");
  for (model::Message& message : messages) {
    RETURN_IF_ERROR(OpenMessage(resolved.keys->keys.seal, message));
  }
  return Status::Ok();
}

bool SealedStore::AppendIsAtHand(const model::UserRef& user) {
  const std::string label = crypto::UserKeyLabel(user.tenant, user.user_id);
  {
    std::lock_guard lock(mutex_);
    if (!cache_.contains(label)) return false;  // the data key is to be read (or made)
  }
  return inner_->AppendIsAtHand(user);
}

void SealedStore::Append(AppendRequest request, std::function<void(Result<AppendOutcome>)> done) {
  if (request.messages.empty()) {
    inner_->Append(std::move(request), std::move(done));
    return;
  }
  Result<Resolved> resolved = Resolve(request.user, /*make_fresh=*/true);
  if (!resolved.ok()) {
    done(resolved.status());
    return;
  }
  // Ids are fixed before sealing (they are the associated data) and kept across retries.
  for (NewMessage& message : request.messages) {
    if (message.id.empty()) message.id = NewId("m_", request.now);
  }
  AppendSealed(std::make_shared<const AppendRequest>(std::move(request)), *resolved, 0,
               std::move(done));
}

void SealedStore::AppendSealed(const std::shared_ptr<const AppendRequest>& plain,
                               const Resolved& resolved, int attempt,
                               std::function<void(Result<AppendOutcome>)> done) {
  constexpr int kAttempts = 4;
  const crypto::UserKeys& keys = resolved.keys->keys;
  AppendRequest sealed = *plain;
  for (NewMessage& message : sealed.messages) SealMessage(keys, resolved.keys->terms, message);
  if (sealed.request_key) sealed.request_key = BlindValue(keys.index, 'r', *sealed.request_key);
  sealed.user_key = resolved.keys->wrapped;
  sealed.create_user_key = resolved.fresh;
  // Runs on the engine's thread: a retry does a read and CPU work, never a blocking write.
  inner_->Append(std::move(sealed), [this, plain, resolved, attempt, done = std::move(done)](
                                        Result<AppendOutcome> outcome) mutable {
    // Built only when needed: most appends neither make nor lose a key.
    auto label = [&plain] { return crypto::UserKeyLabel(plain->user.tenant, plain->user.user_id); };
    if (outcome.ok() && resolved.fresh) Remember(label(), resolved);
    if (outcome.status().code() != StatusCode::kConflict || attempt + 1 >= kAttempts) {
      done(std::move(outcome));
      return;
    }
    Forget(label());
    Result<Resolved> again = Resolve(plain->user, /*make_fresh=*/true);
    if (!again.ok()) {
      done(again.status());
      return;
    }
    AppendSealed(plain, *again, attempt + 1, std::move(done));
  });
}

Result<std::vector<model::Message>> SealedStore::RecentMessages(const model::UserRef& user,
                                                                const std::string& session_id,
                                                                int limit) {
  ASSIGN_OR_RETURN(std::vector<model::Message> messages,
                   inner_->RecentMessages(user, session_id, limit));
  RETURN_IF_ERROR(OpenAll(user, messages));
  return messages;
}

Result<std::optional<std::string>> SealedStore::LatestSession(const model::UserRef& user) {
  return inner_->LatestSession(user);
}

Result<std::vector<model::SessionInfo>> SealedStore::Sessions(const model::UserRef& user) {
  return inner_->Sessions(user);
}

Result<std::optional<model::SessionInfo>> SealedStore::Session(const model::UserRef& user,
                                                               const std::string& session_id) {
  return inner_->Session(user, session_id);
}

Result<std::vector<model::Message>> SealedStore::SessionMessages(
    const model::UserRef& user, const std::string& session_id, int limit,
    const std::optional<std::string>& before_id) {
  ASSIGN_OR_RETURN(std::vector<model::Message> messages,
                   inner_->SessionMessages(user, session_id, limit, before_id));
  RETURN_IF_ERROR(OpenAll(user, messages));
  return messages;
}

Result<std::vector<model::Message>> SealedStore::SessionMessagesAfter(
    const model::UserRef& user, const std::string& session_id, int limit,
    const std::optional<std::string>& after_id) {
  ASSIGN_OR_RETURN(std::vector<model::Message> messages,
                   inner_->SessionMessagesAfter(user, session_id, limit, after_id));
  RETURN_IF_ERROR(OpenAll(user, messages));
  return messages;
}

Result<CorpusStats> SealedStore::Stats(const model::UserRef& user) { return inner_->Stats(user); }

Result<std::vector<TermPostings>> SealedStore::Postings(const model::UserRef& user,
                                                        const std::vector<std::string>& terms,
                                                        const MessageFilter& filter) {
  ASSIGN_OR_RETURN(Resolved resolved, Resolve(user, /*make_fresh=*/false));
  if (!resolved.keys) {  // no such user: nothing of theirs is indexed
    std::vector<TermPostings> empty;
    empty.reserve(terms.size());
    for (const std::string& term : terms) empty.push_back({.term = term});
    return empty;
  }
  const crypto::SecretKey& index = resolved.keys->keys.index;
  std::vector<std::string> blinded;
  blinded.reserve(terms.size());
  for (const std::string& term : terms) blinded.push_back(resolved.keys->terms.Blind(term));
  MessageFilter blinded_filter = filter;
  for (std::string& attribute : blinded_filter.attributes) {
    attribute = BlindValue(index, 'a', attribute);
  }
  ASSIGN_OR_RETURN(std::vector<TermPostings> postings,
                   inner_->Postings(user, blinded, blinded_filter));
  if (postings.size() != terms.size()) return Internal("postings do not match the terms asked");
  for (std::size_t i = 0; i < terms.size(); ++i) postings[i].term = terms[i];
  return postings;
}

Result<std::vector<model::Message>> SealedStore::MessagesBySeq(const model::UserRef& user,
                                                               std::span<const std::int64_t> seqs) {
  ASSIGN_OR_RETURN(std::vector<model::Message> messages, inner_->MessagesBySeq(user, seqs));
  RETURN_IF_ERROR(OpenAll(user, messages));
  return messages;
}

Result<std::vector<model::Message>> SealedStore::MessageHeadersBySeq(
    const model::UserRef& user, std::span<const std::int64_t> seqs) {
  ASSIGN_OR_RETURN(std::vector<model::Message> messages, inner_->MessageHeadersBySeq(user, seqs));
  if (messages.empty()) return messages;
  ASSIGN_OR_RETURN(Resolved resolved, Resolve(user, /*make_fresh=*/false));
  if (!resolved.keys) return Corruption("messages of a user without a data key");
  for (model::Message& message : messages) {
    RETURN_IF_ERROR(OpenName(resolved.keys->keys.seal, message));
  }
  return messages;
}

Result<std::vector<model::Message>> SealedStore::UserMessages(const model::UserRef& user,
                                                              std::int64_t after_seq, int limit) {
  ASSIGN_OR_RETURN(std::vector<model::Message> messages,
                   inner_->UserMessages(user, after_seq, limit));
  RETURN_IF_ERROR(OpenAll(user, messages));
  return messages;
}

Result<int> SealedStore::PutEmbeddings(const model::UserRef& user,
                                       std::vector<EmbeddingWrite> writes) {
  ASSIGN_OR_RETURN(Resolved resolved, Resolve(user, /*make_fresh=*/false));
  if (!resolved.keys) return 0;  // no such user: no message to hold a vector
  // A user erased and stored anew meanwhile has a new key, but only new message ids: the
  // engine finds none of these messages and writes nothing sealed under the old key.
  const crypto::SecretKey& seal = resolved.keys->keys.seal;
  for (EmbeddingWrite& write : writes) {
    if (write.embedding.vector.empty()) continue;  // the engine reports it
    write.embedding.vector = crypto::Seal(seal, write.embedding.vector,
                                          EmbeddingData(write.message_id, write.embedding.model));
  }
  return inner_->PutEmbeddings(user, std::move(writes));
}

Result<std::vector<model::Message>> SealedStore::MessagesWithoutEmbedding(
    const model::UserRef& user, const std::string& model, std::int64_t after_seq, int limit) {
  ASSIGN_OR_RETURN(std::vector<model::Message> messages,
                   inner_->MessagesWithoutEmbedding(user, model, after_seq, limit));
  RETURN_IF_ERROR(OpenAll(user, messages));
  return messages;
}

Result<std::vector<StoredEmbedding>> SealedStore::Embeddings(const model::UserRef& user,
                                                             const std::string& model,
                                                             const MessageFilter& filter,
                                                             std::int64_t after_seq) {
  ASSIGN_OR_RETURN(Resolved resolved, Resolve(user, /*make_fresh=*/false));
  if (!resolved.keys) return std::vector<StoredEmbedding>{};
  MessageFilter blinded_filter = filter;
  for (std::string& attribute : blinded_filter.attributes) {
    attribute = BlindValue(resolved.keys->keys.index, 'a', attribute);
  }
  ASSIGN_OR_RETURN(std::vector<StoredEmbedding> embeddings,
                   inner_->Embeddings(user, model, blinded_filter, after_seq));
  const crypto::SecretKey& seal = resolved.keys->keys.seal;
  for (StoredEmbedding& embedding : embeddings) {
    ASSIGN_OR_RETURN(embedding.vector, crypto::Open(seal, embedding.vector,
                                                    EmbeddingData(embedding.message_id, model)));
  }
  return embeddings;
}

Result<std::int64_t> SealedStore::EmbeddingCount(const model::UserRef& user,
                                                 const std::string& model) {
  return inner_->EmbeddingCount(user, model);
}

// Deletions and work marks name users and models only: nothing to seal.
Result<std::int64_t> SealedStore::DeleteOtherEmbeddings(const model::UserRef& user,
                                                        const std::string& model) {
  return inner_->DeleteOtherEmbeddings(user, model);
}

Result<int> SealedStore::MarkStaleEmbeddingWork(const std::string& model, const WorkMark& mark) {
  return inner_->MarkStaleEmbeddingWork(model, mark);
}

Result<UserErasure> SealedStore::EraseUser(const model::UserRef& user) {
  Result<UserErasure> erased = inner_->EraseUser(user);
  Forget(crypto::UserKeyLabel(user.tenant, user.user_id));
  return erased;
}

Result<std::int64_t> SealedStore::EraseSession(const model::UserRef& user,
                                               const std::string& session_id) {
  return inner_->EraseSession(user, session_id);
}

Result<MessageErasure> SealedStore::EraseMessage(const model::UserRef& user,
                                                 const std::string& message_id) {
  return inner_->EraseMessage(user, message_id);
}

// Privacy settings are booleans and a number, no personal content: they pass through, as
// does the purge (it erases rows; nothing needs opening).
Result<std::optional<model::PrivacySettings>> SealedStore::Privacy(const model::UserRef& user) {
  return inner_->Privacy(user);
}

Result<model::PrivacySettings> SealedStore::UpdatePrivacy(const model::UserRef& user,
                                                          const model::PrivacyChange& change,
                                                          UnixMillis now) {
  return inner_->UpdatePrivacy(user, change, now);
}

Result<PreferenceSnapshot> SealedStore::Preferences(const model::UserRef& user) {
  ASSIGN_OR_RETURN(PreferenceSnapshot snapshot, inner_->Preferences(user));
  if (snapshot.preferences.empty() && snapshot.state.style.empty()) return snapshot;
  ASSIGN_OR_RETURN(Resolved resolved, Resolve(user, /*make_fresh=*/false));
  if (!resolved.keys) return Corruption("preferences of a user without a data key");
  const crypto::UserKeys& keys = resolved.keys->keys;
  std::string label = crypto::UserKeyLabel(user.tenant, user.user_id);
  for (model::Preference& preference : snapshot.preferences) {
    ASSIGN_OR_RETURN(preference, OpenPreference(keys, label, std::move(preference)));
  }
  std::sort(snapshot.preferences.begin(), snapshot.preferences.end(),
            [](const model::Preference& a, const model::Preference& b) { return a.key < b.key; });
  if (!snapshot.state.style.empty()) {
    ASSIGN_OR_RETURN(snapshot.state.style, OpenStyle(keys, label, snapshot.state.style));
  }
  return snapshot;
}

Result<std::optional<std::int64_t>> SealedStore::ForgottenThrough(const model::UserRef& user,
                                                                  const std::string& key) {
  ASSIGN_OR_RETURN(Resolved resolved, Resolve(user, /*make_fresh=*/false));
  if (!resolved.keys) return std::optional<std::int64_t>();  // no user, nothing forgotten
  return inner_->ForgottenThrough(user, BlindPreferenceKey(resolved.keys->keys, key));
}

Result<std::int64_t> SealedStore::WritePreferences(const PreferenceWrite& write) {
  constexpr int kAttempts = 4;
  // An empty key would hash to a non-empty one: the engine could not tell.
  bool empty_key = write.forget && write.forget->empty();
  for (const model::Preference& preference : write.put) empty_key |= preference.key.empty();
  for (const std::string& key : write.remove) empty_key |= key.empty();
  if (empty_key) return InvalidArgument("a preference key is empty", "key");
  std::string label = crypto::UserKeyLabel(write.user.tenant, write.user.user_id);
  for (int attempt = 0;; ++attempt) {
    ASSIGN_OR_RETURN(Resolved resolved, Resolve(write.user, /*make_fresh=*/true));
    const crypto::UserKeys& keys = resolved.keys->keys;
    PreferenceWrite sealed = write;
    for (model::Preference& preference : sealed.put) {
      preference = SealPreference(keys, label, std::move(preference));
    }
    for (std::string& key : sealed.remove) key = BlindPreferenceKey(keys, key);
    if (sealed.forget) sealed.forget = BlindPreferenceKey(keys, *sealed.forget);
    if (sealed.state) sealed.state->style = SealStyle(keys, label, sealed.state->style);
    sealed.user_key = resolved.keys->wrapped;
    sealed.create_user_key = resolved.fresh;
    Result<std::int64_t> removed = inner_->WritePreferences(sealed);
    if (removed.ok() && resolved.fresh) Remember(label, resolved);
    if (removed.status().code() != StatusCode::kConflict || attempt + 1 >= kAttempts) {
      return removed;
    }
    Forget(label);  // the user was erased or keyed by a concurrent write meanwhile
  }
}

Result<PurgeOutcome> SealedStore::PurgeExpired(const PurgeRequest& request) {
  return inner_->PurgeExpired(request);
}

Status SealedStore::OpenSummaries(const model::UserRef& user, std::span<SessionSummary> summaries) {
  if (summaries.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(Resolved resolved, Resolve(user, /*make_fresh=*/false));
  if (!resolved.keys) return Corruption("summaries of a user without a data key");
  for (SessionSummary& summary : summaries) {
    ASSIGN_OR_RETURN(summary.text, crypto::Open(resolved.keys->keys.seal, summary.text,
                                                SummaryAssociatedData(summary.session_id)));
  }
  return Status::Ok();
}

Result<std::optional<SessionSummary>> SealedStore::Summary(const model::UserRef& user,
                                                           const std::string& session_id) {
  ASSIGN_OR_RETURN(std::optional<SessionSummary> summary, inner_->Summary(user, session_id));
  if (summary) RETURN_IF_ERROR(OpenSummaries(user, std::span(&*summary, 1)));
  return summary;
}

Result<std::vector<SessionSummary>> SealedStore::Summaries(const model::UserRef& user) {
  ASSIGN_OR_RETURN(std::vector<SessionSummary> summaries, inner_->Summaries(user));
  RETURN_IF_ERROR(OpenSummaries(user, summaries));
  return summaries;
}

// A summary is made from messages already stored, so its user holds a key.
Status SealedStore::PutSummary(const model::UserRef& user, const SessionSummary& summary,
                               std::int64_t replaces_seq) {
  ASSIGN_OR_RETURN(Resolved resolved, Resolve(user, /*make_fresh=*/false));
  if (!resolved.keys) return NotFound("session not found");
  SessionSummary sealed = summary;
  sealed.text = crypto::Seal(resolved.keys->keys.seal, summary.text,
                             SummaryAssociatedData(summary.session_id));
  return inner_->PutSummary(user, sealed, replaces_seq);
}

Result<std::optional<std::string>> SealedStore::UserKey(const model::UserRef& user) {
  return inner_->UserKey(user);
}

Result<std::string> SealedStore::EnsureSystemKey(const std::string& name, std::string candidate) {
  return inner_->EnsureSystemKey(name, std::move(candidate));
}

Status SealedStore::RewrapKeys(const KeyRewrap& rewrap) { return inner_->RewrapKeys(rewrap); }

// API keys hold no personal data: they pass through as they are.
Status SealedStore::CreateApiKey(const NewApiKey& key) { return inner_->CreateApiKey(key); }

Result<std::vector<ApiKeyInfo>> SealedStore::ApiKeys(const std::optional<std::string>& tenant) {
  return inner_->ApiKeys(tenant);
}

Result<UnixMillis> SealedStore::RevokeApiKey(const std::string& id, UnixMillis now) {
  return inner_->RevokeApiKey(id, now);
}

Result<std::optional<ApiKeyInfo>> SealedStore::FindApiKeyByHash(std::string_view secret_hash) {
  return inner_->FindApiKeyByHash(secret_hash);
}

// Audit events hold no personal data (pseudonyms, counts, no content): they pass through.
void SealedStore::AppendAudit(std::shared_ptr<const AuditChain> chain,
                              std::vector<AuditEvent> events,
                              std::function<void(Result<std::int64_t>)> done) {
  inner_->AppendAudit(std::move(chain), std::move(events), std::move(done));
}

Result<std::vector<AuditEvent>> SealedStore::AuditEvents(const AuditQuery& query) {
  return inner_->AuditEvents(query);
}

Result<std::vector<AuditEvent>> SealedStore::AuditChainPage(std::int64_t after_seq, int limit) {
  return inner_->AuditChainPage(after_seq, limit);
}

Result<std::optional<AuditHead>> SealedStore::AuditChainHead() { return inner_->AuditChainHead(); }

// Work items name users and sessions only (clear identifiers): nothing to seal.
Status SealedStore::MarkWork(const model::UserRef& user, const std::vector<WorkMark>& marks) {
  return inner_->MarkWork(user, marks);
}

Result<std::vector<WorkItem>> SealedStore::ClaimWork(UnixMillis now, UnixMillis lease_until,
                                                     int limit) {
  return inner_->ClaimWork(now, lease_until, limit);
}

Status SealedStore::FinishWork(const WorkItem& item) { return inner_->FinishWork(item); }

Status SealedStore::RetryWork(const WorkItem& item, UnixMillis due_at) {
  return inner_->RetryWork(item, due_at);
}

Status SealedStore::Ping() { return inner_->Ping(); }

Result<int> RotateMasterKey(Store& store, const crypto::MasterKey& from,
                            const crypto::MasterKey& to) {
  int rewrapped = 0;
  auto rewrap = [&](const KeyOwner& owner, std::string_view wrapped) -> Result<std::string> {
    std::string label = KeyLabel(owner);
    Result<crypto::SecretKey> key = from.Unwrap(wrapped, label);
    if (!key.ok()) return Corruption("a stored key does not unwrap with the current master key");
    ++rewrapped;
    return to.Wrap(*key, label);
  };
  RETURN_IF_ERROR(store.RewrapKeys(rewrap));
  return rewrapped;
}

Result<crypto::SecretKey> LoadSystemKey(Store& store, const crypto::MasterKey& master,
                                        const std::string& name) {
  std::string label = SystemKeyLabel(name);
  ASSIGN_OR_RETURN(std::string wrapped,
                   store.EnsureSystemKey(name, master.Wrap(crypto::RandomKey(), label)));
  Result<crypto::SecretKey> key = master.Unwrap(wrapped, label);
  if (!key.ok()) {
    return Corruption(
        "the master key is not the one this database was created with (the system key '" + name +
        "' does not unwrap)");
  }
  return key;
}

}  // namespace loci::storage
