// The MemoryService that app/ wires: validates, analyzes and hands work to the store, the
// search service and the context manager. Thread-safety: all methods may be called
// concurrently; the collaborators are borrowed and must outlive it.
#pragma once

#include <optional>

#include "embed/embedder.h"
#include "service/context_cache.h"
#include "service/context_manager.h"
#include "service/memory_service.h"
#include "service/privacy_controller.h"
#include "service/search_service.h"
#include "service/semantic_ranker.h"
#include "service/vector_cache.h"
#include "storage/store.h"
#include "text/analyzer.h"
#include "util/time.h"

namespace loci::service {

// How messages get their vectors for semantic search.
struct EmbeddingSetup {
  embed::Embedder* embedder = nullptr;  // null: no semantic search
  // True for a cheap local embedder: a store embeds its messages and writes their vectors in
  // the same append. False for a provider: stores write none, so a slow or failing provider
  // never holds up a store; EmbedBacklog fills them in off the request path.
  bool embed_on_store = false;
};

class MemoryServiceImpl final : public MemoryService {
 public:
  // REQUIRES: store, analyzer, clock and the embedder outlive the service.
  MemoryServiceImpl(storage::Store& store, const text::Analyzer& analyzer, const Clock& clock,
                    Limits limits, EmbeddingSetup embedding = {});

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

  // Settings, redaction and retention (privacy_controller.h); app/ runs its Purge.
  PrivacyController& privacy() { return privacy_; }

  // Call after vectors were written for the user's messages outside a store (EmbedBacklog):
  // searches built on the user's earlier vectors are stale.
  void VectorsChanged(const model::UserRef& user) { context_cache_.Invalidate(user); }

  // Null without an embedder.
  const SemanticRanker* semantic() const { return semantic_ ? &*semantic_ : nullptr; }

 private:
  // The store's form of one incoming message: analyzed, counted, timestamped.
  storage::NewMessage Prepare(IncomingMessage message, UnixMillis now) const;
  // Gives each message its vector when the embedder runs on the store path. An embedder that
  // fails leaves them without: they stay listed by Store::MessagesWithoutEmbedding.
  void EmbedOnStore(std::vector<storage::NewMessage>& messages) const;

  storage::Store& store_;
  const text::Analyzer& analyzer_;
  const Clock& clock_;
  Limits limits_;
  bool embed_on_store_;
  ContextManager context_;
  ContextCache context_cache_;
  VectorCache vector_cache_;
  std::optional<SemanticRanker> semantic_;  // after the caches, which it borrows
  SearchService search_;                    // after semantic_, which it borrows
  PrivacyController privacy_;               // after context_cache_, which it borrows
};

}  // namespace loci::service
