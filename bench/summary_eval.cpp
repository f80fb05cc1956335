// summary_eval: how much of what the folded turns said survives into the built-in rolling
// summary. Each LoCoMo conversation (../shared/eval/locomo-dev.json by default; read in
// place, never copied) is stored as one long session and folded as the server folds it, a few
// turns at a time into the previous summary; then the names, numbers and dates of every
// folded turn (service/salience.h) are looked up in the summary.
//
//   summary_eval [locomo.json] [--step N] [--max-tokens N]
//
// It prints, per conversation and overall, the share of distinct facts that survive, by kind:
// right after the fold that took their turn in ("per fold") and at the end of the
// conversation ("final"); the same for a baseline that keeps evenly spaced whole turns within
// the same budget; and the fold speed.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "service/salience.h"
#include "service/summarizer.h"
#include "text/token_counter.h"
#include "text/tokenizer.h"

namespace {

using loci::service::FactKind;

constexpr const char* kKindNames[] = {"names", "numbers", "dates"};

struct Tally {
  std::int64_t facts[3] = {0, 0, 0};
  std::int64_t kept[3] = {0, 0, 0};
  void Add(const Tally& other) {
    for (int k = 0; k < 3; ++k) {
      facts[k] += other.facts[k];
      kept[k] += other.kept[k];
    }
  }
  double Share(int k) const { return facts[k] ? static_cast<double>(kept[k]) / facts[k] : 0; }
  double Overall() const {
    const std::int64_t all = facts[0] + facts[1] + facts[2];
    return all ? static_cast<double>(kept[0] + kept[1] + kept[2]) / all : 0;
  }
};

// The distinct facts of `turns` as (kind, text).
std::set<std::pair<int, std::string>> FactsOf(std::span<const loci::model::Message> turns) {
  std::set<std::pair<int, std::string>> facts;
  for (const loci::model::Message& turn : turns) {
    for (const loci::service::Fact& fact : loci::service::FindFacts(turn.content)) {
      facts.emplace(static_cast<int>(fact.kind), fact.text);
    }
  }
  return facts;
}

std::set<std::string> TokensOf(const std::string& text) {
  std::set<std::string> tokens;
  for (const loci::text::RawToken& token : loci::text::Tokenize(text)) {
    tokens.insert(text.substr(token.begin, token.end - token.begin));
  }
  return tokens;
}

Tally Survival(const std::set<std::pair<int, std::string>>& facts, const std::string& summary) {
  const std::set<std::string> tokens = TokensOf(summary);
  Tally tally;
  for (const auto& [kind, text] : facts) {
    ++tally.facts[kind];
    if (tokens.count(text)) ++tally.kept[kind];
  }
  return tally;
}

// Evenly spaced whole turns ("Speaker: text" lines) within `max_tokens`.
std::string Baseline(std::span<const loci::model::Message> turns, int max_tokens) {
  int total = 0;
  for (const auto& turn : turns) total += loci::text::CountTokens(turn.content) + 4;
  const double keep = total > 0 ? std::min(1.0, static_cast<double>(max_tokens) / total) : 1;
  std::string summary;
  double credit = 0;
  for (const auto& turn : turns) {
    credit += keep;
    if (credit < 1) continue;
    credit -= 1;
    std::string line = *turn.name + ": " + turn.content + "\n";
    if (loci::text::CountTokens(summary + line) > max_tokens) break;
    summary += line;
  }
  return summary;
}

void Print(const char* label, const Tally& tally) {
  std::printf("  %-22s overall %.3f", label, tally.Overall());
  for (int k = 0; k < 3; ++k) {
    std::printf("  %s %.3f (%lld/%lld)", kKindNames[k], tally.Share(k),
                static_cast<long long>(tally.kept[k]), static_cast<long long>(tally.facts[k]));
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = "../shared/eval/locomo-dev.json";
  int step = 10;
  int max_tokens = loci::service::ExtractiveOptions{}.max_tokens;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--step" && i + 1 < argc) {
      step = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--max-tokens" && i + 1 < argc) {
      max_tokens = std::max(1, std::atoi(argv[++i]));
    } else {
      path = arg;
    }
  }
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "summary_eval: cannot read %s\n", path.c_str());
    return 2;
  }
  nlohmann::json data;
  try {
    data = nlohmann::json::parse(in);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "summary_eval: %s is not JSON: %s\n", path.c_str(), error.what());
    return 2;
  }
  const loci::service::ExtractiveSummarizer summarizer({.max_tokens = max_tokens});
  std::printf("summary_eval: fold step %d turns, summary budget %d tokens\n", step, max_tokens);
  Tally per_fold_all, final_all, baseline_all;
  double fold_seconds = 0;
  std::int64_t folded_turns = 0;
  for (const nlohmann::json& sample : data) {
    const nlohmann::json& conversation = sample.at("conversation");
    std::vector<loci::model::Message> turns;
    for (int session = 1; conversation.contains("session_" + std::to_string(session)); ++session) {
      for (const nlohmann::json& turn : conversation.at("session_" + std::to_string(session))) {
        loci::model::Message message;
        message.name = turn.at("speaker").get<std::string>();
        message.content = turn.at("text").get<std::string>();
        message.created_at = 1'683'554'160'000 + session * 86'400'000LL;
        turns.push_back(std::move(message));
      }
    }
    Tally per_fold;
    std::string summary;
    for (std::size_t first = 0; first < turns.size(); first += step) {
      const std::span<const loci::model::Message> batch(
          turns.data() + first, std::min<std::size_t>(step, turns.size() - first));
      const auto start = std::chrono::steady_clock::now();
      summary = *summarizer.Fold(summary, batch);
      fold_seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      per_fold.Add(Survival(FactsOf(batch), summary));
    }
    folded_turns += static_cast<std::int64_t>(turns.size());
    const auto facts = FactsOf(turns);
    const Tally final_tally = Survival(facts, summary);
    const Tally baseline = Survival(facts, Baseline(turns, max_tokens));
    std::printf("%s: %zu turns, summary %d tokens\n", sample.value("sample_id", "?").c_str(),
                turns.size(), loci::text::CountTokens(summary));
    Print("per fold", per_fold);
    Print("final", final_tally);
    Print("final, baseline", baseline);
    per_fold_all.Add(per_fold);
    final_all.Add(final_tally);
    baseline_all.Add(baseline);
  }
  std::printf("all conversations:\n");
  Print("per fold", per_fold_all);
  Print("final", final_all);
  Print("final, baseline", baseline_all);
  std::printf("  fold speed: %.1f us per turn (%lld turns)\n",
              folded_turns ? 1e6 * fold_seconds / folded_turns : 0.0,
              static_cast<long long>(folded_turns));
  return 0;
}
