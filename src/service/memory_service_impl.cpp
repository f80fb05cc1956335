#include "service/memory_service_impl.h"

#include <algorithm>

#include "service/user_export.h"
#include "service/validation.h"
#include "text/token_counter.h"

namespace loci::service {
namespace {

constexpr char kDefaultSession[] = "default";
constexpr char kFoldWork[] = "fold";    // key: the session id
constexpr char kLearnWork[] = "learn";  // key: "" (the user's turns not learned from yet)
constexpr char kEmbedWork[] = "embed";  // key: "" (the user's messages without a vector)
// key of "embed" work marked by SweepEmbeddings: delete the user's vectors of other models too
constexpr char kSweepKey[] = "sweep";
// Messages one run of "embed" work embeds (in provider batches); more runs follow while some
// are left, so one user's backlog never holds a runner thread for long.
constexpr int kEmbedRunMessages = 512;
constexpr int kEmbedBatch = 64;
// Turns the preference model reads in one run of "learn" work: a few requests, well within
// the work's lease however slow the model; more runs follow while some are left.
constexpr int kModelRunTurns = 200;
// key: "" (all of the user's vectors, computed again with the user's grown word counts)
constexpr char kReweighWork[] = "reweigh";
// Memory for users' word counts (user_word_counts.h): ~64 bytes a distinct word.
constexpr std::size_t kWordCountsBytes = 64 << 20;

model::UserRef UserOf(const Caller& caller, const std::string& user_id) {
  return {caller.tenant, user_id};
}

// Each distinct term once, with its count, in term order: a stable order keeps index writes
// deterministic (and B-tree inserts local).
std::vector<storage::TermFrequency> CountTerms(std::vector<std::string> terms) {
  std::sort(terms.begin(), terms.end());
  std::vector<storage::TermFrequency> frequencies;
  for (std::size_t i = 0; i < terms.size();) {
    std::size_t same = i + 1;
    while (same < terms.size() && terms[same] == terms[i]) ++same;
    frequencies.push_back({std::move(terms[i]), static_cast<int>(same - i)});
    i = same;
  }
  return frequencies;
}

// Marks `item`'s work again while its handler runs: the runner then releases it to run once
// more at once (WorkItem::generation), for work done a bounded part per run.
Status RunAgain(storage::Store& store, const storage::WorkItem& item) {
  return store.MarkWork(item.user, {{.kind = item.kind, .key = item.key, .due_at = 0}});
}

}  // namespace

MemoryServiceImpl::MemoryServiceImpl(storage::Store& store, const text::Analyzer& analyzer,
                                     const Clock& clock, Limits limits, EmbeddingSetup embedding,
                                     const Summarizer* summarizer,
                                     const LlmPreferenceExtractor* preference_model)
    : store_(store),
      analyzer_(analyzer),
      clock_(clock),
      limits_(limits),
      embed_on_store_(embedding.embed_on_store && embedding.embedder != nullptr),
      embedder_missing_(embedding.embedder == nullptr ? std::move(embedding.missing_reason)
                                                      : std::string()),
      context_cache_(limits.context_cache_bytes),
      vector_cache_(limits.vector_cache_bytes),
      word_counts_(embedding.sif == nullptr ? std::nullopt
                                            : std::make_optional<UserWordCounts>(
                                                  store, *embedding.sif, kWordCountsBytes)),
      semantic_(embedding.embedder == nullptr ? std::nullopt
                                              : std::make_optional<SemanticRanker>(
                                                    store, *embedding.embedder, vector_cache_,
                                                    [this](const model::UserRef& user) {
                                                      return context_cache_.Generation(user);
                                                    },
                                                    word_counts_ ? &*word_counts_ : nullptr)),
      search_(store, analyzer, clock, semantic(), limits.search, embedder_missing_),
      backlog_(semantic_ ? std::make_optional<EmbedBacklog>(
                               store, *semantic_, kEmbedBatch,
                               [this](const model::UserRef& user) { VectorsChanged(user); })
                         : std::nullopt),
      folder_(store, summarizer != nullptr ? *summarizer : builtin_summarizer_, clock,
              {.window = limits.default_context_messages},
              [this](const model::UserRef& user) { context_cache_.Invalidate(user); }),
      context_(store, search_, folder_, limits),
      privacy_(store, clock, limits.privacy, context_cache_),
      preferences_(
          store, clock, [this](const model::UserRef& user) { context_cache_.Invalidate(user); },
          preference_model) {}

bool MemoryServiceImpl::EmbedOnStore(const model::UserRef& user,
                                     std::vector<storage::NewMessage>& messages) const {
  if (messages.empty()) return true;
  if (!embed_on_store_) return false;
  std::vector<std::string> texts;
  texts.reserve(messages.size());
  for (const storage::NewMessage& message : messages) texts.push_back(message.content);
  Result<std::vector<storage::MessageEmbedding>> embeddings =
      semantic_->EmbedForStore(user, texts, /*new_messages=*/true);
  if (!embeddings.ok()) return false;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    messages[i].embedding = std::move((*embeddings)[i]);
  }
  return true;
}

