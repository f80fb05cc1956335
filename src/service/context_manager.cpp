#include "service/context_manager.h"

#include <algorithm>

#include "service/preference_engine.h"
#include "service/prompt.h"
#include "text/token_counter.h"

namespace loci::service {
namespace {

constexpr char kRecentHeading[] = "Recent conversation";

std::string RenderWindow(const std::vector<model::Message>& messages) {
  PromptSection section{kRecentHeading, {}};
  for (const model::Message& message : messages) {
    section.lines.push_back(RenderMessageLine(message));
  }
  return RenderPrompt({section});
}

// Cuts the content of the newest message so the window's prompt fits `max_tokens`.
// Returns false when not even a cut message fits.
bool CutNewestToFit(model::Message* message, int max_tokens) {
  std::string content = message->content;
  message->content.clear();
  const int overhead = text::CountTokens(RenderWindow({*message}));
  if (overhead >= max_tokens) return false;
  message->content = TruncateToTokens(content, max_tokens - overhead);
  // Token counts of parts do not add up exactly; shave until the whole fits.
  while (!message->content.empty() && text::CountTokens(RenderWindow({*message})) > max_tokens) {
    message->content =
        TruncateToTokens(message->content, std::max(0, text::CountTokens(message->content) - 2));
  }
  message->token_count = text::CountTokens(message->content);
  return !message->content.empty();
}

}  // namespace

Result<ContextPack> ContextManager::Build(const model::UserRef& user,
                                          const ContextQuery& query) const {
  ContextPack pack;
  pack.user_id = user.user_id;
  ASSIGN_OR_RETURN(pack.preferences, PreferencesForContext(store_, user));
  if (query.session_id) {
    pack.session_id = query.session_id;
  } else {
    ASSIGN_OR_RETURN(pack.session_id, store_.LatestSession(user));
  }
  const int max_tokens = query.max_tokens.value_or(limits_.default_context_tokens);
  const int max_messages = query.max_messages.value_or(limits_.default_context_messages);
  if (pack.session_id) {
    ASSIGN_OR_RETURN(pack.messages, store_.RecentMessages(user, *pack.session_id, max_messages));
  }

  // Drop the oldest turns until the window fits, keeping at least the newest. The estimate
  // adds up the lines, using the token counts stored with each message; the rendered prompt
  // is then counted once to confirm (counts of parts add up nearly, not exactly).
  int estimate = text::CountTokens(std::string("## ") + kRecentHeading + "\n");
  std::vector<int> line_tokens;
  line_tokens.reserve(pack.messages.size());
  for (const model::Message& message : pack.messages) {
    line_tokens.push_back(text::CountTokens(RenderMessageHeader(message)) + message.token_count +
                          1);
    estimate += line_tokens.back();
  }
  std::size_t first = 0;
  while (first + 1 < pack.messages.size() && estimate > max_tokens)
    estimate -= line_tokens[first++];
  pack.messages.erase(pack.messages.begin(), pack.messages.begin() + first);
  pack.truncated = first > 0;

  pack.prompt = RenderWindow(pack.messages);
  pack.token_count = text::CountTokens(pack.prompt);
  while (pack.token_count > max_tokens) {
    pack.truncated = true;
    if (pack.messages.size() > 1) {
      pack.messages.erase(pack.messages.begin());
    } else if (pack.messages.empty() || !CutNewestToFit(&pack.messages.front(), max_tokens)) {
      pack.messages.clear();
    }
    pack.prompt = RenderWindow(pack.messages);
    pack.token_count = text::CountTokens(pack.prompt);
  }
  return pack;
}

}  // namespace loci::service
