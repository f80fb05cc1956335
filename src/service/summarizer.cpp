#include "service/summarizer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <unordered_map>
#include <vector>

#include "service/prompt.h"
#include "service/salience.h"
#include "text/sentences.h"
#include "text/token_counter.h"
#include "util/time.h"

namespace loci::service {
namespace {

// The part of a summary line after its "[2023-05-08] Caroline: " header (the header's date
// and speaker would count as facts of every line); the whole line when it has none.
std::string_view LineBody(std::string_view line) {
  if (line.empty() || line.front() != '[') return line;
  const std::size_t close = line.find("] ");
  if (close == std::string_view::npos) return line;
  const std::size_t colon = line.find(": ", close + 2);
  return colon == std::string_view::npos ? line.substr(close + 2) : line.substr(colon + 2);
}

std::string LineHeader(const model::Message& turn) {
  std::string speaker = turn.name ? *turn.name : std::string(model::RoleName(turn.role));
  std::replace(speaker.begin(), speaker.end(), '\n', ' ');
  return "[" + FormatRfc3339(turn.created_at).substr(0, 10) + "] " + speaker + ": ";
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string JoinLines(const std::vector<std::string_view>& lines) {
  std::string joined;
  for (std::string_view line : lines) {
    if (!joined.empty()) joined += '\n';
    joined += line;
  }
  return joined;
}

// A sentence of the turns being folded.
struct Candidate {
  std::size_t turn = 0;
  std::string_view text;
  double salience = 0;
  std::size_t order = 0;  // position among all the fold's sentences
};

// The salience of sentences already judged, by their text: Salience depends on the text alone,
// so a summary line whose body is such a sentence need not be judged again.
using KnownSalience = std::unordered_map<std::string_view, double>;

std::string Compress(std::string_view summary, int max_tokens, const KnownSalience& known) {
  std::vector<std::string_view> lines = SplitLines(summary);
  std::vector<int> tokens(lines.size());
  int total = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    tokens[i] = text::CountTokens(lines[i]) + 1;  // and its line break
    total += tokens[i];
  }
  std::vector<std::size_t> drop_order(lines.size());
  std::iota(drop_order.begin(), drop_order.end(), 0);
  std::vector<double> salience(lines.size());
  if (total > max_tokens) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string_view body = LineBody(lines[i]);
      const auto judged = known.find(body);
      salience[i] = judged != known.end() ? judged->second : Salience(body);
    }
    std::stable_sort(drop_order.begin(), drop_order.end(),
                     [&](std::size_t a, std::size_t b) { return salience[a] < salience[b]; });
  }
  std::vector<bool> dropped(lines.size(), false);
  auto kept = [&] {
    std::vector<std::string_view> remaining;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (!dropped[i]) remaining.push_back(lines[i]);
    }
    return remaining;
  };
  std::size_t next = 0;
  while (total > max_tokens && next + 1 < drop_order.size()) {
    dropped[drop_order[next]] = true;
    total -= tokens[drop_order[next++]];
  }
  std::string compressed = JoinLines(kept());
  // Counts of parts add up nearly, not exactly: confirm on the whole, dropping more if needed.
  int count = text::CountTokens(compressed);
  while (next + 1 < drop_order.size() && count > max_tokens) {
    dropped[drop_order[next++]] = true;
    compressed = JoinLines(kept());
    count = text::CountTokens(compressed);
  }
  if (count > max_tokens) compressed = TruncateToTokens(compressed, std::max(0, max_tokens));
  return compressed;
}

}  // namespace

Result<std::string> ExtractiveSummarizer::Fold(std::string_view previous,
                                               std::span<const model::Message> turns) const {
  std::vector<Candidate> candidates;
  std::size_t sentences = 0;
  for (std::size_t i = 0; i < turns.size(); ++i) {
    const std::string_view content = turns[i].content;
    for (const text::Sentence& sentence : text::SplitSentences(content)) {
      const std::string_view body = content.substr(sentence.begin, sentence.end - sentence.begin);
      const double salience = Salience(body);
      if (salience >= options_.min_salience) {
        candidates.push_back({.turn = i, .text = body, .salience = salience, .order = sentences});
      }
      ++sentences;
    }
  }
  const auto keep = std::min(
      candidates.size(),
      static_cast<std::size_t>(std::ceil(options_.keep_share * static_cast<double>(sentences))));
  // The most salient first, the earlier of equals first; then back in the order said.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.salience > b.salience; });
  candidates.resize(keep);
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.order < b.order; });

  std::string summary(previous);
  std::optional<std::size_t> line_turn;  // the turn the last line written belongs to
  for (const Candidate& candidate : candidates) {
    std::string sentence =
        TruncateToTokens(std::string(candidate.text), options_.max_sentence_tokens);
    std::replace(sentence.begin(), sentence.end(), '\n', ' ');
    if (line_turn == candidate.turn) {  // sentences of one turn share its line
      summary += ' ' + sentence;
      continue;
    }
    if (!summary.empty()) summary += '\n';
    summary += LineHeader(turns[candidate.turn]) + sentence;
    line_turn = candidate.turn;
  }
  KnownSalience known;
  for (const Candidate& candidate : candidates) known.emplace(candidate.text, candidate.salience);
  return Compress(summary, options_.max_tokens, known);
}

std::string CompressSummary(std::string_view summary, int max_tokens) {
  return Compress(summary, max_tokens, {});
}

}  // namespace loci::service
