// The inverted index's two tiers (schema in migrations.cpp) and their maintenance.
//
// Unmerged tier: each message row carries its own entries (terms with frequencies,
// attributes), so a store writes no index page; a user's messages with seq > merged_seq are
// the unmerged ones, found through their sessions (sessions.last_seq > merged_seq). Merged
// tier: `entries`, clustered by (user, kind, key, seq) for term lookups. A merge moves all of
// a user's unmerged messages at once, so every unmerged seq is newer than every merged one,
// and a message is in exactly one tier. users.unmerged_entries only decides when to merge.
// Thread-safety: functions use the given connection, which the caller holds exclusively;
// the writes run on the writer thread inside its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

enum class EntryKind : std::int64_t { kTerm = 0, kAttribute = 1 };

// What the index needs of an unmerged message.
struct UnmergedMessage {
  std::int64_t seq = 0;
  std::int64_t term_count = 0;
  std::string index_terms;       // codec.h term list
  std::string index_attributes;  // codec.h entry list
};

// The user's messages newer than `merged_seq`, in seq order, that are in the session
// `session_ref` (when given) and pass `filter`'s role and time conditions. (The filter's
// session and attributes are not looked at: the caller resolves and checks those.)
Result<std::vector<UnmergedMessage>> ReadUnmerged(Connection& db, std::int64_t user_ref,
                                                  std::int64_t merged_seq,
                                                  std::optional<std::int64_t> session_ref,
                                                  const MessageFilter& filter);

// Moves all of the user's unmerged messages into `entries` (sorted, so each touched page is
// written once) and advances users.merged_seq past them.
Status MergeUserEntries(Connection& db, std::int64_t user_ref);

// Takes message `seq` (indexed under the encoded `index_terms` and `index_attributes`) out of
// the index, whichever tier holds it. REQUIRES: called before the message row is deleted.
Status RemoveEntries(Connection& db, std::int64_t user_ref, std::int64_t seq,
                     std::string_view index_terms, std::string_view index_attributes);

}  // namespace loci::storage::sqlite
