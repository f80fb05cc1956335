// Blinding: what SealedStore keeps in place of index keys (full-text terms, metadata
// attributes, idempotency and request keys): a keyed hash under the user's index key, so that
// equal values still match and no value is readable.
//
// TermBlinder blinds one user's full-text terms and remembers the blinded form of those it
// blinded: a user's messages (and queries) say the same words again and again, and a keyed
// hash costs two BLAKE2b compressions where a lookup costs one short hash. The memo lives in
// memory only, inside the user's cached keys: it is computed with those very keys and goes
// with them (an erasure drops them), so it can never serve a form computed with another key.
// It is bounded per user (`max_terms`, then emptied) and across users by a shared room of
// entries: with no room left, terms are blinded without being remembered.
// Thread-safety: Blind may be called concurrently.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "crypto/primitives.h"

namespace loci::storage {

// The blinded form of `value`; `kind` separates the kinds of value blinded: 't' full-text
// term, 'a' metadata attribute, 'k' idempotency key, 'r' request key.
std::string BlindValue(const crypto::SecretKey& key, char kind, std::string_view value);

class TermBlinder {
 public:
  // Memo entries shared by all of a store's users.
  using Room = std::shared_ptr<std::atomic<std::int64_t>>;

  // REQUIRES: room != nullptr, max_terms >= 1.
  TermBlinder(const crypto::SecretKey& index, Room room, std::size_t max_terms);
  ~TermBlinder();  // gives its entries back to the room
  TermBlinder(const TermBlinder&) = delete;
  TermBlinder& operator=(const TermBlinder&) = delete;

  // BlindValue(index, 't', term).
  std::string Blind(std::string_view term) const;

  // Terms remembered now.
  std::size_t size() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view term) const {
      return std::hash<std::string_view>{}(term);
    }
  };

  const crypto::SecretKey index_;
  const Room room_;
  const std::size_t max_terms_;
  mutable std::mutex mutex_;
  // term -> blinded form; guarded by mutex_
  mutable std::unordered_map<std::string, std::string, Hash, std::equal_to<>> memo_;
};

}  // namespace loci::storage
