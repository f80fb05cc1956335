#include "service/prompt.h"

#include <algorithm>

#include "text/token_counter.h"
#include "util/time.h"

namespace loci::service {

std::string RenderMessageHeader(const model::Message& message) {
  // "2023-05-08T13:56:00.000Z" -> "2023-05-08 13:56": minutes are all a reader needs.
  std::string when = FormatRfc3339(message.created_at).substr(0, 16);
  when[10] = ' ';
  std::string line = "[" + when + "] ";
  if (message.name) {
    line += *message.name + " (" + std::string(model::RoleName(message.role)) + ")";
  } else {
    line += model::RoleName(message.role);
  }
  line += ": ";
  return line;
}

std::string RenderMessageLine(const model::Message& message) {
  return RenderMessageHeader(message) + message.content;
}

std::string RenderPrompt(const std::vector<PromptSection>& sections) {
  std::string prompt;
  for (const PromptSection& section : sections) {
    if (section.lines.empty()) continue;
    if (!prompt.empty()) prompt += "\n";
    prompt += "## " + section.heading + "\n";
    for (const std::string& line : section.lines) prompt += line + "\n";
  }
  return prompt;
}

namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string TruncateToTokens(const std::string& text, int max_tokens) {
  if (text::CountTokens(text) <= max_tokens) return text;
  // Binary search for the longest fitting prefix that ends on a character boundary; token
  // counts grow with the prefix. Invariant: the prefix of length `low` fits (0 always does).
  std::size_t low = 0;
  std::size_t high = text.size();
  while (low < high) {
    const std::size_t mid = low + (high - low + 1) / 2;
    std::size_t boundary = mid;
    while (boundary > low && boundary < text.size() && IsContinuationByte(text[boundary])) {
      --boundary;
    }
    if (boundary > low && text::CountTokens(text.substr(0, boundary) + " …") <= max_tokens) {
      low = boundary;
    } else {
      high = mid - 1;
    }
  }
  // Prefer ending at a space when one is close.
  const std::size_t space = low == 0 ? std::string::npos : text.rfind(' ', low);
  if (space != std::string::npos && space > 0 && low - space < 24) low = space;
  if (low == 0) return "";
  return text.substr(0, low) + " …";
}

std::size_t RequestBatchEnd(std::span<const std::string_view> contents, std::size_t first,
                            int max_tokens, int max_turn_tokens, int per_turn) {
  std::size_t end = first;
  int tokens = 0;
  while (end < contents.size()) {
    const int turn = std::min(text::CountTokens(contents[end]), max_turn_tokens) + per_turn;
    if (end > first && tokens + turn > max_tokens) break;
    tokens += turn;
    ++end;
  }
  return end;
}

}  // namespace loci::service
