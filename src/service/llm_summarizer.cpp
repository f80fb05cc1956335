#include "service/llm_summarizer.h"

#include <string_view>
#include <vector>

#include "service/prompt.h"
#include "util/time.h"

namespace loci::service {
namespace {

constexpr char kSystemPrompt[] =
    "You keep the rolling summary of a long conversation, for an assistant that will read it "
    "before its next reply instead of the old turns. You get the summary so far and the turns "
    "that follow it. Answer with the updated summary only: plain sentences or short lines, no "
    "preamble. Keep every name, number, date, place, plan, preference and decision, and say "
    "who said or decided what. Drop greetings and small talk. Write at most ";

std::string Trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

Result<std::string> LlmSummarizer::Ask(std::string_view previous,
                                       std::span<const model::Message> turns) const {
  std::string user = "Summary so far:\n";
  user += previous.empty() ? std::string("(none yet)") : std::string(previous);
  user += "\n\nNew turns:\n";
  for (const model::Message& turn : turns) {
    model::Message cut = turn;
    cut.content = TruncateToTokens(turn.content, options_.max_turn_tokens);
    user += RenderMessageLine(cut) + "\n";
  }
  const std::string system =
      kSystemPrompt + std::to_string(options_.max_tokens * 3 / 4) + " words.";
  ASSIGN_OR_RETURN(std::string answer, model_.Complete(system, user, options_.max_tokens));
  answer = Trimmed(answer);
  if (answer.empty()) return Unavailable("the chat model answered an empty summary");
  return CompressSummary(answer, options_.max_tokens);
}

Result<std::string> LlmSummarizer::Fold(std::string_view previous,
                                        std::span<const model::Message> turns) const {
  constexpr int kPerTurn = 16;  // the turn's header line
  std::vector<std::string_view> contents;
  for (const model::Message& turn : turns) contents.push_back(turn.content);
  std::string summary(previous);
  std::size_t first = 0;
  while (first < turns.size()) {
    const std::size_t end = RequestBatchEnd(contents, first, options_.max_input_tokens,
                                            options_.max_turn_tokens, kPerTurn);
    const std::span<const model::Message> chunk = turns.subspan(first, end - first);
    Result<std::string> asked = Ask(summary, chunk);
    if (asked.ok()) {
      summary = std::move(*asked);
    } else {
      ASSIGN_OR_RETURN(summary, fallback_.Fold(summary, chunk));
    }
    first = end;
  }
  return summary;
}

}  // namespace loci::service