storage::NewMessage MemoryServiceImpl::Prepare(IncomingMessage message, UnixMillis now) const {
  storage::NewMessage prepared;
  prepared.role = message.role;
  prepared.name = std::move(message.name);
  prepared.created_at = message.created_at.value_or(now);
  prepared.metadata_json = std::move(message.metadata_json);
  prepared.attributes = std::move(message.metadata_attributes);
  prepared.idempotency_key = std::move(message.idempotency_key);
  prepared.token_count = text::CountTokens(message.content);
  std::vector<std::string> terms = analyzer_.Terms(message.content);
  prepared.term_count = static_cast<int>(terms.size());
  prepared.terms = CountTerms(std::move(terms));
  prepared.content = std::move(message.content);
  return prepared;
}

void MemoryServiceImpl::Store(const Caller& caller, StoreCommand command,
                              std::function<void(Result<StoreResult>)> done) {
  if (Status valid = ValidateStoreCommand(command, limits_); !valid.ok()) {
    done(valid);
    return;
  }
  Result<StorePolicy> policy = privacy_.PolicyFor(UserOf(caller, command.user_id));
  if (!policy.ok()) {
    done(policy.status());
    return;
  }
  if (!policy->store_messages) {  // keep nothing, and say so
    StoreResult discarded;
    discarded.session_id = command.session_id.value_or(kDefaultSession);
    discarded.discarded = static_cast<int>(command.messages.size());
    discarded.reason = kDiscardStoreMessagesDisabled;
    done(std::move(discarded));
    return;
  }
  if (policy->redact_pii) {  // before analysis: only placeholders are stored and indexed
    for (IncomingMessage& message : command.messages) PrivacyController::Redact(message);
  }
  const UnixMillis now = clock_.NowMillis();
  storage::AppendRequest request;
  request.user = UserOf(caller, command.user_id);
  request.session_id = command.session_id.value_or(kDefaultSession);
  request.request_key = std::move(command.request_key);
  request.now = now;
  request.messages.reserve(command.messages.size());
  for (IncomingMessage& message : command.messages) {
    request.messages.push_back(Prepare(std::move(message), now));
  }
  // In the append's transaction: the session may have outgrown the window. The fold reads
  // what is left to do, so a session that still fits costs the handler a read; stores within
  // the delay join one fold.
  request.work.push_back(
      {.kind = kFoldWork, .key = request.session_id, .due_at = now + limits_.fold_delay_ms});
  // Preferences are learned off the request path too (reads that need them catch up first).
  request.work.push_back({.kind = kLearnWork, .key = "", .due_at = now + limits_.fold_delay_ms});
  if (!EmbedOnStore(request.user, request.messages) && backlog_) {
    request.work.push_back({.kind = kEmbedWork, .key = "", .due_at = now});
  }
  if (semantic_ && semantic_->ReweighDue(request.user)) {
    request.work.push_back({.kind = kReweighWork, .key = "", .due_at = now});
  }
  // Messages an idempotency key may find stored already: the word counts took them in.
  std::vector<std::string> replayable = ReplayableTexts(request);
  std::string session_id = request.session_id;
  model::UserRef user = request.user;
  // Work due later (the fold, learning) is claimed by the runner's next poll; waking it for
  // every store would only have it find nothing due.
  const bool marks_due_work =
      std::any_of(request.work.begin(), request.work.end(),
                  [now](const storage::WorkMark& mark) { return mark.due_at <= now; });
  store_.Append(
      std::move(request), [this, user = std::move(user), session_id = std::move(session_id),
                           marks_due_work, replayable = std::move(replayable),
                           done = std::move(done)](Result<storage::AppendOutcome> outcome) {
        if (word_counts_) UncountUnstored(user, outcome, replayable);
        if (!outcome.ok()) {
          done(outcome.status());
          return;
        }
        context_cache_.Invalidate(user);  // durable and visible now: packs built before are stale
        if (marks_due_work && outcome->stored > 0 && work_ != nullptr) work_->Notify();
        done(StoreResult{session_id, std::move(outcome->message_ids), outcome->stored,
                         outcome->duplicates});
      });
}

