// PrivacyController through the MemoryService it serves: settings, stores that keep nothing,
// redaction before indexing, retention purges and the context cache, and the background
// purger.
#include "service/privacy_controller.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "service/memory_service_impl.h"
#include "service/retention_purger.h"
#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "unit/service/service_fixture.h"

namespace loci::service {
namespace {

constexpr UnixMillis kNow = 1683554160000;  // the fixture's clock: 2023-05-08T13:56:00Z
constexpr UnixMillis kDay = 24LL * 60 * 60 * 1000;

class PrivacyTest : public testing::ServiceTest {
 protected:
  Result<StoreResult> StoreOne(const std::string& user, std::string content,
                               std::optional<UnixMillis> created_at = std::nullopt,
                               std::optional<std::string> name = std::nullopt) {
    StoreCommand command;
    command.user_id = user;
    command.session_id = "s1";
    IncomingMessage message;
    message.content = std::move(content);
    message.created_at = created_at;
    message.name = std::move(name);
    command.messages.push_back(std::move(message));
    return StoreAndWait(std::move(command));
  }

  std::size_t Found(const std::string& user, const std::string& words) {
    SearchQuery query;
    query.user_id = user;
    query.query = words;
    query.mode = SearchMode::kFulltext;
    auto found = service_->Search(caller_, query);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? found->results.size() : 0;
  }

  std::vector<model::Message> Messages(const std::string& user) {
    auto page = service_->SessionMessages(caller_, {.user_id = user, .session_id = "s1"});
    return page.ok() ? *page : std::vector<model::Message>{};
  }

  void Set(const std::string& user, model::PrivacyChange change) {
    auto settings = service_->UpdatePrivacy(caller_, {.user_id = user, .change = change});
    ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  }
};

TEST_F(PrivacyTest, DefaultsForAnUnknownUserCreateNothing) {
  auto settings = service_->Privacy(caller_, "u1");
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(*settings, model::PrivacySettings{});
  EXPECT_EQ(*store_->Privacy({"t1", "u1"}), std::nullopt);
  // An empty change is a read.
  auto unchanged = service_->UpdatePrivacy(caller_, {.user_id = "u1"});
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(*store_->Privacy({"t1", "u1"}), std::nullopt);
  EXPECT_EQ(service_->Privacy(caller_, "").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(PrivacyTest, RetentionOutOfRangeNamesTheField) {
  model::PrivacyChange change;
  change.retention_days = std::optional<int>(0);
  auto refused = service_->UpdatePrivacy(caller_, {.user_id = "u1", .change = change});
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "retention_days");
}

TEST_F(PrivacyTest, StoreMessagesOffKeepsNothingAndSaysSo) {
  model::PrivacyChange off;
  off.store_messages = false;
  Set("u1", off);
  auto result = StoreOne("u1", "my secret plans");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->stored, 0);
  EXPECT_EQ(result->discarded, 1);
  EXPECT_EQ(result->reason, kDiscardStoreMessagesDisabled);
  EXPECT_TRUE(result->message_ids.empty());
  EXPECT_TRUE(Messages("u1").empty());
  EXPECT_EQ(Found("u1", "secret"), 0u);

  model::PrivacyChange on;
  on.store_messages = true;
  Set("u1", on);
  auto stored = StoreOne("u1", "my secret plans");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->stored, 1);
  EXPECT_EQ(stored->discarded, 0);
  EXPECT_EQ(Found("u1", "secret"), 1u);
}

TEST_F(PrivacyTest, StoresSeeEveryChangeMadeAfterTheSettingsWereCached) {
  ASSERT_EQ(StoreOne("u1", "first")->stored, 1);  // the defaults, read and cached
  model::PrivacyChange off;
  off.store_messages = false;
  Set("u1", off);
  EXPECT_EQ(StoreOne("u1", "second")->discarded, 1);
  model::PrivacyChange redact;
  redact.store_messages = true;
  redact.redact_pii = true;
  Set("u1", redact);
  ASSERT_EQ(StoreOne("u1", "mail jane.doe@example.com")->stored, 1);
  std::vector<model::Message> stored = Messages("u1");
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[1].content, "mail [EMAIL]");
  EXPECT_TRUE(service_->Privacy(caller_, "u1")->redact_pii);
}

TEST_F(PrivacyTest, SettingsAreReadOnceUntilTheyChange) {
  ASSERT_EQ(StoreOne("u1", "first")->stored, 1);
  // Written behind the service's back (no process but the server writes them): unseen.
  model::PrivacyChange off;
  off.store_messages = false;
  ASSERT_TRUE(store_->UpdatePrivacy({"t1", "u1"}, off, kNow).ok());
  EXPECT_EQ(StoreOne("u1", "second")->stored, 1);
  EXPECT_TRUE(service_->Privacy(caller_, "u1")->store_messages);
  // Any change through the service reads them anew.
  model::PrivacyChange retention;
  retention.retention_days = std::optional<int>(30);
  Set("u1", retention);
  EXPECT_EQ(StoreOne("u1", "third")->discarded, 1);
  EXPECT_FALSE(service_->Privacy(caller_, "u1")->store_messages);
}

