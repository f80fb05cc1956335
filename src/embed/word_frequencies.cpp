#include "embed/word_frequencies.h"

namespace loci::embed {

void WordCounts::Add(std::span<const std::string> words) {
  for (const std::string& word : words) Add(std::string_view(word));
}

void WordCounts::Add(std::string_view word) {
  auto found = counts_.find(word);
  if (found == counts_.end()) {
    counts_.emplace(std::string(word), 1);
  } else {
    ++found->second;
  }
  ++total_;
}

void WordCounts::Remove(std::span<const std::string> words) {
  for (const std::string& word : words) {
    auto found = counts_.find(word);
    if (found == counts_.end()) continue;
    --total_;
    if (--found->second == 0) counts_.erase(found);
  }
}

std::uint64_t WordCounts::Count(std::string_view word) const {
  auto found = counts_.find(word);
  return found == counts_.end() ? 0 : found->second;
}

}  // namespace loci::embed
