// The arithmetic of smooth-inverse-frequency (SIF) weighting, shared by the converter (which
// precomputes the common component) and the SIF embedder (Arora, Liang and Ma, "A Simple but
// Tough-to-Beat Baseline for Sentence Embeddings", 2017).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

namespace loci::embed {

// The SIF smoothing constant a: a word of probability p weighs a / (a + p).
inline constexpr double kDefaultSifA = 1e-3;

// a / (a + p). REQUIRES: a > 0, p >= 0.
inline double SifWeight(double probability, double a) { return a / (a + probability); }

// The probability Zipf's law gives the word of frequency rank `rank` (0 = most frequent) in a
// vocabulary of `count` words: 1 / ((rank + 1) * H(count)), H the harmonic number.
// REQUIRES: rank < count.
double ZipfProbability(std::uint32_t rank, std::uint32_t count);

}  // namespace loci::embed
