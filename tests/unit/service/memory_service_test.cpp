#include <gtest/gtest.h>

#include <random>
#include <set>

#include "service/memory_service_impl.h"
#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "text/token_counter.h"
#include "unit/service/service_fixture.h"

namespace loci::service {
namespace {

class MemoryServiceTest : public testing::ServiceTest {
 protected:
  StoreResult StoreTurns(const std::string& user, const std::string& session,
                         const std::vector<std::pair<model::Role, std::string>>& turns,
                         const Caller& caller = {"t1", "", "r"}) {
    StoreCommand command;
    command.user_id = user;
    command.session_id = session;
    for (const auto& [role, content] : turns) {
      IncomingMessage message;
      message.role = role;
      message.content = content;
      command.messages.push_back(message);
    }
    auto result = StoreAndWait(caller, command);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : StoreResult{};
  }

  // The pack for `query`, which must succeed.
  ContextPack ContextOf(const ContextQuery& query) {
    auto pack = service_->Context(caller_, query);
    EXPECT_TRUE(pack.ok()) << pack.status().ToString();
    return pack.ok() ? **pack : ContextPack{};
  }
};

TEST_F(MemoryServiceTest, StoredTurnsComeBackAsTheWindowOldestFirst) {
  StoreTurns("u1", "s1", {{model::Role::kUser, "first"}, {model::Role::kAssistant, "second"}});
  const ContextPack pack = ContextOf({.user_id = "u1"});
  EXPECT_EQ(pack.session_id, "s1");
  ASSERT_EQ(pack.messages.size(), 2u);
  EXPECT_EQ(pack.messages[0].content, "first");
  EXPECT_EQ(pack.messages[1].content, "second");
  EXPECT_FALSE(pack.truncated);
  EXPECT_EQ(pack.token_count, text::CountTokens(pack.prompt));
  EXPECT_NE(pack.prompt.find("assistant: second"), std::string::npos);
}

TEST_F(MemoryServiceTest, ContextReflectsEveryWriteAndErasure) {
  StoreTurns("u1", "s1", {{model::Role::kUser, "first"}});
  ASSERT_EQ(ContextOf({.user_id = "u1"}).messages.size(), 1u);
  ASSERT_EQ(ContextOf({.user_id = "u1"}).messages.size(), 1u);  // cached
  StoreResult second = StoreTurns("u1", "s1", {{model::Role::kUser, "second"}});
  const ContextPack pack = ContextOf({.user_id = "u1"});
  ASSERT_EQ(pack.messages.size(), 2u);
  EXPECT_EQ(pack.messages[1].content, "second");
  ASSERT_TRUE(service_->EraseMessage(caller_, "u1", second.message_ids[0]).ok());
  EXPECT_EQ(ContextOf({.user_id = "u1"}).messages.size(), 1u);
  ASSERT_TRUE(service_->EraseSession(caller_, "u1", "s1").ok());
  EXPECT_TRUE(ContextOf({.user_id = "u1"}).messages.empty());
  StoreTurns("u1", "s1", {{model::Role::kUser, "again"}});
  ASSERT_EQ(ContextOf({.user_id = "u1"}).messages.size(), 1u);
  ASSERT_TRUE(service_->EraseUser(caller_, "u1").ok());
  EXPECT_TRUE(ContextOf({.user_id = "u1"}).messages.empty());
}

TEST_F(MemoryServiceTest, IdenticalRequestsShareOnePackUntilTheNextWrite) {
  StoreTurns("u1", "s1", {{model::Role::kUser, "first"}});
  auto first = service_->Context(caller_, {.user_id = "u1"});
  auto again = service_->Context(caller_, {.user_id = "u1"});
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->get(), again->get());
  auto other = service_->Context(caller_, {.user_id = "u1", .max_messages = 5});
  ASSERT_TRUE(other.ok());
  EXPECT_NE(first->get(), other->get());
  StoreTurns("u1", "s1", {{model::Role::kUser, "second"}});
  auto after = service_->Context(caller_, {.user_id = "u1"});
  ASSERT_TRUE(after.ok());
  EXPECT_NE(first->get(), after->get());
  EXPECT_EQ((*after)->messages.size(), 2u);
}

TEST_F(MemoryServiceTest, CachedContextIsThePackContextCachedUntilTheNextWrite) {
  StoreTurns("u1", "s1", {{model::Role::kUser, "first"}});
  const ContextQuery query{.user_id = "u1"};
  EXPECT_EQ(service_->CachedContext(caller_, query), nullptr) << "nothing built yet";
  auto built = service_->Context(caller_, query);
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(service_->CachedContext(caller_, query), *built);
  EXPECT_EQ(service_->CachedContext(caller_, {.user_id = "u1", .max_messages = 5}), nullptr);
  EXPECT_EQ(service_->CachedContext({"t2", "", "r"}, query), nullptr) << "another tenant";
  StoreTurns("u1", "s1", {{model::Role::kUser, "second"}});
  EXPECT_EQ(service_->CachedContext(caller_, query), nullptr) << "stale after the write";
}

TEST_F(MemoryServiceTest, CachedContextIsNullForQueriesContextRefusesOrDoesNotCache) {
  StoreTurns("u1", "s1", {{model::Role::kUser, "first"}});
  const ContextQuery with_text{.user_id = "u1", .query = "first"};
  ASSERT_TRUE(service_->Context(caller_, with_text).ok());
  EXPECT_EQ(service_->CachedContext(caller_, with_text), nullptr) << "query text is not cached";
  const ContextQuery invalid{.user_id = ""};
  EXPECT_FALSE(service_->Context(caller_, invalid).ok());
  EXPECT_EQ(service_->CachedContext(caller_, invalid), nullptr);
}

TEST_F(MemoryServiceTest, StoreIsAtHandOnceTheUsersPrivacySettingsAreHeld) {
  EXPECT_FALSE(service_->StoreIsAtHand(caller_, "u1")) << "nothing read of the user yet";
  StoreTurns("u1", "s1", {{model::Role::kUser, "first"}});
  EXPECT_TRUE(service_->StoreIsAtHand(caller_, "u1"));
  EXPECT_FALSE(service_->StoreIsAtHand({"t2", "", "r"}, "u1")) << "another tenant";
  EXPECT_FALSE(service_->StoreIsAtHand(caller_, "u2"));
  ASSERT_TRUE(
      service_->UpdatePrivacy(caller_, {.user_id = "u1", .change = {.redact_pii = true}}).ok());
  EXPECT_FALSE(service_->StoreIsAtHand(caller_, "u1")) << "the settings changed";
  StoreTurns("u1", "s1", {{model::Role::kUser, "second"}});
  EXPECT_TRUE(service_->StoreIsAtHand(caller_, "u1"));
  ASSERT_TRUE(service_->EraseUser(caller_, "u1").ok());
  EXPECT_FALSE(service_->StoreIsAtHand(caller_, "u1")) << "erased";
}

TEST_F(MemoryServiceTest, MessagesWithoutSessionGoToDefault) {
  StoreCommand command;
  command.user_id = "u1";
  command.messages.push_back({.content = "hello"});
  auto result = StoreAndWait(caller_, command);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->session_id, "default");
}

