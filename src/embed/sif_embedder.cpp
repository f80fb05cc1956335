#include "embed/sif_embedder.h"

#include <algorithm>
#include <cmath>

#include "embed/sif_weights.h"
#include "text/normalizer.h"
#include "text/tokenizer.h"

namespace loci::embed {
namespace {

constexpr char kModelId[] = "builtin:wink-sg-100d/1";

// Appends the rank of `word` if the vocabulary has it; returns whether it did.
bool Append(const WordVectors& vectors, std::string_view word, std::vector<std::uint32_t>* ranks) {
  std::optional<std::uint32_t> rank = vectors.Find(word);
  if (rank) ranks->push_back(*rank);
  return rank.has_value();
}

// The vocabulary splits contractions the way the Penn Treebank does: "don't" is "do" "n't",
// "caroline's" is "caroline" "'s", "we'll" is "we" "'ll".
void AppendSplit(const WordVectors& vectors, std::string_view word,
                 std::vector<std::uint32_t>* ranks) {
  const std::size_t apostrophe = word.find('\'');
  if (apostrophe == std::string_view::npos || apostrophe == 0) return;
  std::size_t cut = apostrophe;
  if (apostrophe + 2 == word.size() && word.back() == 't' && word[apostrophe - 1] == 'n' &&
      apostrophe > 1) {
    cut = apostrophe - 1;  // "n't"
  }
  Append(vectors, word.substr(0, cut), ranks);
  Append(vectors, word.substr(cut), ranks);
}

}  // namespace

SifEmbedder::SifEmbedder(std::unique_ptr<WordVectors> vectors, SifOptions options)
    : vectors_(std::move(vectors)), options_(options), model_id_(kModelId) {}

Result<std::vector<std::vector<float>>> SifEmbedder::Embed(std::span<const std::string> texts) {
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (const std::string& text : texts) out.push_back(EmbedOne(WordRanks(text), nullptr));
  return out;
}

std::vector<std::vector<float>> SifEmbedder::Embed(std::span<const std::string> texts,
                                                   const WordFrequencies& user) const {
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (const std::string& text : texts) out.push_back(EmbedOne(WordRanks(text), &user));
  return out;
}

std::vector<std::string> SifEmbedder::Words(std::string_view text) const {
  std::vector<std::string> words;
  for (std::uint32_t rank : WordRanks(text)) words.emplace_back(vectors_->Word(rank));
  return words;
}

std::vector<float> SifEmbedder::EmbedWords(std::span<const std::uint32_t> ranks,
                                           const WordFrequencies& user) const {
  return EmbedOne(ranks, &user);
}

double SifEmbedder::Weight(double probability) const { return SifWeight(probability, options_.a); }

double SifEmbedder::VocabularyProbability(std::uint32_t rank) const {
  return ZipfProbability(rank, vectors_->size());
}

std::vector<std::uint32_t> SifEmbedder::WordRanks(std::string_view text) const {
  std::vector<std::uint32_t> ranks;
  std::string word;
  text::Tokenizer tokenizer(text);
  text::RawToken token;
  while (tokenizer.Next(&token)) {
    if (token.kind == text::TokenKind::kUrl || token.kind == text::TokenKind::kEmail) continue;
    const std::string_view surface = text.substr(token.begin, token.end - token.begin);
    if (token.ascii) {
      text::NormalizeAscii(surface, &word);
    } else {
      text::Normalize(surface, /*strip_marks=*/false, &word);
    }
    if (Append(*vectors_, word, &ranks)) continue;
    if (!token.ascii && token.latin_or_greek) {  // "Café" where the vocabulary has "cafe"
      text::Normalize(surface, /*strip_marks=*/true, &word);
      if (Append(*vectors_, word, &ranks)) continue;
    }
    AppendSplit(*vectors_, word, &ranks);
  }
  return ranks;
}

std::vector<float> SifEmbedder::EmbedOne(std::span<const std::uint32_t> ranks,
                                         const WordFrequencies* user) const {
  const auto dimensions = static_cast<std::size_t>(vectors_->dimensions());
  std::vector<float> sum(dimensions, 0.0f);
  if (ranks.empty()) return sum;
  const double total = user != nullptr ? double(user->Total()) : 0;
  const double prior = options_.prior_tokens;
  for (std::uint32_t rank : ranks) {
    double probability = VocabularyProbability(rank);
    if (user != nullptr && total + prior > 0) {
      const auto count = static_cast<double>(user->Count(vectors_->Word(rank)));
      probability = (count + prior * probability) / (total + prior);
    }
    vectors_->AddScaled(rank, static_cast<float>(Weight(probability)), sum);
  }
  // The projection and the norm are scale-invariant: the sum serves as well as the average.
  if (options_.remove_common_component) {
    std::span<const float> common = vectors_->common_component();
    double dot = 0;
    for (std::size_t i = 0; i < dimensions; ++i) dot += double(common[i]) * sum[i];
    for (std::size_t i = 0; i < dimensions; ++i) sum[i] -= static_cast<float>(dot * common[i]);
  }
  double norm = 0;
  for (float x : sum) norm += double(x) * x;
  norm = std::sqrt(norm);
  if (norm < 1e-9) {
    std::fill(sum.begin(), sum.end(), 0.0f);
  } else {
    for (float& x : sum) x = static_cast<float>(x / norm);
  }
  return sum;
}

}  // namespace loci::embed
