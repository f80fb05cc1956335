#include "service/embed_backlog.h"

#include <algorithm>
#include <string>
#include <vector>

namespace loci::service {

Result<int> EmbedBacklog::Write(const model::UserRef& user,
                                const std::vector<model::Message>& messages) const {
  std::vector<std::string> texts;
  texts.reserve(messages.size());
  for (const model::Message& message : messages) texts.push_back(message.content);
  ASSIGN_OR_RETURN(std::vector<storage::MessageEmbedding> embeddings,
                   ranker_.EmbedForStore(user, texts, /*new_messages=*/false));
  std::vector<storage::EmbeddingWrite> writes;
  writes.reserve(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i) {
    writes.push_back({.message_id = messages[i].id, .embedding = std::move(embeddings[i])});
  }
  ASSIGN_OR_RETURN(int written, store_.PutEmbeddings(user, std::move(writes)));
  if (written > 0 && written_) written_(user);
  return written;
}

Result<int> EmbedBacklog::Reweigh(const model::UserRef& user) const {
  ranker_.MarkReweighed(user);  // before: stores meanwhile count towards the next reweighing
  // Only the messages held now: later ones were embedded on store with weights as good, and a
  // steady stream of stores would otherwise keep this run chasing the newest message.
  ASSIGN_OR_RETURN(storage::CorpusStats held, store_.Stats(user));
  std::int64_t left = held.documents;
  int written = 0;
  std::int64_t after_seq = 0;
  while (left > 0) {
    const auto batch = static_cast<int>(std::min<std::int64_t>(left, batch_size_));
    ASSIGN_OR_RETURN(std::vector<model::Message> messages,
                     store_.UserMessages(user, after_seq, batch));
    if (messages.empty()) break;
    left -= static_cast<std::int64_t>(messages.size());
    ASSIGN_OR_RETURN(int batch_written, Write(user, messages));
    written += batch_written;
    after_seq = messages.back().seq;
  }
  return written;
}

Result<BacklogOutcome> EmbedBacklog::Run(const model::UserRef& user, int max_messages) const {
  BacklogOutcome outcome;
  std::int64_t after_seq = 0;
  int left = max_messages;
  while (left > 0) {
    const int batch = std::min(left, batch_size_);
    ASSIGN_OR_RETURN(std::vector<model::Message> messages,
                     store_.MessagesWithoutEmbedding(user, ranker_.model_id(), after_seq, batch));
    if (messages.empty()) {
      outcome.more = false;
      return outcome;
    }
    ASSIGN_OR_RETURN(int written, Write(user, messages));
    outcome.embedded += written;
    after_seq = messages.back().seq;  // messages erased meanwhile are not asked for again
    left -= static_cast<int>(messages.size());
    outcome.more = static_cast<int>(messages.size()) == batch;
  }
  return outcome;
}

}  // namespace loci::service
