#include "service/prompt.h"

#include "text/token_counter.h"
#include "util/time.h"

namespace loci::service {

std::string RenderMessageLine(const model::Message& message) {
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
  line += message.content;
  return line;
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

std::string TruncateToTokens(const std::string& text, int max_tokens) {
  if (text::CountTokens(text) <= max_tokens) return text;
  // Binary search on the byte length; token counts grow with the prefix.
  std::size_t low = 0;
  std::size_t high = text.size();
  while (low < high) {
    std::size_t mid = (low + high + 1) / 2;
    while (mid < text.size() && (static_cast<unsigned char>(text[mid]) & 0xC0) == 0x80) ++mid;
    if (text::CountTokens(text.substr(0, mid) + " …") <= max_tokens) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  while (low > 0 && (static_cast<unsigned char>(text[low]) & 0xC0) == 0x80) --low;
  std::size_t space = text.rfind(' ', low);
  if (space != std::string::npos && space > 0 && low - space < 24) low = space;
  if (low == 0) return "";
  return text.substr(0, low) + " …";
}

}  // namespace loci::service