TEST_F(MemoryServiceTest, InvalidCommandStoresNothing) {
  StoreCommand command;
  command.user_id = "u1";
  command.messages.push_back({.content = "fine"});
  command.messages.push_back({.content = std::string(64 * 1024 + 1, 'x')});
  auto result = StoreAndWait(caller_, command);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().field(), "messages[1].content");
  const ContextPack pack = ContextOf({.user_id = "u1"});
  EXPECT_TRUE(pack.messages.empty());
  EXPECT_FALSE(pack.session_id.has_value());
}

TEST_F(MemoryServiceTest, EveryBudgetIsRespected) {
  std::mt19937 random(7);
  const std::vector<std::string> words = {
      "Lisbon",   "moved",   "jazz",       "the", "garden", "2023",     "Caroline's", "café",
      "adoption", "running", "counseling", "I",   "we",     "painting", "sunrise"};
  std::vector<std::pair<model::Role, std::string>> turns;
  for (int i = 0; i < 500; ++i) {
    std::string content;
    const int length = 1 + static_cast<int>(random() % 120);
    for (int w = 0; w < length; ++w) content += words[random() % words.size()] + " ";
    turns.push_back({i % 2 == 0 ? model::Role::kUser : model::Role::kAssistant, content});
  }
  StoreTurns("u1", "s1", turns);
  for (int budget : {1, 5, 20, 50, 100, 150, 333, 500, 1000, 2000, 4000, 8000}) {
    const ContextPack pack = ContextOf({.user_id = "u1", .max_tokens = budget});
    EXPECT_LE(pack.token_count, budget) << budget;
    EXPECT_EQ(pack.token_count, text::CountTokens(pack.prompt)) << budget;
    // 20 turns of ~80 tokens each: the small budgets drop turns, the large ones keep all.
    EXPECT_EQ(pack.truncated,
              pack.messages.size() < 20 || pack.messages.front().content != turns[480].second)
        << budget;
    if (budget >= 4000) {
      EXPECT_EQ(pack.messages.size(), 20u) << budget;
    }
    if (budget >= 50) {
      EXPECT_FALSE(pack.messages.empty()) << budget;
    }
    // The window keeps the newest turns.
    if (!pack.messages.empty()) {
      EXPECT_EQ(pack.messages.back().content.substr(0, 10), turns.back().second.substr(0, 10));
    }
  }
}

