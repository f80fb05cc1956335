#include "service/api_keys.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "unit/test_clocks.h"

namespace loci::service {
namespace {

using loci::testing::ManualClock;

class ApiKeyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::sqlite::SqliteStore::Open({.path = dir_.Path("loci.db"), .readers = 2});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    keys_ = std::make_unique<ApiKeyService>(*store_, clock_);
  }

  CreatedKey MakeKey(const std::string& tenant, bool admin = false,
                     std::optional<int> rate_limit = std::nullopt) {
    auto created = keys_->Create(
        {.tenant = tenant, .admin = admin, .name = "test key", .rate_limit = rate_limit});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : CreatedKey{};
  }

  loci::testing::TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  std::unique_ptr<ApiKeyService> keys_;
};

TEST_F(ApiKeyServiceTest, CreatedKeysHaveAFreshSecretShownOnce) {
  CreatedKey a = MakeKey("acme", /*admin=*/true, 5);
  clock_.Advance(1);  // ids made in the same millisecond have no order
  CreatedKey b = MakeKey("acme");
  EXPECT_EQ(a.secret.rfind("loci_", 0), 0u);
  EXPECT_EQ(a.secret.size(), 48u);
  EXPECT_NE(a.secret, b.secret);
  EXPECT_EQ(a.info.id.rfind("k_", 0), 0u);
  EXPECT_NE(a.info.id, b.info.id);
  EXPECT_EQ(a.info.scope, storage::ApiKeyScope::kAdmin);
  EXPECT_EQ(a.info.rate_limit, 5);
  EXPECT_EQ(a.info.created_at, clock_.NowMillis() - 1);

  auto listed = keys_->List(std::nullopt);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, a.info.id);
  EXPECT_EQ((*listed)[0].name, "test key");
  EXPECT_TRUE(*keys_->AnyKeys());
}

TEST_F(ApiKeyServiceTest, NoKeysAtFirst) {
  auto any = keys_->AnyKeys();
  ASSERT_TRUE(any.ok());
  EXPECT_FALSE(*any);
}

TEST_F(ApiKeyServiceTest, BadCommandsNameTheField) {
  struct Case {
    NewKeyCommand command;
    std::string field;
  };
  for (const Case& c : {Case{{.tenant = ""}, "tenant"}, Case{{.tenant = "ac me"}, "tenant"},
                        Case{{.tenant = std::string(65, 'a')}, "tenant"},
                        Case{{.tenant = "acme", .name = "bad\nname"}, "name"},
                        Case{{.tenant = "acme", .name = std::string(129, 'n')}, "name"},
                        Case{{.tenant = "acme", .rate_limit = -1}, "rate_limit"},
                        Case{{.tenant = "acme", .rate_limit = 1'000'001}, "rate_limit"}}) {
    auto created = keys_->Create(c.command);
    ASSERT_FALSE(created.ok()) << c.field;
    EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(created.status().field(), c.field);
  }
  EXPECT_FALSE(*keys_->AnyKeys());
}

TEST_F(ApiKeyServiceTest, LookupFindsLiveKeysOnly) {
  CreatedKey key = MakeKey("acme", /*admin=*/true, 9);
  auto grant = keys_->Lookup(key.secret);
  ASSERT_TRUE(grant.ok()) << grant.status().ToString();
  ASSERT_TRUE(grant->has_value());
  EXPECT_EQ((*grant)->key_id, key.info.id);
  EXPECT_EQ((*grant)->tenant, "acme");
  EXPECT_TRUE((*grant)->admin);
  EXPECT_EQ((*grant)->rate_limit, 9);

  std::string wrong = key.secret;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  for (const std::string& secret : {wrong, std::string("loci_short"), std::string(""),
                                    key.secret.substr(5), key.secret + "x"}) {
    auto none = keys_->Lookup(secret);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value()) << secret;
  }
}

