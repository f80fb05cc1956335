#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "storage/sqlite/codec.h"
#include "storage/sqlite/index_writes.h"
#include "storage/sqlite/queries.h"
#include "storage/sqlite/rows.h"

namespace loci::storage::sqlite {
namespace {

// Parameter numbers of the merged-tier query; the SQL names only those its filter uses.
constexpr int kUserParam = 1;
constexpr int kTermParam = 2;
constexpr int kSessionParam = 3;
constexpr int kRolesParam = 4;
constexpr int kSinceParam = 5;
constexpr int kUntilParam = 6;
constexpr int kFirstAttributeParam = 7;

// One term's merged postings that pass `filter`, in seq order. Statements are cached per SQL
// text, so each filter shape is prepared once per connection.
std::string MergedSql(const MessageFilter& filter) {
  bool joins_messages = filter.session_id || !filter.roles.empty() || filter.since || filter.until;
  std::string sql = "SELECT e.seq, e.tf, e.doc_len FROM entries e";
  if (joins_messages) sql += " JOIN messages m ON m.seq = e.seq";
  sql += " WHERE e.user_ref = ?1 AND e.kind = 0 AND e.key = ?2";
  if (filter.session_id) sql += " AND m.session_ref = ?3";
  if (!filter.roles.empty()) sql += " AND ((1 << m.role) & ?4) != 0";
  if (filter.since) sql += " AND m.created_at >= ?5";
  if (filter.until) sql += " AND m.created_at < ?6";
  for (std::size_t i = 0; i < filter.attributes.size(); ++i) {
    sql += " AND EXISTS (SELECT 1 FROM entries a WHERE a.user_ref = ?1 AND a.kind = 1";
    sql += " AND a.key = ?" + std::to_string(kFirstAttributeParam + i) + " AND a.seq = e.seq)";
  }
  sql += " ORDER BY e.seq";
  return sql;
}

Status AddMerged(Connection& db, std::int64_t user_ref, std::optional<std::int64_t> session_ref,
                 const MessageFilter& filter, std::vector<TermPostings>& result) {
  ASSIGN_OR_RETURN(Statement query, db.Prepare(MergedSql(filter)));
  query.Bind(kUserParam, user_ref);
  if (session_ref) query.Bind(kSessionParam, *session_ref);
  if (!filter.roles.empty()) query.Bind(kRolesParam, RoleMask(filter.roles));
  if (filter.since) query.Bind(kSinceParam, *filter.since);
  if (filter.until) query.Bind(kUntilParam, *filter.until);
  for (std::size_t i = 0; i < filter.attributes.size(); ++i) {
    query.BindBlob(kFirstAttributeParam + static_cast<int>(i), filter.attributes[i]);
  }
  for (TermPostings& term : result) {
    query.BindBlob(kTermParam, term.term);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      term.postings.push_back({.seq = query.Int(0),
                               .term_frequency = static_cast<int>(query.Int(1)),
                               .document_length = static_cast<int>(query.Int(2))});
    }
    query.Reset();
  }
  return Status::Ok();
}

Status AddUnmerged(Connection& db, std::int64_t user_ref, std::int64_t merged_seq,
                   std::optional<std::int64_t> session_ref, const MessageFilter& filter,
                   std::vector<TermPostings>& result) {
  ASSIGN_OR_RETURN(std::vector<UnmergedMessage> messages,
                   ReadUnmerged(db, user_ref, merged_seq, session_ref, filter));
  if (messages.empty()) return Status::Ok();
  std::unordered_multimap<std::string_view, std::size_t> wanted;  // a term may be asked twice
  for (std::size_t i = 0; i < result.size(); ++i) wanted.emplace(result[i].term, i);
  for (const UnmergedMessage& message : messages) {
    if (!filter.attributes.empty()) {
      ASSIGN_OR_RETURN(std::vector<std::string> attributes,
                       DecodeEntries(message.index_attributes));
      bool all = std::all_of(
          filter.attributes.begin(), filter.attributes.end(), [&](const std::string& attribute) {
            return std::find(attributes.begin(), attributes.end(), attribute) != attributes.end();
          });
      if (!all) continue;
    }
    TermListReader terms(message.index_terms);
    std::string_view term;
    int count = 0;
    while (terms.Next(&term, &count)) {
      auto [begin, end] = wanted.equal_range(term);
      for (auto it = begin; it != end; ++it) {
        std::vector<Posting>& postings = result[it->second].postings;
        if (!postings.empty() && postings.back().seq == message.seq) {
          postings.back().term_frequency += count;  // a term listed twice in one message
        } else {
          postings.push_back({.seq = message.seq,
                              .term_frequency = count,
                              .document_length = static_cast<int>(message.term_count)});
        }
      }
    }
    RETURN_IF_ERROR(terms.status());
  }
  return Status::Ok();
}

}  // namespace

Result<CorpusStats> QueryStats(Connection& db, const model::UserRef& user) {
  ASSIGN_OR_RETURN(Statement query, db.Prepare("SELECT document_count, total_length FROM users"
                                               " WHERE tenant = ?1 AND user_id = ?2"));
  query.BindText(1, user.tenant).BindText(2, user.user_id);
  ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return CorpusStats{};
  return CorpusStats{.documents = query.Int(0), .total_length = query.Int(1)};
}

Result<std::vector<TermPostings>> QueryPostings(Connection& db, const model::UserRef& user,
                                                const std::vector<std::string>& terms,
                                                const MessageFilter& filter) {
  std::vector<TermPostings> result;
  result.reserve(terms.size());
  for (const std::string& term : terms) result.push_back({.term = term, .postings = {}});
  if (terms.empty()) return result;

  std::int64_t user_ref = 0;
  std::int64_t merged_seq = 0;
  {
    ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT id, merged_seq FROM users"
                                                " WHERE tenant = ?1 AND user_id = ?2"));
    find.BindText(1, user.tenant).BindText(2, user.user_id);
    ASSIGN_OR_RETURN(bool row, find.Step());
    if (!row) return result;
    user_ref = find.Int(0);
    merged_seq = find.Int(1);
  }
  std::optional<std::int64_t> session_ref;
  if (filter.session_id) {
    ASSIGN_OR_RETURN(session_ref, FindSession(db, user_ref, *filter.session_id));
    if (!session_ref) return result;  // no such session: nothing passes the filter
  }
  // Merged first: every unmerged seq is newer, so each list stays in seq order.
  RETURN_IF_ERROR(AddMerged(db, user_ref, session_ref, filter, result));
  RETURN_IF_ERROR(AddUnmerged(db, user_ref, merged_seq, session_ref, filter, result));
  return result;
}

}  // namespace loci::storage::sqlite