TEST_F(MemoryServiceTest, FulltextSearchFindsStemsWithinTheUserOnly) {
  StoreTurns("u1", "s1",
             {{model::Role::kUser, "I moved to Lisbon last spring"},
              {model::Role::kAssistant, "Lisbon is lovely"},
              {model::Role::kUser, "Running by the river every morning"}});
  StoreTurns("u2", "s1", {{model::Role::kUser, "I also moved to Lisbon"}});
  StoreTurns("u1", "s1", {{model::Role::kUser, "Lisbon again, other tenant"}}, {"t2", "", "r"});

  SearchQuery query{.user_id = "u1", .query = "moving to lisbon", .mode = SearchMode::kFulltext};
  auto found = service_->Search(caller_, query);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  // Both matches, then the turn next to them (conversation_ranker.h); nothing of u2 or t2.
  ASSERT_EQ(found->results.size(), 3u);
  EXPECT_EQ(found->results[0].message.content, "I moved to Lisbon last spring");
  EXPECT_EQ(found->results[1].message.content, "Lisbon is lovely");
  EXPECT_EQ(found->results[2].message.content, "Running by the river every morning");
  EXPECT_GT(found->results[0].score, found->results[1].score);
  EXPECT_GT(found->results[1].score, found->results[2].score);
  EXPECT_NE(found->results[0].highlights.at(0).find("<mark>moved</mark>"), std::string::npos);

  query.roles = {model::Role::kAssistant};
  found = service_->Search(caller_, query);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->results.size(), 1u);
  EXPECT_EQ(found->results[0].message.content, "Lisbon is lovely");

  query.roles.clear();
  query.query = "runs";
  found = service_->Search(caller_, query);
  ASSERT_TRUE(found.ok());
  ASSERT_FALSE(found->results.empty());
  EXPECT_EQ(found->results[0].message.content, "Running by the river every morning");
}

TEST_F(MemoryServiceTest, SearchPagesWithOffset) {
  std::vector<std::pair<model::Role, std::string>> turns;
  for (int i = 0; i < 25; ++i) turns.push_back({model::Role::kUser, "jazz " + std::to_string(i)});
  StoreTurns("u1", "s1", turns);
  SearchQuery query{.user_id = "u1", .query = "jazz", .mode = SearchMode::kFulltext, .limit = 10};
  std::set<std::string> seen;
  for (int offset : {0, 10, 20}) {
    query.offset = offset;
    auto page = service_->Search(caller_, query);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->results.size(), offset == 20 ? 5u : 10u);
    for (const ScoredMessage& hit : page->results) seen.insert(hit.message.id);
  }
  EXPECT_EQ(seen.size(), 25u);
}

TEST_F(MemoryServiceTest, WithoutEmbeddingsHybridIsFulltextAndSemanticIsRefusedClearly) {
  StoreTurns("u1", "s1", {{model::Role::kUser, "jazz tonight"}, {model::Role::kUser, "rain"}});
  auto hybrid =
      service_->Search(caller_, {.user_id = "u1", .query = "jazz", .mode = SearchMode::kHybrid});
  ASSERT_TRUE(hybrid.ok()) << hybrid.status().ToString();
  auto fulltext =
      service_->Search(caller_, {.user_id = "u1", .query = "jazz", .mode = SearchMode::kFulltext});
  ASSERT_TRUE(fulltext.ok());
  ASSERT_EQ(hybrid->results.size(), fulltext->results.size());
  for (std::size_t i = 0; i < hybrid->results.size(); ++i) {
    EXPECT_EQ(hybrid->results[i].message.id, fulltext->results[i].message.id);
    EXPECT_EQ(hybrid->results[i].score, fulltext->results[i].score);
  }
  EXPECT_EQ(hybrid->mode, SearchMode::kHybrid);
  // Without an embedder the server cannot serve semantic search, and says what works.
  auto semantic =
      service_->Search(caller_, {.user_id = "u1", .query = "x", .mode = SearchMode::kSemantic});
  ASSERT_FALSE(semantic.ok());
  EXPECT_EQ(semantic.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(semantic.status().message().find("fulltext"), std::string::npos);
}

TEST_F(MemoryServiceTest, EraseUserRemovesEverythingAndIsIdempotent) {
  StoreTurns("u1", "s1", {{model::Role::kUser, "secret lisbon"}});
  StoreTurns("u1", "s2", {{model::Role::kUser, "more"}});
  auto erased = service_->EraseUser(caller_, "u1");
  ASSERT_TRUE(erased.ok());
  EXPECT_EQ(erased->messages, 2);
  EXPECT_EQ(erased->sessions, 2);
  auto found = service_->Search(
      caller_, {.user_id = "u1", .query = "lisbon", .mode = SearchMode::kFulltext});
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->results.empty());
  auto again = service_->EraseUser(caller_, "u1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->messages, 0);
}

}  // namespace
}  // namespace loci::service