TEST_F(ApiKeyServiceTest, RevokingHereStopsTheKeyAtOnce) {
  CreatedKey key = MakeKey("acme");
  ASSERT_TRUE(keys_->Lookup(key.secret)->has_value());  // now cached
  auto revoked = keys_->Revoke(key.info.id);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(*revoked, clock_.NowMillis());
  EXPECT_FALSE(keys_->Lookup(key.secret)->has_value());
  EXPECT_EQ(keys_->Revoke("k_unknown").status().code(), StatusCode::kNotFound);
  auto listed = keys_->List(std::string("acme"));
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].revoked_at, *revoked);
}

TEST_F(ApiKeyServiceTest, LookupCachedKnowsOnlyWhatNeedsNoStorage) {
  CreatedKey key = MakeKey("acme");
  EXPECT_FALSE(keys_->LookupCached(key.secret).known) << "never looked up";
  const CachedLookup misshapen = keys_->LookupCached("loci_short");
  EXPECT_TRUE(misshapen.known);
  EXPECT_FALSE(misshapen.grant.has_value());

  ASSERT_TRUE(keys_->Lookup(key.secret)->has_value());
  const CachedLookup cached = keys_->LookupCached(key.secret);
  ASSERT_TRUE(cached.known);
  ASSERT_TRUE(cached.grant.has_value());
  EXPECT_EQ(cached.grant->key_id, key.info.id);
  EXPECT_EQ(cached.grant->tenant, "acme");

  clock_.Advance(ApiKeyService::Options().cache_ttl_ms);
  EXPECT_FALSE(keys_->LookupCached(key.secret).known) << "expired";
  ASSERT_TRUE(keys_->Lookup(key.secret)->has_value());
  ASSERT_TRUE(keys_->Revoke(key.info.id).ok());
  EXPECT_FALSE(keys_->LookupCached(key.secret).known) << "a revocation drops the entry";

  ApiKeyService uncached(*store_, clock_, {.cache_ttl_ms = 0});
  ASSERT_TRUE(uncached.Lookup(key.secret).ok());
  EXPECT_FALSE(uncached.LookupCached(key.secret).known);
}

TEST_F(ApiKeyServiceTest, RevokingElsewhereTakesEffectWithinTheTtl) {
  CreatedKey key = MakeKey("acme");
  ASSERT_TRUE(keys_->Lookup(key.secret)->has_value());
  // Another process (the CLI) revokes through its own service over the same database.
  ApiKeyService other(*store_, clock_);
  ASSERT_TRUE(other.Revoke(key.info.id).ok());
  clock_.Advance(ApiKeyService::Options().cache_ttl_ms - 1);
  EXPECT_TRUE(keys_->Lookup(key.secret)->has_value()) << "still cached";
  clock_.Advance(1);
  EXPECT_FALSE(keys_->Lookup(key.secret)->has_value());
}

TEST_F(ApiKeyServiceTest, KeysMadeElsewhereAreFound) {
  ApiKeyService other(*store_, clock_);
  auto created = other.Create({.tenant = "acme"});
  ASSERT_TRUE(created.ok());
  auto grant = keys_->Lookup(created->secret);
  ASSERT_TRUE(grant.ok());
  EXPECT_TRUE(grant->has_value());
}

TEST_F(ApiKeyServiceTest, CacheStaysBounded) {
  ApiKeyService small(*store_, clock_, {.cache_ttl_ms = 60'000, .max_cached = 32});
  CreatedKey key = MakeKey("acme");
  for (int i = 0; i < 1000; ++i) {
    std::string secret = "loci_" + std::string(43, 'a');
    secret[5 + i % 43] = static_cast<char>('b' + i / 43);
    ASSERT_TRUE(small.Lookup(secret).ok());
  }
  // The real key is still answered correctly, whatever the flood pushed out.
  EXPECT_TRUE(small.Lookup(key.secret)->has_value());
}

TEST_F(ApiKeyServiceTest, TenantNames) {
  EXPECT_TRUE(IsTenantName("acme-1_B"));
  EXPECT_FALSE(IsTenantName(""));
  EXPECT_FALSE(IsTenantName("a/b"));
  EXPECT_FALSE(IsTenantName(std::string(65, 'a')));
}

}  // namespace
}  // namespace loci::service
