// Engine contract: wrapped keys (users' data keys and the server's own) are kept durably, go
// with their user, and are re-wrapped all at once or not at all. These talk to an engine
// directly (SealedStore sets user keys itself), so only engines instantiate EngineContractTest.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using model::UserRef;

const UserRef kAlice{"t1", "alice"};
const UserRef kAliceElsewhere{"t2", "alice"};

// An append sealed under `wrapped`; `create` lets it create the user holding that key.
Result<AppendOutcome> AppendUnder(Store& store, const UserRef& user, std::string wrapped,
                                  bool create) {
  NewMessage message;
  message.content = "sealed bytes";
  message.terms = {{"blinded", 1}};
  message.term_count = 1;
  AppendRequest request = Request(user, "s1", {});
  request.messages.push_back(std::move(message));
  request.user_key = std::move(wrapped);
  request.create_user_key = create;
  return store.AppendAndWait(request);
}

TEST_P(EngineContractTest, UserKeyIsSetByTheAppendThatCreatesTheUser) {
  EXPECT_EQ(*store().UserKey(kAlice), std::nullopt);
  // Without leave to create, an append for a missing user fails: it was erased meanwhile.
  EXPECT_EQ(AppendUnder(store(), kAlice, "wrapped-1", false).status().code(),
            StatusCode::kConflict);
  EXPECT_EQ(*store().UserKey(kAlice), std::nullopt);

  auto created = AppendUnder(store(), kAlice, "wrapped-1", true);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(*store().UserKey(kAlice), "wrapped-1");
  EXPECT_EQ(*store().UserKey(kAliceElsewhere), std::nullopt);
  // A concurrent first store lost the race: its key is not the user's.
  EXPECT_EQ(AppendUnder(store(), kAlice, "wrapped-2", true).status().code(), StatusCode::kConflict);
  EXPECT_TRUE(AppendUnder(store(), kAlice, "wrapped-1", false).ok());
  EXPECT_EQ(store().Stats(kAlice)->documents, 2);

  Reopen();
  EXPECT_EQ(*store().UserKey(kAlice), "wrapped-1");
  ASSERT_TRUE(store().EraseUser(kAlice).ok());
  EXPECT_EQ(*store().UserKey(kAlice), std::nullopt);
  EXPECT_EQ(AppendUnder(store(), kAlice, "wrapped-1", false).status().code(),
            StatusCode::kConflict);
}

TEST_P(EngineContractTest, SystemKeysKeepTheFirstCandidateAndSurviveErasure) {
  EXPECT_EQ(*store().EnsureSystemKey("audit", "sys-1"), "sys-1");
  EXPECT_EQ(*store().EnsureSystemKey("audit", "sys-2"), "sys-1");
  EXPECT_EQ(*store().EnsureSystemKey("pseudonym", "sys-3"), "sys-3");
  ASSERT_TRUE(AppendUnder(store(), kAlice, "user-1", true).ok());
  ASSERT_TRUE(store().EraseUser(kAlice).ok());
  Reopen();
  EXPECT_EQ(*store().EnsureSystemKey("audit", "sys-4"), "sys-1");
}

TEST_P(EngineContractTest, RewrapReplacesEveryKeyOrNone) {
  ASSERT_TRUE(AppendUnder(store(), kAlice, "a", true).ok());
  ASSERT_TRUE(AppendUnder(store(), kAliceElsewhere, "b", true).ok());
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
