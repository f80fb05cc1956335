#include "service/pack_budget.h"

#include <algorithm>
#include <string>

#include "service/prompt.h"
#include "service/summarizer.h"
#include "text/token_counter.h"

namespace loci::service {
namespace {

constexpr char kPreferencesHeading[] = "Preferences";
constexpr char kSummaryHeading[] = "Summary of earlier conversation";
constexpr char kRelevantHeading[] = "Relevant earlier messages";
constexpr char kRecentHeading[] = "Recent conversation";

// The least of the newest turn's content the recent section is sure to have room for.
constexpr int kMinNewestTokens = 16;

std::string PreferenceLine(const Preference& preference) {
  return "- " + preference.key + ": " + preference.value;
}

std::string Render(const PackParts& parts) {
  std::vector<PromptSection> sections(4);
  sections[0].heading = kPreferencesHeading;
  for (const Preference& preference : parts.preferences) {
    sections[0].lines.push_back(PreferenceLine(preference));
  }
  sections[1].heading = kSummaryHeading;
  if (parts.summary && !parts.summary->text.empty()) {
    sections[1].lines.push_back(parts.summary->text);
  }
  sections[2].heading = kRelevantHeading;
  for (const ScoredMessage& scored : parts.relevant) {
    sections[2].lines.push_back(RenderMessageLine(scored.message));
  }
  sections[3].heading = kRecentHeading;
  for (const model::Message& message : parts.window) {
    sections[3].lines.push_back(RenderMessageLine(message));
  }
  return RenderPrompt(sections);
}

// Tokens of a section's heading line, with the blank line that separates sections.
int HeadingTokens(const char* heading) {
  return text::CountTokens(std::string("## ") + heading + "\n") + 1;
}

// Keeps the longest prefix of `items` whose lines (each with its line break) fit `cap` with
// the heading; returns the tokens used (0 when none fits) and whether any was left out.
template <typename T, typename LineOf>
int KeepPrefix(std::vector<T>& items, const char* heading, int cap, LineOf line_of,
               bool& truncated) {
  if (items.empty()) return 0;
  int used = HeadingTokens(heading);
  std::size_t kept = 0;
  while (kept < items.size()) {
    const int line = text::CountTokens(line_of(items[kept])) + 1;
    if (used + line > cap) break;
    used += line;
    ++kept;
  }
  if (kept < items.size()) truncated = true;
  items.resize(kept);
  return kept == 0 ? 0 : used;
}

// Cuts the content of `message` by at least `excess` tokens; false when nothing is left.
bool CutContent(model::Message& message, int excess) {
  const int target = text::CountTokens(message.content) - excess - 1;
  message.content = target > 0 ? TruncateToTokens(message.content, target) : std::string();
  message.token_count = text::CountTokens(message.content);
  return !message.content.empty();
}

// Step 1 of the rule: the shares, then the window within what is left.
void FitShares(PackParts& parts, int budget, bool& truncated) {
  int min_recent = 0;
  if (!parts.window.empty()) {
    const model::Message& newest = parts.window.back();
    min_recent = HeadingTokens(kRecentHeading) + text::CountTokens(RenderMessageHeader(newest)) +
                 std::min(newest.token_count, kMinNewestTokens) + 2;
  }
  int used = 0;
  auto cap = [&](int share) { return std::min(share, budget - min_recent - used); };

  std::stable_sort(
      parts.preferences.begin(), parts.preferences.end(),
      [](const Preference& a, const Preference& b) { return a.confidence > b.confidence; });
  used += KeepPrefix(parts.preferences, kPreferencesHeading, cap(budget / 4), PreferenceLine,
                     truncated);

  if (parts.summary) {
    const int room = cap(budget * 3 / 10) - HeadingTokens(kSummaryHeading) - 1;
    std::string text = room > 0 ? CompressSummary(parts.summary->text, room) : std::string();
    if (text != parts.summary->text) truncated = true;
    if (text.empty()) {
      parts.summary.reset();
    } else {
      parts.summary->text = std::move(text);
      used += HeadingTokens(kSummaryHeading) + text::CountTokens(parts.summary->text) + 1;
    }
  }

  used += KeepPrefix(
      parts.relevant, kRelevantHeading, cap(budget / 5),
      [](const ScoredMessage& scored) { return RenderMessageLine(scored.message); }, truncated);

  // The window, newest first, within the rest.
  if (parts.window.empty()) return;
  int recent = HeadingTokens(kRecentHeading);
  const int room = budget - used;
  std::size_t first = parts.window.size();
  while (first > 0) {
    const model::Message& message = parts.window[first - 1];
    const int line = text::CountTokens(RenderMessageHeader(message)) + message.token_count + 1;
    if (recent + line > room) break;
    recent += line;
    --first;
  }
  if (first == parts.window.size()) {  // not even the newest turn fits whole: cut it
    first = parts.window.size() - 1;
    model::Message& newest = parts.window.back();
    const int excess =
        recent + text::CountTokens(RenderMessageHeader(newest)) + newest.token_count + 1 - room;
    truncated = true;
    if (!CutContent(newest, excess)) ++first;
  }
  if (first > 0) truncated = true;
  parts.window.erase(parts.window.begin(), parts.window.begin() + static_cast<long>(first));
}

// Step 3 of the rule: gives way, one thing at a time, until the prompt fits.
void GiveWay(PackParts& parts, int excess) {
  if (!parts.relevant.empty()) {
    parts.relevant.pop_back();
  } else if (parts.window.size() > 1) {
    parts.window.erase(parts.window.begin());
  } else if (parts.summary) {
    const int room = text::CountTokens(parts.summary->text) - excess - 1;
    std::string text = room > 0 ? CompressSummary(parts.summary->text, room) : std::string();
    if (text.empty() || text == parts.summary->text) {
      parts.summary.reset();
    } else {
      parts.summary->text = std::move(text);
    }
  } else if (!parts.preferences.empty()) {
    parts.preferences.pop_back();
  } else if (!parts.window.empty() && !CutContent(parts.window.back(), excess)) {
    parts.window.clear();
  }
}

}  // namespace

void FitToBudget(PackParts parts, int max_tokens, ContextPack& pack) {
  bool truncated = false;
  FitShares(parts, max_tokens, truncated);
  std::string prompt = Render(parts);
  int tokens = text::CountTokens(prompt);
  while (tokens > max_tokens) {
    truncated = true;
    GiveWay(parts, tokens - max_tokens);
    prompt = Render(parts);
    tokens = text::CountTokens(prompt);
  }
  pack.preferences = std::move(parts.preferences);
  pack.summary = std::move(parts.summary);
  pack.relevant = std::move(parts.relevant);
  pack.messages = std::move(parts.window);
  pack.prompt = std::move(prompt);
  pack.token_count = tokens;
  pack.truncated = truncated;
}

}  // namespace loci::service
