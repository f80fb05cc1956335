#include "storage/sqlite/index_writes.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>
#include <utility>

#include "storage/sqlite/codec.h"
#include "storage/sqlite/rows.h"

namespace loci::storage::sqlite {
namespace {

// A user's newest kFanout segments of one level are merged into one of the next level...
constexpr std::size_t kFanout = 4;
// ...up to this level: a merge into it rewrites kFanout^kTopLevel merges' worth of postings
// (with the default threshold, about a million), which bounds how long it holds the writer.
constexpr std::int64_t kTopLevel = 4;
// Messages per segment when the index is rebuilt.
constexpr std::int64_t kRebuildMessages = 1000;

// One posting of one key, while a segment is assembled.
struct KeyedPosting {
  EntryKind kind;
  std::string_view key;
  Posting posting;
};

// Orders postings as the postings table's primary key orders their lists (std::string_view
// compares bytes as unsigned, as SQLite compares blobs), then by seq.
bool KeyOrder(const KeyedPosting& a, const KeyedPosting& b) {
  return std::tie(a.kind, a.key, a.posting.seq) < std::tie(b.kind, b.key, b.posting.seq);
}

Result<std::int64_t> MergedSeq(Connection& db, std::int64_t user_ref) {
  ASSIGN_OR_RETURN(Statement query, db.Prepare("SELECT merged_seq FROM users WHERE id = ?1"));
  query.Bind(1, user_ref);
  ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return Internal("sqlite: index maintenance for a missing user row");
  return query.Int(0);
}

// Adds the message's entries to `postings`, the keys viewing `message` and `attributes`.
Status AddMessage(const IndexedMessage& message, std::vector<std::string>& attributes,
                  std::vector<KeyedPosting>& postings) {
  TermListReader terms(message.index_terms);
  std::string_view term;
  int count = 0;
  while (terms.Next(&term, &count)) {
    postings.push_back({.kind = EntryKind::kTerm,
                        .key = term,
                        .posting = {.seq = message.seq,
                                    .term_frequency = count,
                                    .document_length = static_cast<int>(message.term_count)}});
  }
  RETURN_IF_ERROR(terms.status());
  ASSIGN_OR_RETURN(attributes, DecodeEntries(message.index_attributes));
  for (const std::string& attribute : attributes) {
    postings.push_back(
        {.kind = EntryKind::kAttribute, .key = attribute, .posting = {.seq = message.seq}});
  }
  return Status::Ok();
}

Status InsertSegment(Connection& db, std::int64_t user_ref, const Segment& segment) {
  ASSIGN_OR_RETURN(Statement add, db.Prepare("INSERT INTO segments (user_ref, first_seq, level)"
                                             " VALUES (?1, ?2, ?3)"));
  return add.Bind(1, user_ref).Bind(2, segment.first_seq).Bind(3, segment.level).Run();
}

// Replaces the user's segments from `first_seq` on (the newest ones) with one of `level`.
Status MergeSegments(Connection& db, std::int64_t user_ref, std::int64_t first_seq,
                     std::int64_t level) {
  struct StoredList {
    EntryKind kind;
    std::string_view key;  // into `blocks`
    std::int64_t first_seq;
    std::string_view postings;
  };
  ASSIGN_OR_RETURN(std::vector<StoredBlock> blocks, ReadBlocks(db, user_ref, first_seq));
  std::vector<StoredList> lists;
  for (const StoredBlock& block : blocks) {
    ListBlockReader reader(block.lists);
    std::string_view key;
    std::string_view postings;
    while (reader.Next(&key, &postings))
      lists.push_back({block.kind, key, block.first_seq, postings});
    RETURN_IF_ERROR(reader.status());
  }
  for (const char* sql : {"DELETE FROM postings WHERE user_ref = ?1 AND first_seq >= ?2",
                          "DELETE FROM segments WHERE user_ref = ?1 AND first_seq >= ?2"}) {
    ASSIGN_OR_RETURN(Statement remove, db.Prepare(sql));
    RETURN_IF_ERROR(remove.Bind(1, user_ref).Bind(2, first_seq).Run());
  }
  // Stable: a key's lists stay in segment order, so their postings stay in seq order.
  std::stable_sort(lists.begin(), lists.end(), [](const StoredList& a, const StoredList& b) {
    return std::tie(a.kind, a.key) < std::tie(b.kind, b.key);
  });
  RETURN_IF_ERROR(InsertSegment(db, user_ref, {.first_seq = first_seq, .level = level}));
  BlockWriter writer(db, user_ref, first_seq);
  std::vector<Posting> postings;
  for (auto list = lists.begin(); list != lists.end();) {
    postings.clear();
    auto same_key = list;
    for (; same_key != lists.end() && same_key->kind == list->kind && same_key->key == list->key;
         ++same_key) {
      RETURN_IF_ERROR(DecodePostings(same_key->postings, same_key->first_seq,
                                     same_key->kind == EntryKind::kTerm, &postings));
    }
    RETURN_IF_ERROR(writer.Add(list->kind, list->key, postings));
    list = same_key;
  }
  return writer.Finish();
}

// Merges the user's newest segments for as long as the newest kFanout share a level below the
// top one.
Status MergeLevels(Connection& db, std::int64_t user_ref) {
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<Segment> segments, ReadSegments(db, user_ref));
    if (segments.size() < kFanout) return Status::Ok();
    auto newest = segments.end() - kFanout;
    std::int64_t level = newest->level;
    if (level >= kTopLevel ||
        !std::all_of(newest, segments.end(), [&](const Segment& s) { return s.level == level; })) {
      return Status::Ok();
    }
    RETURN_IF_ERROR(MergeSegments(db, user_ref, newest->first_seq, level + 1));
  }
}

