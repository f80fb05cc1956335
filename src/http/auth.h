// API-key authentication: who is calling and whether the route allows it.
//
// Keys come from configuration as "key:tenant:scope" entries (scope "app" or "admin"). A request
// presents one as `Authorization: Bearer <key>`. The presented key is compared in constant time
// against every configured key, without stopping at a match, so timing reveals neither which
// key matched nor how much of one did. With no key configured the server is in development
// mode: every request is tenant "default" with key id "".
//
// Thread-safety: an Authenticator is immutable after construction; Authenticate may be called
// concurrently.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/commands.h"
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
  std::vector<ApiKey> keys;  // empty: development mode
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

  bool development_mode() const { return keys_.empty(); }

  // The caller (tenant, key id; request_id left empty) for a request carrying the given
  // Authorization header value. Returns Unauthenticated when the header is missing, not a
  // Bearer credential, or no configured key matches; PermissionDenied when an app key calls
  // an admin route. kPublic routes always succeed with tenant "default".
  Result<service::Caller> Authenticate(std::optional<std::string_view> authorization,
                                       Access required) const;

 private:
  struct Entry {
    ApiKey key;
    std::string id;
  };
  std::vector<Entry> keys_;
  KeyEquals equals_;
};

}  // namespace loci::http
