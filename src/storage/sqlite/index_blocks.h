// How a segment of the merged index tier (index_writes.h) keeps its posting lists: in blocks
// of a few kilobytes, each a row of `postings` holding consecutive keys of one kind with their
// lists (codec.h), keyed by its first key. A segment is so a handful of rows however many keys
// it has, which makes writing and merging segments cheap; a lookup seeks the one block whose
// range holds the key and scans it.
//
// A block's first_key is no greater than any key in it and greater than every key of the
// blocks before it, so removing keys from a block never needs a new first_key.
// Thread-safety: functions use the given connection, which the caller holds exclusively;
// writes run on the writer thread inside its transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// postings.kind. Written to disk: never renumber.
enum class EntryKind : std::int64_t { kTerm = 0, kAttribute = 1 };

// Writes one segment's posting lists, given in (kind, key) order, as blocks.
class BlockWriter {
 public:
  BlockWriter(Connection& db, std::int64_t user_ref, std::int64_t first_seq)
      : db_(db), user_ref_(user_ref), first_seq_(first_seq) {}

  // Adds the list of (kind, key); an empty list is skipped. Errors of the SQL.
  // REQUIRES: (kind, key) comes after every one added before; postings in seq order, none
  // below the segment's first_seq.
  Status Add(EntryKind kind, std::string_view key, std::span<const Posting> postings);
  // Writes the last block. Errors of the SQL.
  Status Finish();

 private:
  Status Flush();

  Connection& db_;
  std::int64_t user_ref_;
  std::int64_t first_seq_;
  EntryKind kind_ = EntryKind::kTerm;
  std::string first_key_;
  std::string block_;
};

// Seqs to take out of posting lists, by key.
using SeqsByKey = std::map<std::string, std::vector<std::int64_t>, std::less<>>;

// A block as stored.
struct StoredBlock {
  std::int64_t first_seq = 0;  // its segment
  EntryKind kind = EntryKind::kTerm;
  std::string lists;
};

// The blocks of the user's segments from `first_seq` on, in segment, kind and key order.
Result<std::vector<StoredBlock>> ReadBlocks(Connection& db, std::int64_t user_ref,
                                            std::int64_t first_seq);

// Appends the postings of the user's list for (kind, key) in the segment starting at
// `first_seq` to `out` (attributes' with term frequency and document length 0); false when the
// segment has no such list. Corruption for a malformed block.
Result<bool> ReadPostingList(Connection& db, std::int64_t user_ref, std::int64_t first_seq,
                             EntryKind kind, std::string_view key, std::vector<Posting>* out);

// Takes the postings of the given seqs out of the lists of the segment starting at
// `first_seq`, by key (of `kind`); rewrites each block once, and deletes a block left empty.
Status RemoveFromLists(Connection& db, std::int64_t user_ref, std::int64_t first_seq,
                       EntryKind kind, const SeqsByKey& seqs);

}  // namespace loci::storage::sqlite
