#include "storage/term_blinder.h"

#include <utility>

namespace loci::storage {
namespace {

// Blinded keys: 96 bits make a collision within one user's vocabulary negligible while
// keeping the index small. The first byte separates the kinds of value blinded.
constexpr std::size_t kBlindBytes = 12;

}  // namespace

std::string BlindValue(const crypto::SecretKey& key, char kind, std::string_view value) {
  std::string input;
  input.reserve(value.size() + 1);
  input += kind;
  input += value;
  return crypto::KeyedHash(key, input, kBlindBytes);
}

TermBlinder::TermBlinder(const crypto::SecretKey& index, Room room, std::size_t max_terms)
    : index_(index), room_(std::move(room)), max_terms_(max_terms) {}

TermBlinder::~TermBlinder() { room_->fetch_add(static_cast<std::int64_t>(memo_.size())); }

std::string TermBlinder::Blind(std::string_view term) const {
  {
    std::lock_guard lock(mutex_);
    if (auto found = memo_.find(term); found != memo_.end()) return found->second;
  }
  std::string blinded = BlindValue(index_, 't', term);  // outside the lock: the slow part
  std::lock_guard lock(mutex_);
  if (memo_.size() >= max_terms_) {  // a user's vocabulary outgrew the memo: start afresh
    room_->fetch_add(static_cast<std::int64_t>(memo_.size()));
    memo_.clear();
  }
  if (room_->fetch_sub(1) <= 0) {  // no room left across users
    room_->fetch_add(1);
    return blinded;
  }
  if (!memo_.emplace(std::string(term), blinded).second) room_->fetch_add(1);  // raced
  return blinded;
}

std::size_t TermBlinder::size() const {
  std::lock_guard lock(mutex_);
  return memo_.size();
}

}  // namespace loci::storage
