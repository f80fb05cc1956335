// WordFrequencies: how often words occur in some body of text, for the SIF embedder's word
// probabilities p(w) = Count(w) / Total(). The search side keeps one per user, counted over
// the user's own messages with SifEmbedder::Words (the same words the embedder looks up):
// estimated from the user's history, p(w) weighs the words that user says all the time less,
// which ranks better than the vocabulary's general frequencies.
// Thread-safety: an implementation's Count and Total must be safe to call concurrently with
// each other; WordCounts is not synchronized for its Add/Remove (the owner serializes them).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace loci::embed {

class WordFrequencies {
 public:
  virtual ~WordFrequencies() = default;
  // Occurrences of `word` (lower-case, as SifEmbedder::Words gives it); 0 when never seen.
  virtual std::uint64_t Count(std::string_view word) const = 0;
  // Occurrences of all words together.
  virtual std::uint64_t Total() const = 0;
};

// Word counts in memory.
class WordCounts : public WordFrequencies {
 public:
  // Counts each word once per occurrence.
  void Add(std::span<const std::string> words);
  // Counts one occurrence of `word`.
  void Add(std::string_view word);
  // Uncounts words added before (a message erased); a word is never counted below zero.
  void Remove(std::span<const std::string> words);

  std::uint64_t Count(std::string_view word) const override;
  std::uint64_t Total() const override { return total_; }
  std::size_t distinct_words() const { return counts_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view word) const {
      return std::hash<std::string_view>{}(word);
    }
  };
  std::unordered_map<std::string, std::uint64_t, Hash, std::equal_to<>> counts_;
  std::uint64_t total_ = 0;
};

}  // namespace loci::embed