// Writes `messages`, the user's oldest unmerged ones, as a new segment and advances
// users.merged_seq past them (from `merged_seq`); returns the new merged_seq.
Result<std::int64_t> MergeMessages(Connection& db, std::int64_t user_ref, std::int64_t merged_seq,
                                   const std::vector<IndexedMessage>& messages) {
  if (messages.empty()) return merged_seq;
  std::vector<std::vector<std::string>> attributes(messages.size());  // viewed by `postings`
  std::vector<KeyedPosting> postings;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    RETURN_IF_ERROR(AddMessage(messages[i], attributes[i], postings));
  }
  std::sort(postings.begin(), postings.end(), KeyOrder);
  const Segment segment{.first_seq = merged_seq + 1, .level = 0};
  RETURN_IF_ERROR(InsertSegment(db, user_ref, segment));
  BlockWriter writer(db, user_ref, segment.first_seq);
  std::vector<Posting> list;
  for (auto posting = postings.begin(); posting != postings.end();) {
    list.clear();
    auto same_key = posting;
    for (; same_key != postings.end() && same_key->kind == posting->kind &&
           same_key->key == posting->key;
         ++same_key) {
      if (!list.empty() && list.back().seq == same_key->posting.seq) {
        list.back().term_frequency += same_key->posting.term_frequency;  // a term listed twice
      } else {
        list.push_back(same_key->posting);
      }
    }
    RETURN_IF_ERROR(writer.Add(posting->kind, posting->key, list));
    posting = same_key;
  }
  RETURN_IF_ERROR(writer.Finish());
  merged_seq = messages.back().seq;
  ASSIGN_OR_RETURN(Statement update, db.Prepare("UPDATE users SET merged_seq = ?2 WHERE id = ?1"));
  RETURN_IF_ERROR(update.Bind(1, user_ref).Bind(2, merged_seq).Run());
  RETURN_IF_ERROR(MergeLevels(db, user_ref));
  return merged_seq;
}

}  // namespace

Result<std::vector<IndexedMessage>> ReadUnmerged(Connection& db, std::int64_t user_ref,
                                                 std::int64_t merged_seq,
                                                 std::optional<std::int64_t> session_ref,
                                                 const MessageFilter& filter,
                                                 std::optional<std::int64_t> limit) {
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
  if (limit) sql += " LIMIT ?7";
  ASSIGN_OR_RETURN(Statement query, db.Prepare(sql));
  query.Bind(1, user_ref).Bind(2, merged_seq);
  if (session_ref) query.Bind(3, *session_ref);
  if (!filter.roles.empty()) query.Bind(4, RoleMask(filter.roles));
  if (filter.since) query.Bind(5, *filter.since);
  if (filter.until) query.Bind(6, *filter.until);
  if (limit) query.Bind(7, *limit);
  std::vector<IndexedMessage> messages;
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

Result<std::vector<Segment>> ReadSegments(Connection& db, std::int64_t user_ref) {
  ASSIGN_OR_RETURN(Statement query, db.Prepare("SELECT first_seq, level FROM segments"
                                               " WHERE user_ref = ?1 ORDER BY first_seq"));
  query.Bind(1, user_ref);
  std::vector<Segment> segments;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    segments.push_back({.first_seq = query.Int(0), .level = query.Int(1)});
  }
  return segments;
}

