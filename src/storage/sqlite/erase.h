// The erasures of Store for SQLite. Each keeps the index consistent with the messages that
// remain: index entries (terms and attributes), the user's corpus statistics and the
// session's counters.
//
// A session whose last message is erased is dropped, so Sessions() and LatestSession() only
// ever name sessions that hold messages. The user row stays until EraseUser (it will hold the
// user's keys and settings). Idempotency keys outlive the erasure of their messages, so that a
// retried request cannot bring erased content back; they go with the user.
// Thread-safety: run on the writer thread, inside the writer's transaction.
#pragma once

#include <cstdint>
#include <string>

#include "model/message.h"
#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// Everything of the user: messages, sessions (and their summaries), index entries, statistics,
// idempotency keys and the user row. Zero counts and existed = false for an unknown user.
Result<UserErasure> ApplyEraseUser(Connection& db, const model::UserRef& user);

// The session and its messages; returns how many messages went. NotFound for an unknown
// user or session.
Result<std::int64_t> ApplyEraseSession(Connection& db, const model::UserRef& user,
                                       const std::string& session_id);

// One message of the user; what became of its session. NotFound when the user has no message
// with that id.
Result<MessageErasure> ApplyEraseMessage(Connection& db, const model::UserRef& user,
                                         const std::string& message_id);

// Shared with the retention purge (purge.cpp):
// Takes `messages` messages of total term_count `length` off the user's corpus statistics.
Status SubtractFromUser(Connection& db, std::int64_t user_ref, std::int64_t messages,
                        std::int64_t length);
struct SessionRefresh {
  bool removed = false;          // no message remained: the session (and its summary) went
  bool summary_dropped = false;  // it remains, and its summary covered an erased message
};
// Recomputes a session's counters from its remaining messages, or drops the session when none
// remain. A summary that covered an erased message is dropped (summaries.h).
Result<SessionRefresh> RefreshSession(Connection& db, std::int64_t session_ref);

}  // namespace loci::storage::sqlite