bool MemoryServiceImpl::StoreIsAtHand(const Caller& caller, const std::string& user_id) {
  const model::UserRef user = UserOf(caller, user_id);
  // Embedding on store reads the user's word counts, or asks a remote embedder.
  if (embed_on_store_ && (!word_counts_ || !word_counts_->Holds(user))) return false;
  return privacy_.PolicyIsAtHand(user) && store_.AppendIsAtHand(user);
}

std::vector<std::string> MemoryServiceImpl::ReplayableTexts(
    const storage::AppendRequest& request) const {
  std::vector<std::string> texts;
  if (!word_counts_) return texts;
  for (const storage::NewMessage& message : request.messages) {
    if (request.request_key || message.idempotency_key) texts.push_back(message.content);
  }
  return texts;
}

void MemoryServiceImpl::UncountUnstored(const model::UserRef& user,
                                        const Result<storage::AppendOutcome>& outcome,
                                        const std::vector<std::string>& replayable) {
  if (outcome.ok() && outcome->duplicates == 0) return;
  if (outcome.ok() && static_cast<std::size_t>(outcome->duplicates) == replayable.size()) {
    word_counts_->Uncount(user, replayable);  // a retry: every keyed message was stored before
  } else {
    word_counts_->Forget(user);  // which ones were not stored is not known: read them anew
  }
}

void MemoryServiceImpl::AttachWork(WorkRunner& runner) {
  // A fold that loses a race (Conflict) or finds storage down is retried by the runner.
  runner.Register(kFoldWork, [this](const storage::WorkItem& item) {
    return folder_.Fold(item.user, item.key).status();
  });
  runner.Register(kLearnWork, [this](const storage::WorkItem& item) -> Status {
    ASSIGN_OR_RETURN(bool more, preferences_.Learn(item.user, limits_.learn_run_turns));
    // The model, when configured, reads what the rules have read: here, off every request path.
    ASSIGN_OR_RETURN(bool model_more, preferences_.LearnWithModel(item.user, kModelRunTurns));
    return more || model_more ? RunAgain(store_, item) : Status::Ok();
  });
  if (backlog_) {
    runner.Register(kEmbedWork, [this](const storage::WorkItem& item) -> Status {
      if (item.key == kSweepKey) {  // no search reads them: they can go before the new ones come
        RETURN_IF_ERROR(store_.DeleteOtherEmbeddings(item.user, semantic_->model_id()).status());
      }
      ASSIGN_OR_RETURN(BacklogOutcome outcome, backlog_->Run(item.user, kEmbedRunMessages));
      return outcome.more ? RunAgain(store_, item) : Status::Ok();
    });
    runner.Register(kReweighWork, [this](const storage::WorkItem& item) -> Status {
      ASSIGN_OR_RETURN(int written, backlog_->Reweigh(item.user));
      // Same model, same count: the opened matrix cannot see the vectors were replaced.
      if (written > 0) vector_cache_.Drop(item.user);
      return Status::Ok();
    });
  }
  work_ = &runner;
}

Result<int> MemoryServiceImpl::SweepEmbeddings() {
  if (!backlog_) return 0;
  ASSIGN_OR_RETURN(int marked,
                   store_.MarkStaleEmbeddingWork(
                       semantic_->model_id(),
                       {.kind = kEmbedWork, .key = kSweepKey, .due_at = clock_.NowMillis()}));
  if (marked > 0 && work_ != nullptr) work_->Notify();
  return marked;
}

Result<std::shared_ptr<const ContextPack>> MemoryServiceImpl::Context(const Caller& caller,
                                                                      const ContextQuery& query) {
  RETURN_IF_ERROR(ValidateContextQuery(query, limits_));
  const model::UserRef user = UserOf(caller, query.user_id);
  if (auto cached = FindContext(user, query)) return cached;
  // A pack is built again only after the user's data changed: learn from new turns first, so
  // the pack holds what they taught (a write there moves the generation on).
  RETURN_IF_ERROR(preferences_.Learn(user).status());
  const std::uint64_t built_at = context_cache_.Generation(user);
  ASSIGN_OR_RETURN(std::vector<Preference> preferences, preferences_.Current(user));
  ASSIGN_OR_RETURN(ContextPack built, context_.Build(user, query, std::move(preferences)));
  auto pack = std::make_shared<const ContextPack>(std::move(built));
  if (Cacheable(query)) context_cache_.Insert(ContextCache::KeyOf(user, query), built_at, pack);
  return pack;
}