Status MergeUserEntries(Connection& db, std::int64_t user_ref) {
  ASSIGN_OR_RETURN(std::int64_t merged_seq, MergedSeq(db, user_ref));
  ASSIGN_OR_RETURN(std::vector<IndexedMessage> messages,
                   ReadUnmerged(db, user_ref, merged_seq, std::nullopt, MessageFilter{}));
  RETURN_IF_ERROR(MergeMessages(db, user_ref, merged_seq, messages).status());
  ASSIGN_OR_RETURN(Statement reset,
                   db.Prepare("UPDATE users SET unmerged_entries = 0 WHERE id = ?1"));
  return reset.Bind(1, user_ref).Run();
}

Status RemoveEntries(Connection& db, std::int64_t user_ref,
                     const std::vector<IndexedMessage>& messages) {
  ASSIGN_OR_RETURN(std::int64_t merged_seq, MergedSeq(db, user_ref));
  std::int64_t unmerged_entries = 0;
  std::optional<std::vector<Segment>> segments;  // read once, when a merged message comes
  // The seqs to take out of the lists, by segment and kind.
  std::map<std::pair<std::int64_t, EntryKind>, SeqsByKey> removals;
  for (const IndexedMessage& message : messages) {
    ASSIGN_OR_RETURN(std::vector<TermFrequency> terms, DecodeTerms(message.index_terms));
    ASSIGN_OR_RETURN(std::vector<std::string> attributes, DecodeEntries(message.index_attributes));
    if (message.seq > merged_seq) {  // unmerged: the entries go with the row
      unmerged_entries += static_cast<std::int64_t>(terms.size() + attributes.size());
      continue;
    }
    if (!segments) {
      ASSIGN_OR_RETURN(segments, ReadSegments(db, user_ref));
    }
    auto after = std::upper_bound(
        segments->begin(), segments->end(), message.seq,
        [](std::int64_t seq, const Segment& segment) { return seq < segment.first_seq; });
    if (after == segments->begin()) continue;  // no segment covers it: nothing to remove
    const std::int64_t first_seq = std::prev(after)->first_seq;
    SeqsByKey& term_seqs = removals[{first_seq, EntryKind::kTerm}];
    for (TermFrequency& term : terms) term_seqs[std::move(term.term)].push_back(message.seq);
    SeqsByKey& attribute_seqs = removals[{first_seq, EntryKind::kAttribute}];
    for (std::string& attribute : attributes) {
      attribute_seqs[std::move(attribute)].push_back(message.seq);
    }
  }
  for (const auto& [list, seqs] : removals) {
    RETURN_IF_ERROR(RemoveFromLists(db, user_ref, list.first, list.second, seqs));
  }
  if (unmerged_entries == 0) return Status::Ok();
  ASSIGN_OR_RETURN(Statement count,
                   db.Prepare("UPDATE users SET unmerged_entries = max(0, unmerged_entries - ?2)"
                              " WHERE id = ?1"));
  return count.Bind(1, user_ref).Bind(2, unmerged_entries).Run();
}

Status RemoveUserEntries(Connection& db, std::int64_t user_ref) {
  for (const char* sql :
       {"DELETE FROM postings WHERE user_ref = ?1", "DELETE FROM segments WHERE user_ref = ?1"}) {
    ASSIGN_OR_RETURN(Statement remove, db.Prepare(sql));
    RETURN_IF_ERROR(remove.Bind(1, user_ref).Run());
  }
  return Status::Ok();
}

Status RebuildIndex(Connection& db) {
  std::vector<std::int64_t> users;
  {
    ASSIGN_OR_RETURN(Statement query, db.Prepare("SELECT id FROM users ORDER BY id"));
    for (;;) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      users.push_back(query.Int(0));
    }
  }
  for (std::int64_t user_ref : users) {
    std::int64_t merged_seq = 0;
    for (;;) {
      ASSIGN_OR_RETURN(
          std::vector<IndexedMessage> messages,
          ReadUnmerged(db, user_ref, merged_seq, std::nullopt, MessageFilter{}, kRebuildMessages));
      if (messages.empty()) break;
      ASSIGN_OR_RETURN(merged_seq, MergeMessages(db, user_ref, merged_seq, messages));
    }
  }
  return Status::Ok();
}

}  // namespace loci::storage::sqlite
