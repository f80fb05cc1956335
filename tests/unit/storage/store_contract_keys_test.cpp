// Contract: wrapped keys (users' data keys and the server's own) are kept durably, go with
// their user, and are re-wrapped all at once or not at all.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using model::UserRef;

const UserRef kAlice{"t1", "alice"};
const UserRef kAliceElsewhere{"t2", "alice"};

TEST_P(StoreContractTest, UserKeyIsKeptFromTheFirstCandidateUntilErasure) {
  EXPECT_EQ(*store().UserKey(kAlice), std::nullopt);
  auto first = store().EnsureUserKey(kAlice, "wrapped-1", 10);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, "wrapped-1");
  EXPECT_EQ(*store().EnsureUserKey(kAlice, "wrapped-2", 11), "wrapped-1");
  EXPECT_EQ(*store().UserKey(kAlice), "wrapped-1");
  EXPECT_EQ(*store().UserKey(kAliceElsewhere), std::nullopt);

  Reopen();
  EXPECT_EQ(*store().UserKey(kAlice), "wrapped-1");

  ASSERT_TRUE(store().EraseUser(kAlice).ok());
  EXPECT_EQ(*store().UserKey(kAlice), std::nullopt);
  EXPECT_EQ(*store().EnsureUserKey(kAlice, "wrapped-3", 12), "wrapped-3");
}

TEST_P(StoreContractTest, SystemKeysKeepTheFirstCandidateAndSurviveErasure) {
  EXPECT_EQ(*store().EnsureSystemKey("audit", "sys-1"), "sys-1");
  EXPECT_EQ(*store().EnsureSystemKey("audit", "sys-2"), "sys-1");
  EXPECT_EQ(*store().EnsureSystemKey("pseudonym", "sys-3"), "sys-3");
  ASSERT_TRUE(store().EnsureUserKey(kAlice, "user-1", 1).ok());
  ASSERT_TRUE(store().EraseUser(kAlice).ok());
  Reopen();
  EXPECT_EQ(*store().EnsureSystemKey("audit", "sys-4"), "sys-1");
}

TEST_P(StoreContractTest, RewrapReplacesEveryKeyOrNone) {
  ASSERT_TRUE(store().EnsureUserKey(kAlice, "a", 1).ok());
  ASSERT_TRUE(store().EnsureUserKey(kAliceElsewhere, "b", 1).ok());
  ASSERT_TRUE(store().EnsureSystemKey("audit", "c").ok());

  std::vector<std::string> seen;
  Status status = store().RewrapKeys([&](const KeyOwner& owner, std::string_view wrapped) {
    seen.push_back(owner.user ? owner.user->tenant + "/" + owner.user->user_id
                              : "system/" + owner.system_name);
    return Result<std::string>(std::string(wrapped) + "'");
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_THAT(seen, ::testing::UnorderedElementsAre("t1/alice", "t2/alice", "system/audit"));
  EXPECT_EQ(*store().UserKey(kAlice), "a'");
  EXPECT_EQ(*store().UserKey(kAliceElsewhere), "b'");
  EXPECT_EQ(*store().EnsureSystemKey("audit", "x"), "c'");

  // A failure part-way leaves every key as it was.
  int calls = 0;
  status =
      store().RewrapKeys([&](const KeyOwner&, std::string_view wrapped) -> Result<std::string> {
        if (++calls == 2) return Corruption("does not unwrap");
        return std::string(wrapped) + "!";
      });
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_EQ(*store().UserKey(kAlice), "a'");
  EXPECT_EQ(*store().UserKey(kAliceElsewhere), "b'");
  EXPECT_EQ(*store().EnsureSystemKey("audit", "x"), "c'");
}

}  // namespace
}  // namespace loci::storage::testing
