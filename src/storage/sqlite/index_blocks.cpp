#include "storage/sqlite/index_blocks.h"

#include <algorithm>

#include "storage/sqlite/codec.h"

namespace loci::storage::sqlite {
namespace {

// A block is written once it holds this many bytes, so that with 4 KiB pages most rows fit in
// their leaf page (SQLite moves the part of a row past about 1,000 bytes to overflow pages):
// a lookup reads one page and scans at most about a kilobyte.
constexpr std::size_t kBlockBytes = 900;

// The statement that finds the block whose range holds key ?4 of (user ?1, segment ?2, kind
// ?3): the one with the greatest first_key not above it.
constexpr std::string_view kFindBlock =
    "SELECT first_key, lists FROM postings"
    " WHERE user_ref = ?1 AND first_seq = ?2 AND kind = ?3 AND first_key <= ?4"
    " ORDER BY first_key DESC LIMIT 1";

Result<Statement> PrepareFind(Connection& db, std::int64_t user_ref, std::int64_t first_seq,
                              EntryKind kind) {
  ASSIGN_OR_RETURN(Statement find, db.Prepare(kFindBlock));
  find.Bind(1, user_ref).Bind(2, first_seq).Bind(3, static_cast<std::int64_t>(kind));
  return find;
}

// Rewrites the block at (user, segment, kind, first_key) without the postings of `seqs`, by
// key; deletes it when no list remains.
Status RewriteBlock(Connection& db, std::int64_t user_ref, std::int64_t first_seq, EntryKind kind,
                    const std::string& first_key, std::string_view lists, const SeqsByKey& seqs) {
  const bool counts = kind == EntryKind::kTerm;
  std::string rewritten;
  std::vector<Posting> postings;
  std::vector<std::int64_t> drop;
  ListBlockReader reader(lists);
  std::string_view key;
  std::string_view list;
  while (reader.Next(&key, &list)) {
    auto removal = seqs.find(key);
    if (removal == seqs.end()) {
      AppendEntry(key, &rewritten);
      AppendEntry(list, &rewritten);
      continue;
    }
    postings.clear();
    RETURN_IF_ERROR(DecodePostings(list, first_seq, counts, &postings));
    drop = removal->second;
    std::sort(drop.begin(), drop.end());
    std::erase_if(postings, [&](const Posting& posting) {
      return std::binary_search(drop.begin(), drop.end(), posting.seq);
    });
    if (postings.empty()) continue;
    AppendEntry(key, &rewritten);
    AppendEntry(EncodePostings(first_seq, postings, counts), &rewritten);
  }
  RETURN_IF_ERROR(reader.status());
  ASSIGN_OR_RETURN(
      Statement write,
      db.Prepare(rewritten.empty() ? "DELETE FROM postings WHERE user_ref = ?1 AND first_seq = ?2"
                                     " AND kind = ?3 AND first_key = ?4"
                                   : "UPDATE postings SET lists = ?5 WHERE user_ref = ?1"
                                     " AND first_seq = ?2 AND kind = ?3 AND first_key = ?4"));
  write.Bind(1, user_ref).Bind(2, first_seq).Bind(3, static_cast<std::int64_t>(kind));
  write.BindBlob(4, first_key);
  if (!rewritten.empty()) write.BindBlob(5, rewritten);
  return write.Run();
}

}  // namespace

Status BlockWriter::Add(EntryKind kind, std::string_view key, std::span<const Posting> postings) {
  if (postings.empty()) return Status::Ok();
  if (!block_.empty() && kind != kind_) RETURN_IF_ERROR(Flush());
  if (block_.empty()) {
    kind_ = kind;
    first_key_.assign(key);
  }
  AppendEntry(key, &block_);
  AppendEntry(EncodePostings(first_seq_, postings, kind == EntryKind::kTerm), &block_);
  return block_.size() >= kBlockBytes ? Flush() : Status::Ok();
}

Status BlockWriter::Finish() { return Flush(); }

Status BlockWriter::Flush() {
  if (block_.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO postings (user_ref, first_seq, kind, first_key, lists)"
                               " VALUES (?1, ?2, ?3, ?4, ?5)"));
  RETURN_IF_ERROR(insert.Bind(1, user_ref_)
                      .Bind(2, first_seq_)
                      .Bind(3, static_cast<std::int64_t>(kind_))
                      .BindBlob(4, first_key_)
                      .BindBlob(5, block_)
                      .Run());
  block_.clear();
  return Status::Ok();
}

Result<std::vector<StoredBlock>> ReadBlocks(Connection& db, std::int64_t user_ref,
                                            std::int64_t first_seq) {
  ASSIGN_OR_RETURN(Statement rows, db.Prepare("SELECT first_seq, kind, lists FROM postings"
                                              " WHERE user_ref = ?1 AND first_seq >= ?2"
                                              " ORDER BY first_seq, kind, first_key"));
  rows.Bind(1, user_ref).Bind(2, first_seq);
  std::vector<StoredBlock> blocks;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, rows.Step());
    if (!row) break;
    blocks.push_back({.first_seq = rows.Int(0),
                      .kind = static_cast<EntryKind>(rows.Int(1)),
                      .lists = rows.Text(2)});
  }
  return blocks;
}

Result<bool> ReadPostingList(Connection& db, std::int64_t user_ref, std::int64_t first_seq,
                             EntryKind kind, std::string_view key, std::vector<Posting>* out) {
  ASSIGN_OR_RETURN(Statement find, PrepareFind(db, user_ref, first_seq, kind));
  ASSIGN_OR_RETURN(bool row, find.BindBlob(4, key).Step());
  if (!row) return false;
  ListBlockReader reader(find.View(1));
  std::string_view stored;
  std::string_view list;
  while (reader.Next(&stored, &list)) {
    if (stored == key) {
      RETURN_IF_ERROR(DecodePostings(list, first_seq, kind == EntryKind::kTerm, out));
      return true;
    }
    if (stored > key) break;  // keys are in order
  }
  RETURN_IF_ERROR(reader.status());
  return false;
}

Status RemoveFromLists(Connection& db, std::int64_t user_ref, std::int64_t first_seq,
                       EntryKind kind, const SeqsByKey& seqs) {
  // The blocks that hold the keys, by first_key; each is rewritten once.
  std::map<std::string, std::string, std::less<>> blocks;
  {
    ASSIGN_OR_RETURN(Statement find, PrepareFind(db, user_ref, first_seq, kind));
    for (const auto& [key, unused] : seqs) {
      ASSIGN_OR_RETURN(bool row, find.BindBlob(4, key).Step());
      if (row && !blocks.contains(find.View(0))) blocks.emplace(find.Text(0), find.Text(1));
      find.Reset();
    }
  }
  for (const auto& [first_key, lists] : blocks) {
    RETURN_IF_ERROR(RewriteBlock(db, user_ref, first_seq, kind, first_key, lists, seqs));
  }
  return Status::Ok();
}

}  // namespace loci::storage::sqlite
