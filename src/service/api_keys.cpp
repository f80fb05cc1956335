#include "service/api_keys.h"

#include <algorithm>
#include <cctype>

#include "crypto/primitives.h"
#include "service/validation.h"
#include "util/ids.h"

namespace loci::service {
namespace {

constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kSecretLength = 5 + 43;  // "loci_" + base64url of 32 bytes
constexpr std::size_t kMaxNameBytes = 128;

bool HasSecretShape(std::string_view secret) {
  return secret.size() == kSecretLength &&
         secret.substr(0, kKeySecretPrefix.size()) == kKeySecretPrefix;
}

std::optional<KeyGrant> GrantOf(const storage::ApiKeyInfo& key) {
  if (key.revoked_at) return std::nullopt;
  return KeyGrant{.key_id = key.id,
                  .tenant = key.tenant,
                  .admin = key.scope == storage::ApiKeyScope::kAdmin,
                  .rate_limit = key.rate_limit};
}

}  // namespace

bool IsTenantName(std::string_view tenant) {
  if (tenant.empty() || tenant.size() > 64) return false;
  return std::all_of(tenant.begin(), tenant.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

ApiKeyService::ApiKeyService(storage::Store& store, const Clock& clock, Options options)
    : store_(store), clock_(clock), options_(options) {}

Result<CreatedKey> ApiKeyService::Create(const NewKeyCommand& command) {
  if (!IsTenantName(command.tenant)) {
    return InvalidArgument("tenant must be 1-64 characters of [A-Za-z0-9_-]", "tenant");
  }
  if (!command.name.empty()) {
    RETURN_IF_ERROR(ValidateIdentifier(command.name, "name", kMaxNameBytes));
  }
  if (command.rate_limit && (*command.rate_limit < 0 || *command.rate_limit > kMaxRateLimit)) {
    return InvalidArgument(
        "rate_limit must be between 0 and " + std::to_string(kMaxRateLimit) + " per second",
        "rate_limit");
  }
  RETURN_IF_ERROR(crypto::Initialize());
  CreatedKey created;
  created.secret = std::string(kKeySecretPrefix) + crypto::RandomToken(kSecretBytes);
  storage::NewApiKey key;
  key.created_at = clock_.NowMillis();
  key.id = NewId("k_", key.created_at);
  key.tenant = command.tenant;
  key.scope = command.admin ? storage::ApiKeyScope::kAdmin : storage::ApiKeyScope::kApp;
  key.name = command.name;
  key.secret_hash = crypto::Sha256(created.secret);
  key.rate_limit = command.rate_limit;
  RETURN_IF_ERROR(store_.CreateApiKey(key));
  created.info = storage::ApiKeyInfo{.id = key.id,
                                     .tenant = key.tenant,
                                     .scope = key.scope,
                                     .name = key.name,
                                     .created_at = key.created_at,
                                     .revoked_at = std::nullopt,
                                     .rate_limit = key.rate_limit};
  return created;
}

Result<std::vector<storage::ApiKeyInfo>> ApiKeyService::List(
    const std::optional<std::string>& tenant) {
  return store_.ApiKeys(tenant);
}

Result<UnixMillis> ApiKeyService::Revoke(const std::string& id) {
  ASSIGN_OR_RETURN(UnixMillis revoked_at, store_.RevokeApiKey(id, clock_.NowMillis()));
  revocations_.fetch_add(1);
  Forget(id);  // here and now; other processes wait out the TTL
  return revoked_at;
}

void ApiKeyService::Forget(const std::string& key_id) {
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    std::erase_if(shard.entries, [&key_id](const auto& entry) {
      return entry.second.grant && entry.second.grant->key_id == key_id;
    });
  }
}

Result<bool> ApiKeyService::AnyKeys() {
  ASSIGN_OR_RETURN(std::vector<storage::ApiKeyInfo> keys, store_.ApiKeys(std::nullopt));
  return !keys.empty();
}

ApiKeyService::Shard& ApiKeyService::ShardFor(std::string_view hash) {
  return shards_[static_cast<unsigned char>(hash[0]) % kShards];
}

void ApiKeyService::Remember(std::string hash, std::optional<KeyGrant> grant, UnixMillis now) {
  Shard& shard = ShardFor(hash);
  const std::size_t capacity = std::max<std::size_t>(1, options_.max_cached / kShards);
  std::lock_guard lock(shard.mutex);
  if (shard.entries.size() >= capacity && !shard.entries.contains(hash)) {
    std::erase_if(shard.entries,
                  [now](const auto& entry) { return entry.second.expires_at <= now; });
    // Still full of live entries (a flood of distinct secrets): start the shard over rather
    // than grow. Real keys are looked up again at the cost of one read each.
    if (shard.entries.size() >= capacity) shard.entries.clear();
  }
  shard.entries.insert_or_assign(std::move(hash),
                                 CacheEntry{std::move(grant), now + options_.cache_ttl_ms});
}

Result<std::optional<KeyGrant>> ApiKeyService::Lookup(std::string_view secret) {
  if (!HasSecretShape(secret)) return std::optional<KeyGrant>();
  std::string hash = crypto::Sha256(secret);
  const UnixMillis now = clock_.NowMillis();
  if (CachedLookup cached = FindCached(hash, now); cached.known) return std::move(cached.grant);
  const std::uint64_t revocations = revocations_.load();
  ASSIGN_OR_RETURN(std::optional<storage::ApiKeyInfo> key, store_.FindApiKeyByHash(hash));
  std::optional<KeyGrant> grant = key ? GrantOf(*key) : std::nullopt;
  if (options_.cache_ttl_ms > 0) {
    Remember(std::move(hash), grant, now);
    // A Revoke that ran meanwhile may have missed the entry just added: drop it again.
    if (grant && revocations_.load() != revocations) Forget(grant->key_id);
  }
  return grant;
}

CachedLookup ApiKeyService::LookupCached(std::string_view secret) {
  if (!HasSecretShape(secret)) return {.known = true, .grant = std::nullopt};
  return FindCached(crypto::Sha256(secret), clock_.NowMillis());
}

CachedLookup ApiKeyService::FindCached(const std::string& hash, UnixMillis now) {
  Shard& shard = ShardFor(hash);
  std::lock_guard lock(shard.mutex);
  auto found = shard.entries.find(hash);
  if (found == shard.entries.end() || found->second.expires_at <= now) return {};
  return {.known = true, .grant = found->second.grant};
}

}  // namespace loci::service
