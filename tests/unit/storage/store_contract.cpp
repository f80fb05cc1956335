#include "unit/storage/store_contract.h"

#include <map>
#include <sstream>

namespace loci::storage::testing {

void StoreContractTest::SetUp() {
  harness_ = GetParam().make_harness();
  auto store = harness_->Open();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  store_ = std::move(store).value();
}

void StoreContractTest::TearDown() {
  store_.reset();
  harness_.reset();
}

void StoreContractTest::Reopen() {
  store_.reset();
  auto store = harness_->Open();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  store_ = std::move(store).value();
}

NewMessage StoreContractTest::Message(std::string content, UnixMillis created_at,
                                      model::Role role) {
  NewMessage message;
  message.role = role;
  message.created_at = created_at;
  std::map<std::string, int> counts;
  std::istringstream words(content);
  for (std::string word; words >> word;) ++counts[word];
  for (const auto& [term, count] : counts) {
    message.terms.push_back({term, count});
    message.term_count += count;
  }
  message.token_count = message.term_count;
  message.content = std::move(content);
  return message;
}

AppendOutcome StoreContractTest::Put(const model::UserRef& user, const std::string& session_id,
                                     std::vector<NewMessage> messages) {
  AppendRequest request = Request(user, session_id, std::move(messages));
  request.now = 1'700'000'000'000;
  auto outcome = store_->AppendAndWait(std::move(request));
  EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
  return outcome.ok() ? std::move(outcome).value() : AppendOutcome{};
}

std::string StoreContractTest::PutOne(const model::UserRef& user, const std::string& session_id,
                                      std::string content, UnixMillis created_at,
                                      model::Role role) {
  std::vector<NewMessage> messages;
  messages.push_back(Message(std::move(content), created_at, role));
  AppendOutcome outcome = Put(user, session_id, std::move(messages));
  return outcome.message_ids.empty() ? std::string() : outcome.message_ids[0];
}

std::vector<std::int64_t> StoreContractTest::PostingSeqs(const model::UserRef& user,
                                                         const std::string& term,
                                                         const MessageFilter& filter) {
  auto postings = store_->Postings(user, {term}, filter);
  EXPECT_TRUE(postings.ok()) << postings.status().ToString();
  std::vector<std::int64_t> seqs;
  if (!postings.ok() || postings->size() != 1) return seqs;
  for (const Posting& posting : (*postings)[0].postings) seqs.push_back(posting.seq);
  return seqs;
}

std::vector<model::Message> StoreContractTest::Recent(const model::UserRef& user,
                                                      const std::string& session_id, int limit) {
  auto messages = store_->RecentMessages(user, session_id, limit);
  EXPECT_TRUE(messages.ok()) << messages.status().ToString();
  return messages.ok() ? std::move(messages).value() : std::vector<model::Message>{};
}

}  // namespace loci::storage::testing
