// KeyLookup: how the HTTP layer asks about an API key it does not hold itself (the ones made
// with `loci keys create`), without seeing storage. ApiKeyService implements it; tests fake it.
// Thread-safety: implementations must allow concurrent Lookup and LookupCached calls.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace loci::service {

// What a valid key grants its caller.
struct KeyGrant {
  std::string key_id;  // public and non-secret ("k_…"): for logs, audit and rate limits
  std::string tenant;
  bool admin = false;             // scope admin (else app)
  std::optional<int> rate_limit;  // requests per second; nullopt: the server's default
};

// What a lookup knows without reading storage (KeyLookup::LookupCached).
struct CachedLookup {
  bool known = false;             // false: only storage can tell (call Lookup)
  std::optional<KeyGrant> grant;  // when known: what Lookup would answer
};

class KeyLookup {
 public:
  virtual ~KeyLookup() = default;

  // The grant of the live key whose secret is `secret`; nullopt when no key has it or the
  // key was revoked. Unavailable (or Internal) when the keys cannot be read.
  virtual Result<std::optional<KeyGrant>> Lookup(std::string_view secret) = 0;

  // Lookup's answer when it is known without reading storage (say, from a cache), so the
  // caller may ask on a thread that must not block; else `known` false. Never blocks. The
  // default knows nothing.
  virtual CachedLookup LookupCached(std::string_view /*secret*/) { return {}; }
};

}  // namespace loci::service
