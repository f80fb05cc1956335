// The inverted index's two tiers (schema in migrations.cpp) and their maintenance.
//
// Unmerged tier: each message row carries its own entries (terms with frequencies,
// attributes), so a store writes no index page; a user's messages with seq > merged_seq are
// the unmerged ones. Merged tier: segments of posting lists. A merge moves all of a user's
// unmerged messages at once into a new segment, so every unmerged seq is newer than every
// merged one, and a message is in exactly one tier. users.unmerged_entries only decides when
// to merge.
//
// A segment holds one posting list (codec.h) per key of the messages it covers, and covers
// the seqs from its first_seq up to the next segment's (the newest: up to merged_seq). Its
// lists are kept in blocks of consecutive keys (index_blocks.h), clustered by segment, so
// writing a segment appends a few pages instead of touching a page per key of the user's whole
// index: a merge costs what the merged messages hold, not what the user has ever stored. To keep
// the segments a lookup must visit few, they are merged like a binary counter in base kFanout:
// whenever a user's newest kFanout segments share a level they become one segment of the next
// level, so a user has at most kFanout - 1 segments per level, and a posting is rewritten once per
// level. The top level (index_writes.cpp) bounds the work of one merge; above it segments
// accumulate. Erasing a message rewrites each posting list that holds it, so nothing of it remains.
// Thread-safety: functions use the given connection, which the caller holds exclusively;
// the writes run on the writer thread inside its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/sqlite/connection.h"
#include "storage/sqlite/index_blocks.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// What the index needs of a message: its own entries, as its row keeps them.
struct IndexedMessage {
  std::int64_t seq = 0;
  std::int64_t term_count = 0;
  std::string index_terms;       // codec.h term list
  std::string index_attributes;  // codec.h entry list
};

// The user's messages newer than `merged_seq`, in seq order, that are in the session
// `session_ref` (when given) and pass `filter`'s role and time conditions; at most `limit`
// when given. (The filter's session and attributes are not looked at: the caller resolves and
// checks those.)
Result<std::vector<IndexedMessage>> ReadUnmerged(Connection& db, std::int64_t user_ref,
                                                 std::int64_t merged_seq,
                                                 std::optional<std::int64_t> session_ref,
                                                 const MessageFilter& filter,
                                                 std::optional<std::int64_t> limit = {});

struct Segment {
  std::int64_t first_seq = 0;
  std::int64_t level = 0;  // 0 when made from unmerged messages; L + 1 when of level-L ones
};

// The user's segments, oldest first.
Result<std::vector<Segment>> ReadSegments(Connection& db, std::int64_t user_ref);

// Moves all of the user's unmerged messages into a new segment, advances users.merged_seq past
// them, and merges segments as the levels require.
Status MergeUserEntries(Connection& db, std::int64_t user_ref);

// Takes `messages` (of the user) out of the index, whichever tier holds each; a posting list
// that holds several of them is rewritten once. REQUIRES: called before the message rows are
// deleted.
Status RemoveEntries(Connection& db, std::int64_t user_ref,
                     const std::vector<IndexedMessage>& messages);

// Drops the user's whole merged tier (the unmerged one goes with the message rows).
Status RemoveUserEntries(Connection& db, std::int64_t user_ref);

// Builds every user's merged tier anew from the messages' own entries, merging all of them
// (schema version 7). REQUIRES: the merged tier is empty and users.merged_seq is 0.
Status RebuildIndex(Connection& db);

}  // namespace loci::storage::sqlite
