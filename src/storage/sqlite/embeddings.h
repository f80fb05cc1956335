// Message vectors for SQLite (schema version 10 in migrations.cpp): writes with a message or
// later, the backlog of messages without one, and a user's vectors for a search. Erasure needs
// nothing here: the foreign key to messages takes a message's vectors along.
// Thread-safety: functions use the given connection, which the caller holds exclusively; the
// writes run on the writer thread inside its transaction, the reads inside a read transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/message.h"
#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// InvalidArgument when the embedding's model or vector is empty.
Status ValidateEmbedding(const MessageEmbedding& embedding, const std::string& field);

// Stores the vector of message `seq`. REQUIRES: the message row exists and holds no vector of
// the embedding's model (it was stored in this transaction).
Status InsertEmbedding(Connection& db, std::int64_t user_ref, std::int64_t seq,
                       const MessageEmbedding& embedding);

// Store::PutEmbeddings. REQUIRES: the writes passed ValidateEmbedding.
Result<int> ApplyPutEmbeddings(Connection& db, const model::UserRef& user,
                               const std::vector<EmbeddingWrite>& writes);

// Store::MessagesWithoutEmbedding.
Result<std::vector<model::Message>> QueryMessagesWithoutEmbedding(Connection& db,
                                                                  const model::UserRef& user,
                                                                  const std::string& model,
                                                                  std::int64_t after_seq,
                                                                  int limit);

// Store::Embeddings.
Result<std::vector<StoredEmbedding>> QueryEmbeddings(Connection& db, const model::UserRef& user,
                                                     const std::string& model,
                                                     const MessageFilter& filter,
                                                     std::int64_t after_seq);

// Store::EmbeddingCount.
Result<std::int64_t> QueryEmbeddingCount(Connection& db, const model::UserRef& user,
                                         const std::string& model);

// Store::DeleteOtherEmbeddings.
Result<std::int64_t> ApplyDeleteOtherEmbeddings(Connection& db, const model::UserRef& user,
                                                const std::string& model);

// Store::MarkStaleEmbeddingWork.
Result<int> ApplyMarkStaleEmbeddingWork(Connection& db, const std::string& model,
                                        const WorkMark& mark);

}  // namespace loci::storage::sqlite