std::shared_ptr<const ContextPack> MemoryServiceImpl::CachedContext(const Caller& caller,
                                                                    const ContextQuery& query) {
  if (!ValidateContextQuery(query, limits_).ok()) return nullptr;
  return FindContext(UserOf(caller, query.user_id), query);
}

bool MemoryServiceImpl::Cacheable(const ContextQuery& query) const {
  return !query.query && limits_.context_cache_bytes > 0;
}

std::shared_ptr<const ContextPack> MemoryServiceImpl::FindContext(const model::UserRef& user,
                                                                  const ContextQuery& query) {
  if (!Cacheable(query)) return nullptr;
  return context_cache_.Find(ContextCache::KeyOf(user, query), context_cache_.Generation(user));
}

Result<SearchResult> MemoryServiceImpl::Search(const Caller& caller, const SearchQuery& query) {
  RETURN_IF_ERROR(ValidateSearchQuery(query, limits_));
  return search_.Search(UserOf(caller, query.user_id), query);
}

Result<UserErasureResult> MemoryServiceImpl::EraseUser(const Caller& caller,
                                                       const std::string& user_id) {
  RETURN_IF_ERROR(ValidateIdentifier(user_id, "user_id", limits_.max_id_bytes));
  const model::UserRef user = UserOf(caller, user_id);
  auto erased_or = store_.EraseUser(user);
  context_cache_.Invalidate(user);
  privacy_.UserErased(user);
  ForgetVectors(user);
  ASSIGN_OR_RETURN(storage::UserErasure erased, std::move(erased_or));
  UserErasureResult result;
  result.user_id = user_id;
  result.messages = erased.messages;
  result.sessions = erased.sessions;
  result.preferences = erased.preferences;
  result.key_destroyed = erased.key_destroyed;
  return result;
}

Result<std::vector<model::SessionInfo>> MemoryServiceImpl::Sessions(const Caller& caller,
                                                                    const std::string& user_id) {
  RETURN_IF_ERROR(ValidateIdentifier(user_id, "user_id", limits_.max_id_bytes));
  return store_.Sessions(UserOf(caller, user_id));
}

Result<std::vector<model::Message>> MemoryServiceImpl::SessionMessages(
    const Caller& caller, const SessionPageQuery& query) {
  RETURN_IF_ERROR(ValidateIdentifier(query.user_id, "user_id", limits_.max_id_bytes));
  RETURN_IF_ERROR(ValidateIdentifier(query.session_id, "session_id", limits_.max_id_bytes));
  if (query.limit < 1 || query.limit > limits_.max_messages_per_store) {
    return InvalidArgument(
        "limit must be between 1 and " + std::to_string(limits_.max_messages_per_store), "limit");
  }
  if (query.before) {
    RETURN_IF_ERROR(ValidateIdentifier(*query.before, "before", limits_.max_id_bytes));
  }
  return store_.SessionMessages(UserOf(caller, query.user_id), query.session_id, query.limit,
                                query.before);
}

Result<std::int64_t> MemoryServiceImpl::EraseSession(const Caller& caller,
                                                     const std::string& user_id,
                                                     const std::string& session_id) {
  RETURN_IF_ERROR(ValidateIdentifier(user_id, "user_id", limits_.max_id_bytes));
  RETURN_IF_ERROR(ValidateIdentifier(session_id, "session_id", limits_.max_id_bytes));
  const model::UserRef user = UserOf(caller, user_id);
  auto erased = store_.EraseSession(user, session_id);
  context_cache_.Invalidate(user);
  ForgetVectors(user);
  return erased;
}

