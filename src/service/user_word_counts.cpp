#include "service/user_word_counts.h"

namespace loci::service {
namespace {

// Messages per page of the first read of a user's counts.
constexpr int kReadPage = 1000;
// Vectors are computed again once the counts (with the prior) grew by this factor...
constexpr double kReweighGrowth = 1.5;
// ...until they were last computed with this many words counted (about 2,000 messages): p(w)
// then moves little from one reweighing to the next, and each would embed the whole, ever
// longer history again (without this bound, about three more embeddings of every message in
// all: bench/store_cpu measured the whole store path's CPU at 1.9 times that of vocabulary
// weights; with it, a user's reweighings embed some 6,000 messages once and for all).
constexpr std::uint64_t kSettledTotal = 30'000;

}  // namespace

std::size_t UserWordCounts::BytesOf(const embed::WordCounts& words) {
  constexpr std::size_t kPerWord = 64;  // the node, the short string, the bucket
  return sizeof(Counts) + words.distinct_words() * kPerWord;
}

Result<std::shared_ptr<UserWordCounts::Counts>> UserWordCounts::Read(
    const model::UserRef& user) const {
  auto counts = std::make_shared<Counts>();
  std::int64_t after_seq = 0;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<model::Message> page,
                     store_.UserMessages(user, after_seq, kReadPage));
    for (const model::Message& message : page) counts->words.Add(embedder_.Words(message.content));
    if (static_cast<int>(page.size()) < kReadPage) break;
    after_seq = page.back().seq;
  }
  // The vectors held were computed before; take them as computed with these counts.
  counts->reweighed_total = counts->words.Total();
  return counts;
}

Result<std::shared_ptr<UserWordCounts::Counts>> UserWordCounts::Find(const model::UserRef& user) {
  std::string key = user.Key();
  {
    std::lock_guard lock(mutex_);
    if (std::shared_ptr<Counts>* found = held_.Find(key)) return *found;
  }
  ASSIGN_OR_RETURN(std::shared_ptr<Counts> counts, Read(user));  // outside the lock: slow
  std::size_t bytes = 0;
  {
    std::lock_guard counts_lock(counts->mutex);
    bytes = BytesOf(counts->words);
  }
  std::lock_guard lock(mutex_);
  if (std::shared_ptr<Counts>* found = held_.Find(key)) return *found;  // read meanwhile
  // Kept even when alone over the budget: its caller holds it anyway.
  return held_.Put(std::move(key), counts, bytes);
}

Result<std::vector<std::vector<float>>> UserWordCounts::Embed(const model::UserRef& user,
                                                              std::span<const std::string> texts,
                                                              bool new_messages) {
  ASSIGN_OR_RETURN(std::shared_ptr<Counts> counts, Find(user));
  // Each text is cut into words once, for its count and its vector, outside the lock.
  std::vector<std::vector<std::uint32_t>> words;
  words.reserve(texts.size());
  for (const std::string& text : texts) words.push_back(embedder_.WordRanks(text));
  std::size_t bytes = 0;
  std::vector<std::vector<float>> vectors;
  vectors.reserve(texts.size());
  {
    std::lock_guard counts_lock(counts->mutex);
    if (new_messages) {
      for (const std::vector<std::uint32_t>& ranks : words) {
        for (std::uint32_t rank : ranks) counts->words.Add(embedder_.vectors().Word(rank));
      }
    }
    for (const std::vector<std::uint32_t>& ranks : words) {
      vectors.push_back(embedder_.EmbedWords(ranks, counts->words));
    }
    bytes = BytesOf(counts->words);
  }
  if (new_messages) {
    std::lock_guard lock(mutex_);
    held_.Resize(user.Key(), bytes);  // nothing when forgotten meanwhile
  }
  return vectors;
}

std::shared_ptr<UserWordCounts::Counts> UserWordCounts::Held(const model::UserRef& user) const {
  std::lock_guard lock(mutex_);
  const std::shared_ptr<Counts>* found = held_.Peek(user.Key());
  return found == nullptr ? nullptr : *found;
}

void UserWordCounts::Uncount(const model::UserRef& user, std::span<const std::string> texts) {
  std::shared_ptr<Counts> counts = Held(user);
  if (counts == nullptr) return;  // read anew when needed: the store holds no duplicate
  std::lock_guard counts_lock(counts->mutex);
  for (const std::string& text : texts) counts->words.Remove(embedder_.Words(text));
}

bool UserWordCounts::ReweighDue(const model::UserRef& user) {
  std::shared_ptr<Counts> counts = Held(user);
  if (counts == nullptr) return false;
  const double prior = embedder_.prior_tokens();
  std::lock_guard counts_lock(counts->mutex);
  if (counts->reweighed_total >= kSettledTotal) return false;
  return double(counts->words.Total()) + prior >
         kReweighGrowth * (double(counts->reweighed_total) + prior);
}

void UserWordCounts::MarkReweighed(const model::UserRef& user) {
  std::shared_ptr<Counts> counts = Held(user);
  if (counts == nullptr) return;
  std::lock_guard counts_lock(counts->mutex);
  counts->reweighed_total = counts->words.Total();
}

void UserWordCounts::Forget(const model::UserRef& user) {
  std::lock_guard lock(mutex_);
  held_.Erase(user.Key());
}

std::size_t UserWordCounts::bytes() const {
  std::lock_guard lock(mutex_);
  return held_.bytes();
}

}  // namespace loci::service
