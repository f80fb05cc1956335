#include "service/user_export.h"

#include <algorithm>

namespace loci::service {

Result<std::unique_ptr<UserExport>> StoreUserExport::Begin(storage::Store& store,
                                                           model::UserRef user,
                                                           model::PrivacySettings privacy,
                                                           UnixMillis now, int page_messages) {
  ASSIGN_OR_RETURN(std::vector<model::SessionInfo> sessions, store.Sessions(user));
  // A user exists for the API while it holds messages (sessions exist only then), as with the
  // other routes that name one.
  if (sessions.empty()) return NotFound("no data is held about this user");
  ExportHeader header;
  header.user_id = user.user_id;
  header.exported_at = now;
  header.privacy = privacy;
  ASSIGN_OR_RETURN(storage::PreferenceSnapshot preferences, store.Preferences(user));
  header.preferences = std::move(preferences.preferences);
  std::int64_t through_seq = 0;
  for (const model::SessionInfo& session : sessions) {
    header.message_count += session.message_count;
    through_seq = std::max(through_seq, session.last_seq);
  }
  header.sessions = std::move(sessions);
  ASSIGN_OR_RETURN(std::vector<storage::SessionSummary> summaries, store.Summaries(user));
  header.summaries.reserve(summaries.size());
  for (storage::SessionSummary& summary : summaries) {
    header.summaries.push_back({.session_id = std::move(summary.session_id),
                                .summary = {std::move(summary.text),
                                            std::move(summary.covers_until), summary.message_count},
                                .updated_at = summary.updated_at});
  }
  return std::unique_ptr<UserExport>(std::make_unique<StoreUserExport>(
      store, std::move(user), std::move(header), through_seq, std::max(1, page_messages)));
}

StoreUserExport::StoreUserExport(storage::Store& store, model::UserRef user, ExportHeader header,
                                 std::int64_t through_seq, int page_messages)
    : store_(store),
      user_(std::move(user)),
      header_(std::move(header)),
      through_seq_(through_seq),
      page_messages_(page_messages) {}

Result<std::vector<model::Message>> StoreUserExport::NextPage() {
  if (done_) return std::vector<model::Message>();
  ASSIGN_OR_RETURN(std::vector<model::Message> page,
                   store_.UserMessages(user_, after_seq_, page_messages_));
  // Messages stored after the export began come last in seq order: cut them off.
  const auto past = std::find_if(page.begin(), page.end(), [this](const model::Message& message) {
    return message.seq > through_seq_;
  });
  if (past != page.end() || page.size() < static_cast<std::size_t>(page_messages_)) done_ = true;
  page.erase(past, page.end());
  if (!page.empty()) after_seq_ = page.back().seq;
  return page;
}

}  // namespace loci::service
