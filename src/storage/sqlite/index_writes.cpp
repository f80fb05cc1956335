#include "storage/sqlite/index_writes.h"

#include <algorithm>
#include <tuple>

#include "storage/sqlite/codec.h"
#include "storage/sqlite/rows.h"

namespace loci::storage::sqlite {
namespace {

Result<std::int64_t> MergedSeq(Connection& db, std::int64_t user_ref) {
  ASSIGN_OR_RETURN(Statement query, db.Prepare("SELECT merged_seq FROM users WHERE id = ?1"));
  query.Bind(1, user_ref);
  ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return Internal("sqlite: index maintenance for a missing user row");
  return query.Int(0);
}

struct EntryRow {
  EntryKind kind;
  std::string key;
  std::int64_t seq;
  std::int64_t tf;
  std::int64_t doc_len;
};

}  // namespace

Result<std::vector<UnmergedMessage>> ReadUnmerged(Connection& db, std::int64_t user_ref,
                                                  std::int64_t merged_seq,
                                                  std::optional<std::int64_t> session_ref,
                                                  const MessageFilter& filter) {
  // One range of messages_by_user, which is keyed (user_ref, seq): the unmerged messages are
  // the newest, so this reads only them, however long the user's history.
  std::string sql =
      "SELECT m.seq, m.term_count, m.index_terms, m.index_attributes"
      " FROM messages m INDEXED BY messages_by_user"
      " WHERE m.user_ref = ?1 AND m.seq > ?2";
  if (session_ref) sql += " AND m.session_ref = ?3";
  if (!filter.roles.empty()) sql += " AND ((1 << m.role) & ?4) != 0";
  if (filter.since) sql += " AND m.created_at >= ?5";
  if (filter.until) sql += " AND m.created_at < ?6";
  sql += " ORDER BY m.seq";
  ASSIGN_OR_RETURN(Statement query, db.Prepare(sql));
  query.Bind(1, user_ref).Bind(2, merged_seq);
  if (session_ref) query.Bind(3, *session_ref);
  if (!filter.roles.empty()) query.Bind(4, RoleMask(filter.roles));
  if (filter.since) query.Bind(5, *filter.since);
  if (filter.until) query.Bind(6, *filter.until);
  std::vector<UnmergedMessage> messages;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    messages.push_back({.seq = query.Int(0),
                        .term_count = query.Int(1),
                        .index_terms = query.Text(2),
                        .index_attributes = query.Text(3)});
  }
  return messages;
}

Status MergeUserEntries(Connection& db, std::int64_t user_ref) {
  ASSIGN_OR_RETURN(std::int64_t merged_seq, MergedSeq(db, user_ref));
  ASSIGN_OR_RETURN(std::vector<UnmergedMessage> messages,
                   ReadUnmerged(db, user_ref, merged_seq, std::nullopt, MessageFilter{}));
  std::vector<EntryRow> rows;
  for (const UnmergedMessage& message : messages) {
    ASSIGN_OR_RETURN(std::vector<TermFrequency> terms, DecodeTerms(message.index_terms));
    ASSIGN_OR_RETURN(std::vector<std::string> attributes, DecodeEntries(message.index_attributes));
    for (TermFrequency& term : terms) {
      rows.push_back(
          {EntryKind::kTerm, std::move(term.term), message.seq, term.count, message.term_count});
    }
    for (std::string& attribute : attributes) {
      rows.push_back({EntryKind::kAttribute, std::move(attribute), message.seq, 0, 0});
    }
    merged_seq = std::max(merged_seq, message.seq);
  }
  std::sort(rows.begin(), rows.end(), [](const EntryRow& a, const EntryRow& b) {
    return std::tie(a.kind, a.key, a.seq) < std::tie(b.kind, b.key, b.seq);
  });
  ASSIGN_OR_RETURN(Statement insert,
                   db.Prepare("INSERT INTO entries (user_ref, kind, key, seq, tf, doc_len)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                              " ON CONFLICT DO UPDATE SET tf = tf + excluded.tf"));
  insert.Bind(1, user_ref);
  for (const EntryRow& row : rows) {
    RETURN_IF_ERROR(insert.Bind(2, static_cast<std::int64_t>(row.kind))
                        .BindBlob(3, row.key)
                        .Bind(4, row.seq)
                        .Bind(5, row.tf)
                        .Bind(6, row.doc_len)
                        .Run());
  }
  ASSIGN_OR_RETURN(Statement update,
                   db.Prepare("UPDATE users SET merged_seq = ?2, unmerged_entries = 0"
                              " WHERE id = ?1"));
  return update.Bind(1, user_ref).Bind(2, merged_seq).Run();
}

Status RemoveEntries(Connection& db, std::int64_t user_ref, std::int64_t seq,
                     std::string_view index_terms, std::string_view index_attributes) {
  ASSIGN_OR_RETURN(std::int64_t merged_seq, MergedSeq(db, user_ref));
  ASSIGN_OR_RETURN(std::vector<TermFrequency> terms, DecodeTerms(index_terms));
  ASSIGN_OR_RETURN(std::vector<std::string> attributes, DecodeEntries(index_attributes));
  if (seq > merged_seq) {  // unmerged: the entries go with the row
    ASSIGN_OR_RETURN(Statement count,
                     db.Prepare("UPDATE users SET unmerged_entries = max(0, unmerged_entries - ?2)"
                                " WHERE id = ?1"));
    return count.Bind(1, user_ref)
        .Bind(2, static_cast<std::int64_t>(terms.size() + attributes.size()))
        .Run();
  }
  ASSIGN_OR_RETURN(Statement remove,
                   db.Prepare("DELETE FROM entries"
                              " WHERE user_ref = ?1 AND kind = ?2 AND key = ?3 AND seq = ?4"));
  remove.Bind(1, user_ref).Bind(4, seq);
  remove.Bind(2, static_cast<std::int64_t>(EntryKind::kTerm));
  for (const TermFrequency& term : terms) RETURN_IF_ERROR(remove.BindBlob(3, term.term).Run());
  remove.Bind(2, static_cast<std::int64_t>(EntryKind::kAttribute));
  for (const std::string& attribute : attributes) {
    RETURN_IF_ERROR(remove.BindBlob(3, attribute).Run());
  }
  return Status::Ok();
}

}  // namespace loci::storage::sqlite
