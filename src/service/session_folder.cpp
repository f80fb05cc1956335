#include "service/session_folder.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace loci::service {
namespace {

// Session order: when said, ties by arrival.
bool Before(const model::Message& a, const model::Message& b) {
  return a.created_at != b.created_at ? a.created_at < b.created_at : a.seq < b.seq;
}

}  // namespace

std::int64_t SessionFolder::LagOf(const model::SessionInfo& session,
                                  const std::optional<storage::SessionSummary>& summary,
                                  const FoldOptions& options) {
  const std::int64_t covered = summary ? summary->message_count : 0;
  return std::max<std::int64_t>(0, session.message_count - options.window - covered);
}

Result<std::int64_t> SessionFolder::Lag(const model::UserRef& user,
                                        const std::string& session_id) const {
  ASSIGN_OR_RETURN(std::optional<model::SessionInfo> session, store_.Session(user, session_id));
  if (!session) return 0;
  ASSIGN_OR_RETURN(std::optional<storage::SessionSummary> summary,
                   store_.Summary(user, session_id));
  return LagOf(*session, summary, options_);
}

Result<std::int64_t> SessionFolder::Step(const model::UserRef& user, const std::string& session_id,
                                         bool rebuild) const {
  // The oldest turn of the window: folding stops before it.
  ASSIGN_OR_RETURN(std::vector<model::Message> window,
                   store_.RecentMessages(user, session_id, options_.window + 1));
  if (window.size() <= static_cast<std::size_t>(options_.window)) return 0;
  const model::Message& first_kept = window[1];  // window[0] is the newest turn outside it
  ASSIGN_OR_RETURN(std::optional<storage::SessionSummary> summary,
                   store_.Summary(user, session_id));
  std::optional<std::string> after;
  std::string previous;
  std::int64_t covered = 0;
  if (summary && !rebuild) {
    after = summary->covers_until;
    previous = std::move(summary->text);
    covered = summary->message_count;
  }
  Result<std::vector<model::Message>> read =
      store_.SessionMessagesAfter(user, session_id, options_.batch, after);
  if (read.status().code() == StatusCode::kNotFound) {
    // The session, or the turn the summary ends with, went meanwhile: let the caller retry.
    return Conflict("the session changed while it was being folded");
  }
  ASSIGN_OR_RETURN(std::vector<model::Message> turns, std::move(read));
  auto end = std::find_if(turns.begin(), turns.end(),
                          [&](const model::Message& turn) { return !Before(turn, first_kept); });
  turns.erase(end, turns.end());
  if (turns.empty()) return 0;
  ASSIGN_OR_RETURN(std::string text, summarizer_.Fold(previous, turns));
  storage::SessionSummary next;
  next.session_id = session_id;
  next.text = std::move(text);
  next.covers_until = turns.back().id;
  next.message_count = covered + static_cast<std::int64_t>(turns.size());
  next.updated_at = clock_.NowMillis();
  RETURN_IF_ERROR(store_.PutSummary(user, next, summary ? summary->covers_until_seq : 0));
  if (changed_) changed_(user);
  return static_cast<std::int64_t>(turns.size());
}

Result<std::int64_t> SessionFolder::Fold(const model::UserRef& user,
                                         const std::string& session_id) const {
  std::int64_t folded = 0;
  int conflicts = 0;
  for (;;) {
    // After a conflict, a second one in a row means extending keeps failing: rebuild.
    Result<std::int64_t> step = Step(user, session_id, /*rebuild=*/conflicts >= 2);
    if (step.status().code() == StatusCode::kConflict) {
      if (++conflicts >= options_.attempts) return step.status();
      continue;
    }
    ASSIGN_OR_RETURN(std::int64_t count, std::move(step));
    if (count == 0) return folded;
    folded += count;
    conflicts = 0;
  }
}

}  // namespace loci::service
