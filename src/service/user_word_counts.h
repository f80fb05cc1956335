// UserWordCounts: each user's word counts, for the built-in embedder's word probabilities
// (embed/sif_embedder.h, Embed(texts, user)). Counted over the user's own messages, p(w) weighs
// the words a user says all the time less; measured on LoCoMo this ranked clearly better than
// the vocabulary's Zipf estimate (README "Search quality").
//
// Nothing new is stored: the counts are derived from the messages themselves, read once
// (Store::UserMessages) when a user is first needed and kept up to date by the stores that
// follow (Embed with `new_messages`; Uncount for those a store did not write after all). An
// erasure forgets the user's counts (Forget); they are read anew, without the erased messages,
// when next needed. Users are evicted least recently used beyond a byte budget. The first
// read is a pass over the user's messages (on the store or search that needs it, as the first
// semantic search reads the user's vectors); later stores only count their own words.
//
// Vectors are computed when a message is stored, with the counts of that moment, and queries
// with the counts of theirs: as a user's history grows, older vectors were weighed by thinner
// statistics. ReweighDue says when the counts have grown enough since the user's vectors were
// last all computed (MarkReweighed) that they should be computed again ("reweigh" work).
// Thread-safety: all methods may be called concurrently. A store racing the first read of its
// user may be counted twice until the counts are next read anew (a small drift in weights).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "embed/sif_embedder.h"
#include "model/message.h"
#include "service/byte_lru.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::service {

class UserWordCounts {
 public:
  // REQUIRES: store and embedder outlive this.
  UserWordCounts(storage::Store& store, const embed::SifEmbedder& embedder, std::size_t max_bytes)
      : store_(store), embedder_(embedder), held_(max_bytes) {}

  // The vectors of `texts`, weighed by the user's counts; with `new_messages`, the texts are
  // counted first as messages the user is storing now. Storage errors of the first read.
  Result<std::vector<std::vector<float>>> Embed(const model::UserRef& user,
                                                std::span<const std::string> texts,
                                                bool new_messages);

  // Takes `texts` out of the user's counts, if held: messages counted by Embed with
  // `new_messages` that the store did not write after all (duplicates of earlier ones).
  void Uncount(const model::UserRef& user, std::span<const std::string> texts);

  // True when the user's counts are held: Embed then reads nothing from the store.
  bool Holds(const model::UserRef& user) const { return Held(user) != nullptr; }

  // Whether the user's counts (with the embedder's prior) grew by half since the user's
  // vectors were last all computed, unless they were computed with 30,000 words counted or
  // more (the weights have settled). Counts read from the store count as computed then.
  bool ReweighDue(const model::UserRef& user);

  // Call before computing all of the user's vectors again with the current counts.
  void MarkReweighed(const model::UserRef& user);

  // Forgets the user's counts (after an erasure of any of the user's messages).
  void Forget(const model::UserRef& user);

  std::size_t bytes() const;

 private:
  struct Counts {
    std::mutex mutex;  // guards the fields below
    embed::WordCounts words;
    std::uint64_t reweighed_total = 0;  // words.Total() when all vectors were last computed
  };
  static std::size_t BytesOf(const embed::WordCounts& words);
  // The user's counts if held (null otherwise), without reading the store.
  std::shared_ptr<Counts> Held(const model::UserRef& user) const;
  // The user's counts: held, or read from the store and held.
  Result<std::shared_ptr<Counts>> Find(const model::UserRef& user);
  Result<std::shared_ptr<Counts>> Read(const model::UserRef& user) const;

  storage::Store& store_;
  const embed::SifEmbedder& embedder_;
  mutable std::mutex mutex_;
  ByteLru<std::shared_ptr<Counts>> held_;  // by UserRef::Key; guarded by mutex_
};

}  // namespace loci::service
