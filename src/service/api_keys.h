// ApiKeyService: API keys kept in the store (`loci keys create|list|revoke`), and the lookup
// that authenticates them.
//
// A secret is "loci_" followed by 32 random bytes in base64url (48 characters). It is shown
// once, when the key is made; the store keeps only its SHA-256, so the database alone never
// lets anyone call the API. A key has a public id ("k_" + ULID), one tenant, a scope (app or
// admin), a name, and optionally its own rate limit.
//
// Lookups are cached by the secret's hash for `cache_ttl_ms` (default 2 s), the positive and
// the negative answers alike: a key revoked by another process (the CLI) stops working in a
// running server within that time; a revocation through this object takes effect for every
// lookup that starts after Revoke returns. `cache_ttl_ms` 0 turns the cache off.
// The cache is sharded (one mutex per shard) and bounded (`max_cached` entries).
//
// Thread-safety: every method may be called concurrently. `store` and `clock` must outlive
// the service.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "service/key_lookup.h"
#include "storage/store.h"
#include "util/status.h"
#include "util/time.h"

namespace loci::service {

inline constexpr std::string_view kKeySecretPrefix = "loci_";

// A tenant name: 1-64 characters of [A-Za-z0-9_-].
bool IsTenantName(std::string_view tenant);

struct NewKeyCommand {
  std::string tenant;
  bool admin = false;
  std::string name;               // optional label, at most 128 bytes of printable UTF-8
  std::optional<int> rate_limit;  // requests per second (0 = unlimited); nullopt: default
};

struct CreatedKey {
  storage::ApiKeyInfo info;
  std::string secret;  // the only copy there will ever be
};

class ApiKeyService final : public KeyLookup {
 public:
  struct Options {
    UnixMillis cache_ttl_ms = 2000;
    std::size_t max_cached = 16 * 1024;
  };
  static constexpr int kMaxRateLimit = 1'000'000;

  ApiKeyService(storage::Store& store, const Clock& clock, Options options);
  ApiKeyService(storage::Store& store, const Clock& clock)
      : ApiKeyService(store, clock, Options()) {}
  ApiKeyService(const ApiKeyService&) = delete;
  ApiKeyService& operator=(const ApiKeyService&) = delete;

  // Makes a key with a fresh secret. InvalidArgument (naming the field: tenant, name,
  // rate_limit) for a bad command; the store's errors otherwise.
  Result<CreatedKey> Create(const NewKeyCommand& command);

  // Every key, or those of `tenant`, oldest first, revoked ones included; never a secret.
  Result<std::vector<storage::ApiKeyInfo>> List(const std::optional<std::string>& tenant);

  // Revokes the key and returns when it was revoked (the first time, when revoked before).
  // NotFound for an unknown id.
  Result<UnixMillis> Revoke(const std::string& id);

  // True when the store holds any key, revoked or not: a server that has ever had keys is
  // not in development mode.
  Result<bool> AnyKeys();

  // KeyLookup. A secret without the "loci_" shape is answered nullopt without a lookup.
  Result<std::optional<KeyGrant>> Lookup(std::string_view secret) override;
  // Known for a secret without the "loci_" shape (no grant) and for one whose answer is cached
  // and unexpired; unknown otherwise (always, with the cache off).
  CachedLookup LookupCached(std::string_view secret) override;

 private:
  struct CacheEntry {
    std::optional<KeyGrant> grant;
    UnixMillis expires_at = 0;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, CacheEntry> entries;  // by secret hash
  };
  static constexpr std::size_t kShards = 16;

  Shard& ShardFor(std::string_view hash);
  // The unexpired cached answer for `hash`, if any.
  CachedLookup FindCached(const std::string& hash, UnixMillis now);
  void Remember(std::string hash, std::optional<KeyGrant> grant, UnixMillis now);
  void Forget(const std::string& key_id);

  storage::Store& store_;
  const Clock& clock_;
  const Options options_;
  std::array<Shard, kShards> shards_;
  // Bumped by every Revoke: a lookup that read the store before a revocation must not cache
  // what it read.
  std::atomic<std::uint64_t> revocations_{0};
};

}  // namespace loci::service
