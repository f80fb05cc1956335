#include <algorithm>
#include <iterator>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "storage/sqlite/codec.h"
#include "storage/sqlite/index_writes.h"
#include "storage/sqlite/queries.h"
#include "storage/sqlite/rows.h"

namespace loci::storage::sqlite {
namespace {

// Keeps the seqs in both ascending lists.
std::vector<std::int64_t> Intersect(const std::vector<std::int64_t>& a,
                                    const std::vector<std::int64_t>& b) {
  std::vector<std::int64_t> both;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
  return both;
}

// The seqs of the user's merged messages that hold every one of `attributes`, ascending.
Result<std::vector<std::int64_t>> SeqsWithAttributes(Connection& db, std::int64_t user_ref,
                                                     const std::vector<Segment>& segments,
                                                     const std::vector<std::string>& attributes) {
  std::vector<std::int64_t> result;
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    std::vector<Posting> postings;
    for (const Segment& segment : segments) {
      RETURN_IF_ERROR(ReadPostingList(db, user_ref, segment.first_seq, EntryKind::kAttribute,
                                      attributes[i], &postings)
                          .status());
    }
    std::vector<std::int64_t> seqs;
    seqs.reserve(postings.size());
    for (const Posting& posting : postings) seqs.push_back(posting.seq);
    result = i == 0 ? std::move(seqs) : Intersect(result, seqs);
    if (result.empty()) break;
  }
  return result;
}

// The seqs of the session's messages that pass the filter's role and time conditions,
// ascending: one range of messages_by_session, so a session filter costs what the session
// holds rather than a lookup per posting.
Result<std::vector<std::int64_t>> SessionSeqs(Connection& db, std::int64_t session_ref,
                                              const MessageFilter& filter) {
  std::string sql = "SELECT seq FROM messages WHERE session_ref = ?1";
  if (!filter.roles.empty()) sql += " AND ((1 << role) & ?2) != 0";
  if (filter.since) sql += " AND created_at >= ?3";
  if (filter.until) sql += " AND created_at < ?4";
  ASSIGN_OR_RETURN(Statement query, db.Prepare(sql));
  query.Bind(1, session_ref);
  if (!filter.roles.empty()) query.Bind(2, RoleMask(filter.roles));
  if (filter.since) query.Bind(3, *filter.since);
  if (filter.until) query.Bind(4, *filter.until);
  std::vector<std::int64_t> seqs;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    seqs.push_back(query.Int(0));
  }
  std::sort(seqs.begin(), seqs.end());
  return seqs;
}

// Whether messages pass a filter's role and time conditions, each message looked up once per
// query (for filters without a session).
class MessageConditions {
 public:
  explicit MessageConditions(Connection& db, const MessageFilter& filter)
      : db_(db),
        role_mask_(filter.roles.empty() ? 0 : RoleMask(filter.roles)),
        since_(filter.since),
        until_(filter.until) {}

  // False when the filter has no such conditions: every message passes.
  bool any() const { return role_mask_ != 0 || since_ || until_; }

  Result<bool> Pass(std::int64_t seq) {
    auto [known, inserted] = passes_.try_emplace(seq, false);
    if (!inserted) return known->second;
    ASSIGN_OR_RETURN(Statement find,
                     db_.Prepare("SELECT role, created_at FROM messages WHERE seq = ?1"));
    ASSIGN_OR_RETURN(bool row, find.Bind(1, seq).Step());
    known->second = row &&
                    (role_mask_ == 0 || ((std::int64_t{1} << find.Int(0)) & role_mask_) != 0) &&
                    (!since_ || find.Int(1) >= *since_) && (!until_ || find.Int(1) < *until_);
    return known->second;
  }

 private:
  Connection& db_;
  std::int64_t role_mask_;
  std::optional<UnixMillis> since_;
  std::optional<UnixMillis> until_;
  std::unordered_map<std::int64_t, bool> passes_;
};

// Each term's postings in the user's segments that pass `filter`, in seq order: for each term,
// one posting list per segment.
Status AddMerged(Connection& db, std::int64_t user_ref, std::optional<std::int64_t> session_ref,
                 const MessageFilter& filter, std::vector<TermPostings>& result) {
  ASSIGN_OR_RETURN(std::vector<Segment> segments, ReadSegments(db, user_ref));
  if (segments.empty()) return Status::Ok();
  std::optional<std::vector<std::int64_t>> allowed;  // by the session and attribute filters
  if (session_ref) {
    ASSIGN_OR_RETURN(allowed, SessionSeqs(db, *session_ref, filter));
  }
  if (!filter.attributes.empty() && (!allowed || !allowed->empty())) {
    ASSIGN_OR_RETURN(std::vector<std::int64_t> with_attributes,
                     SeqsWithAttributes(db, user_ref, segments, filter.attributes));
    allowed = allowed ? Intersect(*allowed, with_attributes) : std::move(with_attributes);
  }
  if (allowed && allowed->empty()) return Status::Ok();
  // Without a session, the role and time conditions are checked per posting.
  MessageConditions conditions(db, session_ref ? MessageFilter{} : filter);
  std::vector<Posting> postings;
  for (TermPostings& term : result) {
    postings.clear();
    for (const Segment& segment : segments) {
      RETURN_IF_ERROR(
          ReadPostingList(db, user_ref, segment.first_seq, EntryKind::kTerm, term.term, &postings)
              .status());
    }
    for (const Posting& posting : postings) {
      if (allowed && !std::binary_search(allowed->begin(), allowed->end(), posting.seq)) continue;
      if (conditions.any()) {
        ASSIGN_OR_RETURN(bool pass, conditions.Pass(posting.seq));
        if (!pass) continue;
      }
      term.postings.push_back(posting);
    }
  }
  return Status::Ok();
}

Status AddUnmerged(Connection& db, std::int64_t user_ref, std::int64_t merged_seq,
                   std::optional<std::int64_t> session_ref, const MessageFilter& filter,
                   std::vector<TermPostings>& result) {
  ASSIGN_OR_RETURN(std::vector<IndexedMessage> messages,
                   ReadUnmerged(db, user_ref, merged_seq, session_ref, filter));
  if (messages.empty()) return Status::Ok();
  std::unordered_multimap<std::string_view, std::size_t> wanted;  // a term may be asked twice
  for (std::size_t i = 0; i < result.size(); ++i) wanted.emplace(result[i].term, i);
  for (const IndexedMessage& message : messages) {
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