Status MemoryServiceImpl::EraseMessage(const Caller& caller, const std::string& user_id,
                                       const std::string& message_id) {
  RETURN_IF_ERROR(ValidateIdentifier(user_id, "user_id", limits_.max_id_bytes));
  RETURN_IF_ERROR(ValidateIdentifier(message_id, "message_id", limits_.max_id_bytes));
  const model::UserRef user = UserOf(caller, user_id);
  Result<storage::MessageErasure> erased = store_.EraseMessage(user, message_id);
  context_cache_.Invalidate(user);
  ForgetVectors(user);
  RETURN_IF_ERROR(erased.status());
  if (!erased->summary_dropped) return Status::Ok();
  // The session's summary went with the turn it covered: a fold writes a fresh one from the
  // turns that remain, off the request path. A mark that fails costs freshness only (the next
  // store to the session marks a fold; a context request folds itself past the allowed lag),
  // so the erasure, done already, still succeeds.
  const storage::WorkMark fold{
      .kind = kFoldWork, .key = erased->session_id, .due_at = clock_.NowMillis()};
  if (store_.MarkWork(user, {fold}).ok() && work_ != nullptr) work_->Notify();
  return Status::Ok();
}

Result<std::unique_ptr<UserExport>> MemoryServiceImpl::Export(const Caller& caller,
                                                              const std::string& user_id) {
  RETURN_IF_ERROR(ValidateIdentifier(user_id, "user_id", limits_.max_id_bytes));
  model::UserRef user = UserOf(caller, user_id);
  RETURN_IF_ERROR(preferences_.Learn(user).status());  // the export holds what every turn taught
  ASSIGN_OR_RETURN(model::PrivacySettings privacy, privacy_.Settings(user));
  return StoreUserExport::Begin(store_, std::move(user), privacy, clock_.NowMillis(),
                                limits_.export_page_messages);
}

Result<model::PrivacySettings> MemoryServiceImpl::Privacy(const Caller& caller,
                                                          const std::string& user_id) {
  RETURN_IF_ERROR(ValidateIdentifier(user_id, "user_id", limits_.max_id_bytes));
  return privacy_.Settings(UserOf(caller, user_id));
}

Result<model::PrivacySettings> MemoryServiceImpl::UpdatePrivacy(const Caller& caller,
                                                                const PrivacyUpdate& update) {
  RETURN_IF_ERROR(ValidateIdentifier(update.user_id, "user_id", limits_.max_id_bytes));
  return privacy_.Update(UserOf(caller, update.user_id), update.change);
}

void MemoryServiceImpl::ForgetVectors(const model::UserRef& user) {
  vector_cache_.Drop(user);
  if (word_counts_) word_counts_->Forget(user);
}

Result<PurgeReport> MemoryServiceImpl::Purge(const std::function<bool()>& stop) {
  Result<PurgeReport> report = privacy_.Purge(stop);
  if (report.ok()) {
    for (const PurgedUserCounts& purged : report->users) ForgetVectors(purged.user);
  }
  return report;
}

Status MemoryServiceImpl::Ready() { return store_.Ping(); }

std::vector<ComponentStatus> MemoryServiceImpl::Components() {
  if (!semantic_) return {{.name = "semantic_search", .ok = false, .detail = embedder_missing_}};
  return {{.name = "semantic_search", .ok = true, .detail = "model " + semantic_->model_id()}};
}

Result<std::vector<Preference>> MemoryServiceImpl::Preferences(const Caller& caller,
                                                               const std::string& user_id) {
  RETURN_IF_ERROR(ValidateIdentifier(user_id, "user_id", limits_.max_id_bytes));
  const model::UserRef user = UserOf(caller, user_id);
  RETURN_IF_ERROR(preferences_.Learn(user).status());
  return preferences_.Current(user);
}

Result<Preference> MemoryServiceImpl::SetPreference(const Caller& caller,
                                                    const PreferenceUpdate& update) {
  RETURN_IF_ERROR(ValidateIdentifier(update.user_id, "user_id", limits_.max_id_bytes));
  RETURN_IF_ERROR(ValidatePreferenceUpdate(update));
  const std::string category =
      update.category.value_or(std::string(model::DefaultPreferenceCategory(update.key)));
  return preferences_.Set(UserOf(caller, update.user_id), update.key, update.value, category);
}

Result<bool> MemoryServiceImpl::ForgetPreference(const Caller& caller, const std::string& user_id,
                                                 const std::string& key) {
  RETURN_IF_ERROR(ValidateIdentifier(user_id, "user_id", limits_.max_id_bytes));
  RETURN_IF_ERROR(ValidatePreferenceKey(key));
  return preferences_.Forget(UserOf(caller, user_id), key);
}

Result<bool> MemoryServiceImpl::Feedback(const Caller& caller, const FeedbackCommand& command) {
  RETURN_IF_ERROR(ValidateFeedback(command, limits_));
  return preferences_.Feedback(UserOf(caller, command.user_id), command.signal, command.message_id);
}

}  // namespace loci::service
