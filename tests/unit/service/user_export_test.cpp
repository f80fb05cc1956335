// MemoryService::Export over the real SQLite store: what the header holds, page by page
// through every message once in stored order, the bound at the start, tenants and unknown users.
#include "service/user_export.h"

#include <gtest/gtest.h>

#include "service/memory_service_impl.h"
#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "unit/service/service_fixture.h"

namespace loci::service {
namespace {

class UserExportTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    Limits limits;
    limits.export_page_messages = 4;
    Open(limits);
  }

  // Stores `count` messages "<prefix>0".. in the session; returns their ids.
  std::vector<std::string> StoreSome(const Caller& caller, const std::string& user,
                                     const std::string& session, const std::string& prefix,
                                     int count) {
    StoreCommand command;
    command.user_id = user;
    command.session_id = session;
    for (int i = 0; i < count; ++i) {
      IncomingMessage message;
      message.content = prefix + std::to_string(i);
      command.messages.push_back(message);
    }
    Result<StoreResult> result = StoreAndWait(caller, std::move(command));
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? result->message_ids : std::vector<std::string>{};
  }

  // Every page of the export; checks each is at most the page size.
  static std::vector<std::string> DrainIds(UserExport& exported) {
    std::vector<std::string> ids;
    for (int guard = 0; guard < 1000; ++guard) {
      auto page = exported.NextPage();
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok() || page->empty()) break;
      EXPECT_LE(page->size(), 4u);
      for (const model::Message& message : *page) ids.push_back(message.id);
    }
    return ids;
  }
};

TEST_F(UserExportTest, HeaderThenEveryMessageOnceInStoredOrder) {
  std::vector<std::string> stored = StoreSome(caller_, "u1", "s1", "a", 5);
  for (const std::string& id : StoreSome(caller_, "u1", "s2", "b", 6)) stored.push_back(id);
  for (const std::string& id : StoreSome(caller_, "u1", "s1", "c", 3)) stored.push_back(id);
  auto exported = service_->Export(caller_, "u1");
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  const ExportHeader& header = (*exported)->header();
  EXPECT_EQ(header.user_id, "u1");
  EXPECT_EQ(header.exported_at, 1683554160000);
  EXPECT_EQ(header.message_count, 14);
  ASSERT_EQ(header.sessions.size(), 2u);
  EXPECT_EQ(header.sessions[0].session_id, "s1");  // most recently active first
  EXPECT_EQ(header.sessions[0].message_count, 8);
  EXPECT_EQ(header.privacy, model::PrivacySettings{});  // never set: the defaults
  EXPECT_EQ(DrainIds(**exported), stored);
  // Spent: further pages are empty.
  auto after = (*exported)->NextPage();
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
  // Without the audited decorator an export holds no audit event.
  auto events = (*exported)->NextAuditPage();
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
}

TEST_F(UserExportTest, HeaderHoldsTheUsersPrivacySettings) {
  StoreSome(caller_, "u1", "s1", "a", 1);
  StoreSome(caller_, "u2", "s1", "a", 1);
  PrivacyUpdate update{.user_id = "u1"};
  update.change.retention_days = std::optional<int>(30);
  update.change.learn_preferences = false;
  ASSERT_TRUE(service_->UpdatePrivacy(caller_, update).ok());
  auto exported = service_->Export(caller_, "u1");
  ASSERT_TRUE(exported.ok());
  EXPECT_EQ((*exported)->header().privacy,
            (model::PrivacySettings{.learn_preferences = false, .retention_days = 30}));
  auto other = service_->Export(caller_, "u2");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ((*other)->header().privacy, model::PrivacySettings{});
}

TEST_F(UserExportTest, MessagesStoredAfterTheStartAreLeftOut) {
  std::vector<std::string> stored = StoreSome(caller_, "u1", "s1", "a", 6);
  auto exported = service_->Export(caller_, "u1");
  ASSERT_TRUE(exported.ok());
  auto first = (*exported)->NextPage();
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 4u);
  StoreSome(caller_, "u1", "s1", "late", 3);
  StoreSome(caller_, "u1", "s9", "later", 1);
  std::vector<std::string> ids;
  for (const auto& message : *first) ids.push_back(message.id);
  for (const std::string& id : DrainIds(**exported)) ids.push_back(id);
  EXPECT_EQ(ids, stored);
}

TEST_F(UserExportTest, UnknownUserOtherTenantAndBadIdAreRefused) {
  StoreSome(caller_, "u1", "s1", "a", 2);
  EXPECT_EQ(service_->Export(caller_, "nobody").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Export({"t2", "", "r"}, "u1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Export(caller_, "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->Export(caller_, std::string(300, 'x')).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(UserExportTest, UserWhoseMessagesWereAllErasedIsUnknown) {
  StoreSome(caller_, "u1", "s1", "a", 2);
  ASSERT_TRUE(service_->EraseSession(caller_, "u1", "s1").ok());
  EXPECT_EQ(service_->Export(caller_, "u1").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace loci::service
