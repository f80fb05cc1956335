// ByteLru: values under string keys, the least recently used evicted beyond a byte budget —
// the bookkeeping shared by the service layer's caches (context packs, vector matrices, word
// counts). Each cache keeps its own lock and its own rule for what is worth keeping.
// Thread-safety: none; callers serialize every call (their own mutex).
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace loci::service {

template <typename Value>
class ByteLru {
 public:
  explicit ByteLru(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The value under `key`, made the most recently used; null when none.
  Value* Find(const std::string& key) {
    auto found = index_.find(key);
    if (found == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, found->second);
    return &found->second->value;
  }

  // The value under `key`, its recency unchanged; null when none.
  const Value* Peek(const std::string& key) const {
    auto found = index_.find(key);
    return found == index_.end() ? nullptr : &found->second->value;
  }

  // Keeps `value` under `key` (replacing what was there) as the most recently used, weighing
  // `bytes`, then evicts beyond the budget. The new entry is never evicted, even when it alone
  // is over the budget: callers that should not keep such a value do not put it.
  Value& Put(std::string key, Value value, std::size_t bytes) {
    Erase(key);
    entries_.push_front(Entry{key, std::move(value), bytes});
    index_.emplace(std::move(key), entries_.begin());
    bytes_ += bytes;
    EvictBeyondBudget();
    return entries_.front().value;
  }

  // Weighs the entry under `key` (if any) anew, makes it the most recently used and evicts
  // beyond the budget, never that entry.
  void Resize(const std::string& key, std::size_t bytes) {
    auto found = index_.find(key);
    if (found == index_.end()) return;
    bytes_ = bytes_ - found->second->bytes + bytes;
    found->second->bytes = bytes;
    entries_.splice(entries_.begin(), entries_, found->second);
    EvictBeyondBudget();
  }

  void Erase(const std::string& key) {
    auto found = index_.find(key);
    if (found == index_.end()) return;
    bytes_ -= found->second->bytes;
    entries_.erase(found->second);
    index_.erase(found);
  }

  std::size_t bytes() const { return bytes_; }
  std::size_t max_bytes() const { return max_bytes_; }

 private:
  struct Entry {
    std::string key;
    Value value;
    std::size_t bytes = 0;
  };

  // The least recently used go while over the budget; the most recent stays.
  void EvictBeyondBudget() {
    while (bytes_ > max_bytes_ && entries_.size() > 1) Erase(entries_.back().key);
  }

  const std::size_t max_bytes_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
};

}  // namespace loci::service
