// Contract: API keys are kept by the hash of their secret, listed without it, revoked once and
// for good, and survive a restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

using ::testing::IsEmpty;

// A 32-byte stand-in for a SHA-256 (the store treats it as opaque bytes).
std::string Hash(char fill) { return std::string(32, fill); }

NewApiKey Key(std::string id, std::string tenant, char hash_fill, UnixMillis created_at,
              ApiKeyScope scope = ApiKeyScope::kApp) {
  NewApiKey key;
  key.id = std::move(id);
  key.tenant = std::move(tenant);
  key.scope = scope;
  key.name = "ci";
  key.secret_hash = Hash(hash_fill);
  key.created_at = created_at;
  return key;
}

std::vector<std::string> Ids(const std::vector<ApiKeyInfo>& keys) {
  std::vector<std::string> ids;
  for (const ApiKeyInfo& key : keys) ids.push_back(key.id);
  return ids;
}

TEST_P(StoreContractTest, ApiKeysAreFoundByTheirHash) {
  NewApiKey admin = Key("k_2", "acme", 'b', 20, ApiKeyScope::kAdmin);
  admin.rate_limit = 7;
  admin.name = "";
  ASSERT_TRUE(store().CreateApiKey(Key("k_1", "acme", 'a', 10)).ok());
  ASSERT_TRUE(store().CreateApiKey(admin).ok());

  auto found = store().FindApiKeyByHash(Hash('b'));
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  const ApiKeyInfo& key = **found;
  EXPECT_EQ(key.id, "k_2");
  EXPECT_EQ(key.tenant, "acme");
  EXPECT_EQ(key.scope, ApiKeyScope::kAdmin);
  EXPECT_EQ(key.name, "");
  EXPECT_EQ(key.created_at, 20);
  EXPECT_EQ(key.revoked_at, std::nullopt);
  EXPECT_EQ(key.rate_limit, 7);

  auto app = store().FindApiKeyByHash(Hash('a'));
  ASSERT_TRUE(app.ok() && app->has_value());
  EXPECT_EQ((*app)->scope, ApiKeyScope::kApp);
  EXPECT_EQ((*app)->name, "ci");
  EXPECT_EQ((*app)->rate_limit, std::nullopt);

  auto unknown = store().FindApiKeyByHash(Hash('z'));
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
  // A prefix of a stored hash is not that hash.
  auto prefix = store().FindApiKeyByHash(Hash('a').substr(0, 16));
  ASSERT_TRUE(prefix.ok());
  EXPECT_FALSE(prefix->has_value());
}

TEST_P(StoreContractTest, ApiKeysListOldestFirstAndByTenant) {
  ASSERT_TRUE(store().CreateApiKey(Key("k_3", "beta", 'c', 30)).ok());
  ASSERT_TRUE(store().CreateApiKey(Key("k_1", "acme", 'a', 10)).ok());
  ASSERT_TRUE(store().CreateApiKey(Key("k_2", "acme", 'b', 20)).ok());

  auto all = store().ApiKeys(std::nullopt);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(Ids(*all), (std::vector<std::string>{"k_1", "k_2", "k_3"}));
  auto acme = store().ApiKeys(std::string("acme"));
  ASSERT_TRUE(acme.ok());
  EXPECT_EQ(Ids(*acme), (std::vector<std::string>{"k_1", "k_2"}));
  auto none = store().ApiKeys(std::string("nobody"));
  ASSERT_TRUE(none.ok());
  EXPECT_THAT(*none, IsEmpty());
}

TEST_P(StoreContractTest, ApiKeyIdsAndSecretsAreUnique) {
  ASSERT_TRUE(store().CreateApiKey(Key("k_1", "acme", 'a', 10)).ok());
  Status same_id = store().CreateApiKey(Key("k_1", "acme", 'b', 11));
  EXPECT_EQ(same_id.code(), StatusCode::kConflict) << same_id.ToString();
  Status same_secret = store().CreateApiKey(Key("k_2", "beta", 'a', 12));
  EXPECT_EQ(same_secret.code(), StatusCode::kConflict) << same_secret.ToString();
  EXPECT_EQ(store().ApiKeys(std::nullopt)->size(), 1u);
}

TEST_P(StoreContractTest, ApiKeysNeedTheirFields) {
  std::vector<NewApiKey> bad(4, Key("k_1", "acme", 'a', 1));
  bad[0].id.clear();
  bad[1].tenant.clear();
  bad[2].secret_hash.clear();
  bad[3].rate_limit = -1;
  for (const NewApiKey& key : bad) {
    EXPECT_EQ(store().CreateApiKey(key).code(), StatusCode::kInvalidArgument);
  }
  EXPECT_THAT(*store().ApiKeys(std::nullopt), IsEmpty());
}

TEST_P(StoreContractTest, RevokingAKeyIsRecordedOnceAndKept) {
  ASSERT_TRUE(store().CreateApiKey(Key("k_1", "acme", 'a', 10)).ok());
  ASSERT_TRUE(store().CreateApiKey(Key("k_2", "acme", 'b', 20)).ok());

  auto revoked = store().RevokeApiKey("k_1", 100);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(*revoked, 100);
  auto again = store().RevokeApiKey("k_1", 200);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 100) << "the first revocation time stays";
  EXPECT_EQ(store().RevokeApiKey("k_9", 300).status().code(), StatusCode::kNotFound);

  auto found = store().FindApiKeyByHash(Hash('a'));
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->revoked_at, 100);
  auto other = store().FindApiKeyByHash(Hash('b'));
  ASSERT_TRUE(other.ok() && other->has_value());
  EXPECT_EQ((*other)->revoked_at, std::nullopt);

  Reopen();
  auto listed = store().ApiKeys(std::nullopt);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].revoked_at, 100);
  EXPECT_EQ((*listed)[1].revoked_at, std::nullopt);
}

TEST_P(StoreContractTest, ApiKeysAreNotTouchedByErasingUsers) {
  ASSERT_TRUE(store().CreateApiKey(Key("k_1", "t1", 'a', 10)).ok());
  PutOne({"t1", "alice"}, "s1", "alpha", 1);
  ASSERT_TRUE(store().EraseUser({"t1", "alice"}).ok());
  auto found = store().FindApiKeyByHash(Hash('a'));
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->has_value());
}

}  // namespace
}  // namespace loci::storage::testing
