// API-key authentication: who is calling, whether the route allows it, and at what rate.
//
// Keys come from two places. Configured keys are "key:tenant:scope" entries (scope "app" or
// "admin") from LOCI_API_KEYS; the presented key is compared in constant time against every
// one of them, without stopping at a match, so timing reveals neither which key matched nor
// how much of one did. Stored keys (`loci keys create`) are asked of a service::KeyLookup,
// which finds them by the SHA-256 of the presented secret, when no configured key matched.
// A request presents a key as `Authorization: Bearer <key>`.
//
// With no configured key and no KeyLookup the server is in development mode: every request is
// tenant "default" with key id "" and no rate limit. (app/ hands over the KeyLookup only when
// LOCI_API_KEYS is set or the store holds a key at start.)
//
// Thread-safety: an Authenticator is immutable after construction; Authenticate and
// AuthenticateCached may be called concurrently (the KeyLookup must allow that).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/commands.h"
#include "service/key_lookup.h"
#include "util/status.h"

namespace loci::http {

// What a route requires of its caller.
enum class Access {
  kPublic,  // no key (health checks)
  kApp,     // any valid key
  kAdmin,   // a key with admin scope
};

enum class Scope { kApp, kAdmin };

struct ApiKey {
  std::string key;
  std::string tenant;
  Scope scope = Scope::kApp;
};

struct AuthConfig {
  std::vector<ApiKey> keys;              // from LOCI_API_KEYS
  service::KeyLookup* stored = nullptr;  // keys kept in the store; not owned. Null and no
                                         // keys: development mode
  int rate_limit = 0;                    // per key, requests per second (0: unlimited);
                                         // a stored key's own limit overrides it
};

// An authenticated caller and the rate its key may call at.
struct Principal {
  service::Caller caller;
  int rate_limit = 0;  // requests per second; 0: unlimited
};

// Parses a comma-separated list of "key:tenant:scope" entries (blanks around entries ignored;
// the key may itself contain ':' since tenant and scope are taken from the right). An empty
// spec gives no keys. Returns InvalidArgument naming the bad entry by position (never by
// content: it holds a secret) for a missing part, an unknown scope or a repeated key.
Result<AuthConfig> ParseApiKeys(std::string_view spec);

// A short, stable, non-secret name for a key, for logs and audit: "key_" + 8 hex digits of a
// hash. It identifies the key among the configured ones without revealing it.
std::string KeyId(std::string_view key);

class Authenticator {
 public:
  using KeyEquals = bool (*)(std::string_view, std::string_view);

  // `equals` is the comparison used for keys; tests inject a counting one.
  explicit Authenticator(AuthConfig config, KeyEquals equals = nullptr);

  bool development_mode() const { return keys_.empty() && stored_ == nullptr; }

  // The caller (tenant, key id; request_id left empty) and its key's rate limit for a request
  // carrying the given Authorization header value. Returns Unauthenticated when the header is
  // missing, not a Bearer credential, or no configured or stored live key matches;
  // PermissionDenied when an app key calls an admin route; the KeyLookup's error (Unavailable)
  // when stored keys cannot be read. kPublic routes always succeed with tenant "default" and
  // no rate limit.
  Result<Principal> Authenticate(std::optional<std::string_view> authorization,
                                 Access required) const;

  // Authenticate's answer when it is known without reading storage, for a thread that must
  // not block; nullopt when it depends on a stored key the KeyLookup holds no cached answer
  // for (then call Authenticate where blocking is allowed). Never blocks.
  std::optional<Result<Principal>> AuthenticateCached(std::optional<std::string_view> authorization,
                                                      Access required) const;

 private:
  // Authenticate, with stored keys looked up in storage (`may_block`) or in the KeyLookup's
  // cache only (then nullopt when it cannot tell).
  std::optional<Result<Principal>> Resolve(std::optional<std::string_view> authorization,
                                           Access required, bool may_block) const;

  struct Entry {
    ApiKey key;
    std::string id;
  };
  std::vector<Entry> keys_;
  service::KeyLookup* stored_;
  int rate_limit_;
  KeyEquals equals_;
};

}  // namespace loci::http
