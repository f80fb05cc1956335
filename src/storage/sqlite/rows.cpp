#include "storage/sqlite/rows.h"

namespace loci::storage::sqlite {

std::int64_t RoleCode(model::Role role) {
  switch (role) {
    case model::Role::kUser:
      return 0;
    case model::Role::kAssistant:
      return 1;
    case model::Role::kSystem:
      return 2;
    case model::Role::kTool:
      return 3;
  }
  return 0;
}

Result<model::Role> RoleFromCode(std::int64_t code) {
  switch (code) {
    case 0:
      return model::Role::kUser;
    case 1:
      return model::Role::kAssistant;
    case 2:
      return model::Role::kSystem;
    case 3:
      return model::Role::kTool;
    default:
      return Corruption("sqlite: unknown role code " + std::to_string(code));
  }
}

std::int64_t RoleMask(const std::vector<model::Role>& roles) {
  std::int64_t mask = 0;
  for (model::Role role : roles) mask |= std::int64_t{1} << RoleCode(role);
  return mask;
}

Result<std::optional<std::int64_t>> FindUser(Connection& db, const model::UserRef& user) {
  ASSIGN_OR_RETURN(Statement find,
                   db.Prepare("SELECT id FROM users WHERE tenant = ?1 AND user_id = ?2"));
  find.BindText(1, user.tenant).BindText(2, user.user_id);
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(find.Int(0));
}

Result<std::optional<UserRow>> FindUserRow(Connection& db, const model::UserRef& user) {
  ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT id, data_key, unmerged_entries FROM users"
                                              " WHERE tenant = ?1 AND user_id = ?2"));
  find.BindText(1, user.tenant).BindText(2, user.user_id);
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<UserRow>();
  return std::optional<UserRow>(UserRow{
      .id = find.Int(0), .data_key = find.OptionalText(1), .unmerged_entries = find.Int(2)});
}

Result<std::optional<std::int64_t>> FindSession(Connection& db, std::int64_t user_ref,
                                                const std::string& session_id) {
  ASSIGN_OR_RETURN(Statement find,
                   db.Prepare("SELECT id FROM sessions WHERE user_ref = ?1 AND session_id = ?2"));
  find.Bind(1, user_ref).BindText(2, session_id);
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(find.Int(0));
}

Result<model::Message> ReadMessage(const Statement& row, const std::string& user_id) {
  model::Message message;
  message.seq = row.Int(0);
  message.id = row.Text(1);
  message.user_id = user_id;
  message.session_id = row.Text(2);
  ASSIGN_OR_RETURN(message.role, RoleFromCode(row.Int(3)));
  message.name = row.OptionalText(4);
  message.content = row.Text(5);
  message.created_at = row.Int(6);
  message.metadata_json = row.Text(7);
  message.token_count = static_cast<int>(row.Int(8));
  return message;
}

Result<std::vector<model::Message>> ReadMessages(Statement& query, const std::string& user_id) {
  std::vector<model::Message> messages;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(model::Message message, ReadMessage(query, user_id));
    messages.push_back(std::move(message));
  }
  return messages;
}

Result<std::int64_t> RequireSession(Connection& db, const model::UserRef& user,
                                    const std::string& session_id) {
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  std::optional<std::int64_t> session_ref;
  if (user_ref) {
    ASSIGN_OR_RETURN(session_ref, FindSession(db, *user_ref, session_id));
  }
  if (!session_ref) return NotFound("no such session");
  return *session_ref;
}

}  // namespace loci::storage::sqlite
