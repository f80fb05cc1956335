#include "text/stop_words.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace loci::text {
namespace {

// Sorted (byte order), so lookups are a binary search over a constant array.
constexpr std::array<std::string_view, 159> kStopWords = {
    "a",         "about",     "after",     "against",  "all",        "am",       "an",
    "and",       "any",       "are",       "aren't",   "as",         "at",       "be",
    "because",   "been",      "before",    "being",    "between",    "both",     "but",
    "by",        "can",       "can't",     "cannot",   "could",      "could've", "couldn't",
    "did",       "didn't",    "do",        "does",     "doesn't",    "doing",    "don't",
    "during",    "each",      "for",       "from",     "had",        "hadn't",   "has",
    "hasn't",    "have",      "haven't",   "having",   "he",         "he'd",     "he'll",
    "her",       "here",      "hers",      "herself",  "him",        "himself",  "his",
    "how",       "i",         "i'd",       "i'll",     "i'm",        "i've",     "if",
    "in",        "into",      "is",        "isn't",    "it",         "its",      "itself",
    "just",      "let",       "me",        "mightn't", "must",       "mustn't",  "my",
    "myself",    "needn't",   "no",        "nor",      "not",        "now",      "of",
    "on",        "once",      "only",      "or",       "ought",      "our",      "ours",
    "ourselves", "s",         "shall",     "shan't",   "she",        "she'd",    "she'll",
    "should",    "should've", "shouldn't", "so",       "some",       "such",     "t",
    "than",      "that",      "the",       "their",    "theirs",     "them",     "themselves",
    "then",      "there",     "these",     "they",     "they'd",     "they'll",  "they're",
    "they've",   "this",      "those",     "through",  "to",         "too",      "until",
    "very",      "was",       "wasn't",    "we",       "we'd",       "we'll",    "we're",
    "we've",     "were",      "weren't",   "what",     "when",       "where",    "which",
    "while",     "who",       "whom",      "whose",    "why",        "with",     "won't",
    "would",     "would've",  "wouldn't",  "you",      "you'd",      "you'll",   "you're",
    "you've",    "your",      "yours",     "yourself", "yourselves",
};
static_assert(std::is_sorted(kStopWords.begin(), kStopWords.end()));

constexpr std::size_t kLongestStopWord = 10;  // "themselves", "yourselves"

// For each first letter, the range of kStopWords that starts with it, so a lookup searches a
// dozen entries instead of the whole list (this runs once per token on the store path).
struct Range {
  std::uint8_t begin = 0;
  std::uint8_t end = 0;
};

constexpr std::array<Range, 26> BuildIndex() {
  std::array<Range, 26> index{};
  for (std::size_t i = 0; i < kStopWords.size(); ++i) {
    const auto letter = static_cast<std::size_t>(kStopWords[i][0] - 'a');
    if (index[letter].end == 0) index[letter].begin = static_cast<std::uint8_t>(i);
    index[letter].end = static_cast<std::uint8_t>(i + 1);
  }
  return index;
}

constexpr std::array<Range, 26> kIndex = BuildIndex();

}  // namespace

bool IsStopWord(std::string_view term) {
  if (term.empty() || term.size() > kLongestStopWord) return false;
  if (term[0] < 'a' || term[0] > 'z') return false;
  const Range range = kIndex[static_cast<std::size_t>(term[0] - 'a')];
  return std::binary_search(kStopWords.begin() + range.begin, kStopWords.begin() + range.end, term);
}

}  // namespace loci::text
