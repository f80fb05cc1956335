// CPU per user turn of what "learn" work does for each turn it reads, on one thread: the
// preference extractor (service/preferences/extractor.h) and the reading of writing style
// (service/preferences/writing_style.h). Two corpora: every turn of the labelled preference
// sets (eval/preferences*.tsv, mostly turns that state a preference), and the store bench's
// everyday turns (bench/wrk/store.lua: turns that state none, what the store load learns from).
//
//   build/learn_speed [eval folder (eval)] [rounds (200)]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "service/preferences/evaluation.h"
#include "service/preferences/extractor.h"
#include "service/preferences/writing_style.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kSets[] = {"preferences.tsv", "preferences_holdout.tsv",
                                 "preferences_blind.tsv", "preferences_fresh.tsv",
                                 "preferences_final.tsv"};

// The store bench's turns: one of four sentences and a unique note (bench/wrk/store.lua).
std::vector<std::string> StoreTurns() {
  const char* texts[] = {
      "I finally booked the trip to Lisbon for early May, and my sister Caroline wants to come "
      "along with the kids.",
      "We spent the afternoon fixing the leaking kitchen tap, although the landlord promised to "
      "send someone last week.",
      "My partner signed up for a pottery class at the community centre because the old hobby "
      "got boring.",
      "Grandma bought tickets for a jazz concert by the lake, so we need to plan dinner for six "
      "friends afterwards.",
  };
  std::vector<std::string> turns;
  for (int i = 0; i < 64; ++i) {
    turns.push_back(std::string(texts[i % 4]) + " (note 1-" + std::to_string(i) + ")");
  }
  return turns;
}

std::vector<std::string> EvalTurns(const std::string& folder) {
  std::vector<std::string> turns;
  for (const char* set : kSets) {
    std::ifstream file(folder + "/" + set);
    if (!file) {
      std::fprintf(stderr, "learn_speed: cannot read %s/%s\n", folder.c_str(), set);
      std::exit(2);
    }
    std::stringstream content;
    content << file.rdbuf();
    auto labelled = loci::service::ParseLabelledTurns(content.str());
    if (!labelled.ok()) {
      std::fprintf(stderr, "learn_speed: %s: %s\n", set, labelled.status().ToString().c_str());
      std::exit(2);
    }
    for (const loci::service::LabelledTurn& turn : *labelled) turns.push_back(turn.text);
  }
  return turns;
}

// Microseconds per turn of `read` over `turns`, best of `rounds` passes (the least disturbed
// by whatever else the machine runs). Prints a row.
template <typename Read>
void Measure(const char* label, const std::vector<std::string>& turns, int rounds, Read read) {
  double best = 1e300;
  std::size_t sink = 0;  // keeps the work from being optimized away
  for (int round = 0; round < rounds; ++round) {
    const auto start = Clock::now();
    for (const std::string& turn : turns) sink += read(turn);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::printf("%-24s %6zu turns  %8.2f us/turn  (%zu)\n", label, turns.size(),
              1e6 * best / static_cast<double>(turns.size()), sink % 10);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string folder = argc > 1 ? argv[1] : "eval";
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 200;
  const std::vector<std::string> eval_turns = EvalTurns(folder);
  const std::vector<std::string> store_turns = StoreTurns();
  auto extract = [](const std::string& turn) {
    return loci::service::ExtractPreferences(turn, "m").size();
  };
  auto writing = [](const std::string& turn) {
    return static_cast<std::size_t>(loci::service::ReadWriting(turn).words);
  };
  std::printf("learn_speed: best of %d rounds\n", rounds);
  Measure("extract, eval sets", eval_turns, rounds, extract);
  Measure("extract, store turns", store_turns, rounds * 10, extract);
  Measure("writing, eval sets", eval_turns, rounds, writing);
  Measure("writing, store turns", store_turns, rounds * 10, writing);
  return 0;
}