TEST_F(PrivacyTest, ErasureForgetsTheCachedSettings) {
  model::PrivacyChange off;
  off.store_messages = false;
  Set("u1", off);
  EXPECT_EQ(StoreOne("u1", "kept out")->discarded, 1);  // cached: store_messages off
  ASSERT_TRUE(service_->EraseUser(caller_, "u1").ok());
  EXPECT_EQ(StoreOne("u1", "a fresh start")->stored, 1);  // the defaults again
  EXPECT_EQ(service_->Privacy(caller_, "u1").value(), model::PrivacySettings{});
}

TEST_F(PrivacyTest, RedactionReplacesPiiBeforeStorageAndIndexing) {
  model::PrivacyChange redact;
  redact.redact_pii = true;
  Set("u1", redact);
  ASSERT_TRUE(StoreOne("u1", "write to jane.doe@example.com or call +1 (415) 555-0132",
                       std::nullopt, "jane.doe@example.com")
                  .ok());
  std::vector<model::Message> stored = Messages("u1");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].content, "write to [EMAIL] or call [PHONE]");
  EXPECT_EQ(stored[0].name, "[EMAIL]");
  EXPECT_EQ(Found("u1", "jane"), 0u);
  EXPECT_EQ(Found("u1", "example"), 0u);
  EXPECT_EQ(Found("u1", "email"), 1u);
  // Another user without the setting keeps what they wrote.
  ASSERT_TRUE(StoreOne("u2", "jane.doe@example.com").ok());
  EXPECT_EQ(Messages("u2")[0].content, "jane.doe@example.com");
}

TEST_F(PrivacyTest, OperatorRedactionAppliesToEveryone) {
  Limits limits;
  limits.privacy.redact_pii = true;
  Open(limits);
  ASSERT_TRUE(StoreOne("u1", "card 4111 1111 1111 1111").ok());
  EXPECT_EQ(Messages("u1")[0].content, "card [CARD]");
  EXPECT_FALSE(service_->Privacy(caller_, "u1")->redact_pii);  // the user's own setting
}

TEST_F(PrivacyTest, PurgeReportsPerUserAndInvalidatesTheContextCache) {
  Limits limits;
  limits.privacy.retention_days = 30;
  limits.privacy.purge_batch_messages = 2;
  Open(limits);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(StoreOne("u1", "old news", kNow - 40 * kDay + i).ok());
  ASSERT_TRUE(StoreOne("u1", "fresh news", kNow - kDay).ok());
  ASSERT_TRUE(StoreOne("u2", "old too", kNow - 31 * kDay).ok());
  auto before = service_->Context(caller_, {.user_id = "u1"});
  ASSERT_TRUE(before.ok());
  EXPECT_EQ((*before)->messages.size(), 4u);

  auto report = service_->privacy().Purge();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->messages, 4);
  EXPECT_EQ(report->sessions, 1);  // u2's only session
  EXPECT_GE(report->batches, 2);
  EXPECT_TRUE(report->complete);
  ASSERT_EQ(report->users.size(), 2u);
  EXPECT_EQ(report->users[0].user.user_id, "u1");
  EXPECT_EQ(report->users[0].messages, 3);
  EXPECT_EQ(report->users[1].user.user_id, "u2");
  EXPECT_EQ(report->users[1].sessions, 1);

  auto after = service_->Context(caller_, {.user_id = "u1"});
  ASSERT_TRUE(after.ok());
  ASSERT_EQ((*after)->messages.size(), 1u);
  EXPECT_EQ((*after)->messages[0].content, "fresh news");
  EXPECT_EQ(Found("u1", "old"), 0u);
  EXPECT_EQ(Found("u1", "news"), 1u);
}

TEST_F(PrivacyTest, PurgeStopsWhenAsked) {
  Limits limits;
  limits.privacy.retention_days = 1;
  Open(limits);
  ASSERT_TRUE(StoreOne("u1", "old", kNow - 40 * kDay).ok());
  auto report = service_->privacy().Purge([] { return true; });
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->complete);
  EXPECT_EQ(report->messages, 0);
  EXPECT_EQ(Messages("u1").size(), 1u);
}

TEST(RetentionPurgerTest, RunsEveryIntervalAndStopsPromptly) {
  std::atomic<int> calls{0};
  std::promise<void> reported;
  std::atomic<bool> first{true};
  RetentionPurger purger(
      [&calls](const std::function<bool()>& stop) -> Result<PurgeReport> {
        ++calls;
        EXPECT_FALSE(stop());
        return PurgeReport{};
      },
      std::chrono::milliseconds(10),
      [&](const Result<PurgeReport>& report) {
        EXPECT_TRUE(report.ok());
        if (first.exchange(false)) reported.set_value();
      });
  reported.get_future().wait();
  while (purger.runs() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  purger.Stop();
  const int after_stop = calls.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(calls.load(), after_stop);
  purger.Stop();  // idempotent
}

TEST(RetentionPurgerTest, NothingRunsAtStartAndStopDoesNotWaitForTheInterval) {
  std::atomic<int> calls{0};
  RetentionPurger purger(
      [&calls](const std::function<bool()>&) {
        ++calls;
        return Result<PurgeReport>(PurgeReport{});
      },
      std::chrono::hours(1), nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto begin = std::chrono::steady_clock::now();
  purger.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(5));
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(purger.runs(), 0);
}

}  // namespace
}  // namespace loci::service
