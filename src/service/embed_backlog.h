// EmbedBacklog: gives a user's stored messages their vectors after the fact, in batches: for a
// provider embedder (which stores never wait for), for messages stored while an embedder
// failed, and to re-embed everything after a change of model (messages lacking a vector of the
// current model are exactly the backlog), and computes all of a user's vectors again when the
// built-in embedder's weights for the user changed (Reweigh). Run off the request path, per user,
// by the work queue; safe to run again after a failure: it resumes with what is still missing.
// Thread-safety: Run may be called concurrently for different users; for one user, concurrent
// runs only repeat work (the last vector written wins).
#pragma once

#include <functional>

#include "embed/embedder.h"
#include "service/semantic_ranker.h"
#include "storage/store.h"

namespace loci::service {

struct BacklogOutcome {
  int embedded = 0;   // vectors written
  bool more = false;  // messages may still lack a vector: run again
};

class EmbedBacklog {
 public:
  // `written` is called after each batch that wrote vectors (MemoryServiceImpl::VectorsChanged).
  // REQUIRES: store and ranker outlive the backlog; batch_size >= 1.
  EmbedBacklog(storage::Store& store, const SemanticRanker& ranker, int batch_size,
               std::function<void(const model::UserRef&)> written)
      : store_(store), ranker_(ranker), batch_size_(batch_size), written_(std::move(written)) {}

  // Embeds up to `max_messages` of the user's messages lacking a vector of the embedder's
  // model, oldest first, one batch (one embedder call, one store write) at a time. Batches done
  // before a failure stay written. Unavailable when the embedder cannot be reached (retry
  // later); InvalidArgument when it refuses the input; storage errors.
  Result<BacklogOutcome> Run(const model::UserRef& user, int max_messages) const;

  // Computes the vector of every message of the user again, with the embedder's current
  // weights for the user (user_word_counts.h), one batch at a time, replacing the vectors held.
  // Returns how many were written. Errors as Run's.
  Result<int> Reweigh(const model::UserRef& user) const;

 private:
  storage::Store& store_;
  const SemanticRanker& ranker_;
  // Embeds `messages` and writes their vectors; returns how many were written.
  Result<int> Write(const model::UserRef& user, const std::vector<model::Message>& messages) const;

  const int batch_size_;
  std::function<void(const model::UserRef&)> written_;
};

}  // namespace loci::service
