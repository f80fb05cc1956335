// The reads of Store for SQLite, as functions over one connection. Each is scoped to one
// user through the users table: another tenant's or user's rows are never read.
// Thread-safety: the caller holds `db` exclusively, with a read transaction open so that
// multi-statement reads see one snapshot.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/message.h"
#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// Messages (message_queries.cpp). Order within a session is arrival order (seq).
Result<std::vector<model::Message>> QueryRecentMessages(Connection& db, const model::UserRef& user,
                                                        const std::string& session_id, int limit);
Result<std::optional<std::string>> QueryLatestSession(Connection& db, const model::UserRef& user);
Result<std::vector<model::SessionInfo>> QuerySessions(Connection& db, const model::UserRef& user);
Result<std::optional<model::SessionInfo>> QuerySession(Connection& db, const model::UserRef& user,
                                                       const std::string& session_id);
Result<std::vector<model::Message>> QuerySessionMessages(
    Connection& db, const model::UserRef& user, const std::string& session_id, int limit,
    const std::optional<std::string>& before_id);
Result<std::vector<model::Message>> QuerySessionMessagesAfter(
    Connection& db, const model::UserRef& user, const std::string& session_id, int limit,
    const std::optional<std::string>& after_id);
Result<std::vector<model::Message>> QueryUserMessages(Connection& db, const model::UserRef& user,
                                                      std::int64_t after_seq, int limit);
// What QueryMessagesBySeq reads of each message: all of it, or all but content and metadata.
enum class MessageParts { kWhole, kHeaders };

Result<std::vector<model::Message>> QueryMessagesBySeq(Connection& db, const model::UserRef& user,
                                                       std::span<const std::int64_t> seqs,
                                                       MessageParts parts);

// The inverted index (index_queries.cpp). Postings of a term come in seq order.
Result<CorpusStats> QueryStats(Connection& db, const model::UserRef& user);
Result<std::vector<TermPostings>> QueryPostings(Connection& db, const model::UserRef& user,
                                                const std::vector<std::string>& terms,
                                                const MessageFilter& filter);

}  // namespace loci::storage::sqlite
