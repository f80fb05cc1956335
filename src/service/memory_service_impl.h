// The MemoryService that app/ wires: validates, analyzes and hands work to the store, the
// search service and the context manager. Thread-safety: all methods may be called
// concurrently; the collaborators are borrowed and must outlive it.
#pragma once

#include <optional>

#include "embed/embedder.h"
#include "service/context_cache.h"
#include "service/context_manager.h"
#include "service/embed_backlog.h"
#include "service/memory_service.h"
#include "service/preference_engine.h"
#include "service/privacy_controller.h"
#include "service/search_service.h"
#include "service/semantic_ranker.h"
#include "service/session_folder.h"
#include "service/summarizer.h"
#include "service/user_word_counts.h"
#include "service/vector_cache.h"
#include "service/work_runner.h"
#include "storage/store.h"
#include "text/analyzer.h"
#include "util/time.h"

namespace loci::service {

// How messages get their vectors for semantic search.
struct EmbeddingSetup {
  embed::Embedder* embedder = nullptr;  // null: no semantic search
  // The same object as `embedder` when it is the built-in one: its words are then weighed by
  // each user's own word counts (user_word_counts.h). Null otherwise.
  const embed::SifEmbedder* sif = nullptr;
  // True for a cheap local embedder: a store embeds its messages and writes their vectors in
  // the same append. False for a provider: stores write none, so a slow or failing provider
  // never holds up a store; EmbedBacklog fills them in off the request path.
  bool embed_on_store = false;
  // Without an embedder: why, for operators (/readyz) and for the error of a semantic search.
  std::string missing_reason = "no embedder is configured";
};

class MemoryServiceImpl final : public MemoryService {
 public:
  // With `preference_model`, a chat model learns preferences beside the built-in rules
  // (preference_engine.h). REQUIRES: store, analyzer, clock, the embedder, the summarizer (when
  // given; the built-in extractive one otherwise) and the preference model outlive the service.
  MemoryServiceImpl(storage::Store& store, const text::Analyzer& analyzer, const Clock& clock,
                    Limits limits, EmbeddingSetup embedding = {},
                    const Summarizer* summarizer = nullptr,
                    const LlmPreferenceExtractor* preference_model = nullptr);

  void Store(const Caller& caller, StoreCommand command,
             std::function<void(Result<StoreResult>)> done) override;
  bool StoreIsAtHand(const Caller& caller, const std::string& user_id) override;
  Result<std::shared_ptr<const ContextPack>> Context(const Caller& caller,
                                                     const ContextQuery& query) override;
  std::shared_ptr<const ContextPack> CachedContext(const Caller& caller,
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
  std::vector<ComponentStatus> Components() override;
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

  // Registers the handlers of the service's deferred work with `runner` and lets stores that
  // mark work wake it. Call once, before runner.Start. Without a runner, work is still marked
  // durably, and runs once one is attached (after a restart, say).
  // REQUIRES: `runner` outlives the service, or is stopped before it goes.
  void AttachWork(WorkRunner& runner);

  // Marks "embed" work for every user whose vectors are not exactly one of the embedder's
  // model per message: after a change of model (or vectors left missing), the work deletes the
  // user's vectors of other models, which no search reads, and embeds every message lacking
  // one in the background. Call at start, after AttachWork. Returns how many users were
  // marked; 0 without an embedder. Storage errors.
  Result<int> SweepEmbeddings();

  // Folds sessions into their summaries (session_folder.h); runs the "fold" work.
  const SessionFolder& folder() const { return folder_; }

  // Call after vectors were written for the user's messages outside a store (EmbedBacklog):
  // searches built on the user's earlier vectors are stale.
  void VectorsChanged(const model::UserRef& user) { context_cache_.Invalidate(user); }

  // Drops what is kept in memory of the user's messages (opened vectors, word counts): the
  // next search reads them anew. Called after every erasure of messages.
  void ForgetVectors(const model::UserRef& user);

  // Runs a retention purge (PrivacyController::Purge) and forgets what memory holds of the
  // messages it erased.
  Result<PurgeReport> Purge(const std::function<bool()>& stop = {});

  // Null without an embedder.
  const SemanticRanker* semantic() const { return semantic_ ? &*semantic_ : nullptr; }

 private:
  // Whether packs for `query` are kept in the context cache.
  bool Cacheable(const ContextQuery& query) const;
  // The cached pack for a valid, cacheable `query` still current for the user, or null.
  std::shared_ptr<const ContextPack> FindContext(const model::UserRef& user,
                                                 const ContextQuery& query);
  // The store's form of one incoming message: analyzed, counted, timestamped.
  storage::NewMessage Prepare(IncomingMessage message, UnixMillis now) const;
  // Gives each message its vector when the embedder runs on the store path. An embedder that
  // fails leaves them without: they stay listed by Store::MessagesWithoutEmbedding.
  // Gives the messages their vectors when the embedder is cheap enough for the store path.
  // Returns false when some are left without one (no such embedder, or it failed): the
  // "embed" work fills them in later.
  bool EmbedOnStore(const model::UserRef& user, std::vector<storage::NewMessage>& messages) const;
  // With word counts: the texts of the request's messages that an idempotency key (of the
  // message or of the request) may find stored already.
  std::vector<std::string> ReplayableTexts(const storage::AppendRequest& request) const;
  // The user's word counts took in every message of a store: takes out those it did not store
  // (duplicates among `replayable`), or forgets the counts when that cannot be told.
  void UncountUnstored(const model::UserRef& user, const Result<storage::AppendOutcome>& outcome,
                       const std::vector<std::string>& replayable);

  storage::Store& store_;
  const text::Analyzer& analyzer_;
  const Clock& clock_;
  Limits limits_;
  bool embed_on_store_;
  std::string embedder_missing_;  // empty with an embedder
  ContextCache context_cache_;
  VectorCache vector_cache_;
  std::optional<UserWordCounts> word_counts_;  // with the built-in embedder
  std::optional<SemanticRanker> semantic_;     // after the caches, which it borrows
  SearchService search_;                       // after semantic_, which it borrows
  std::optional<EmbedBacklog> backlog_;        // with semantic_: vectors stores did not write
  ExtractiveSummarizer builtin_summarizer_;
  SessionFolder folder_;  // after context_cache_, which its listener uses
  ContextManager context_;
  PrivacyController privacy_;     // after context_cache_, which it borrows
  PreferenceEngine preferences_;  // after context_cache_, which it invalidates
  WorkRunner* work_ = nullptr;    // set by AttachWork before any request
};

}  // namespace loci::service
