#include "http/auth.h"

#include <cstdint>
#include <cstdio>

#include "http/request.h"
#include "util/strings.h"

namespace loci::http {
namespace {

constexpr std::string_view kDefaultTenant = "default";

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The credential of "Bearer <token>", or nullopt for any other scheme or an empty token.
std::optional<std::string_view> BearerToken(std::string_view header) {
  header = Trim(header);
  constexpr std::string_view kScheme = "Bearer";
  if (header.size() <= kScheme.size() ||
      !EqualsIgnoreCase(header.substr(0, kScheme.size()), kScheme) ||
      (header[kScheme.size()] != ' ' && header[kScheme.size()] != '\t')) {
    return std::nullopt;
  }
  std::string_view token = Trim(header.substr(kScheme.size()));
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace

Result<AuthConfig> ParseApiKeys(std::string_view spec) {
  AuthConfig config;
  int position = 0;
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    std::string_view entry = Trim(spec.substr(0, comma));
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    ++position;
    if (entry.empty()) continue;
    const std::string where = "API key entry " + std::to_string(position);
    const size_t scope_colon = entry.rfind(':');
    if (scope_colon == std::string_view::npos || scope_colon == 0) {
      return InvalidArgument(where + " must be key:tenant:scope");
    }
    const size_t tenant_colon = entry.rfind(':', scope_colon - 1);
    if (tenant_colon == std::string_view::npos || tenant_colon == 0 ||
        tenant_colon + 1 == scope_colon) {
      return InvalidArgument(where + " must be key:tenant:scope");
    }
    ApiKey key;
    key.key = std::string(entry.substr(0, tenant_colon));
    key.tenant = std::string(entry.substr(tenant_colon + 1, scope_colon - tenant_colon - 1));
    const std::string_view scope = entry.substr(scope_colon + 1);
    if (scope == "app") {
      key.scope = Scope::kApp;
    } else if (scope == "admin") {
      key.scope = Scope::kAdmin;
    } else {
      return InvalidArgument(where + " has scope other than app or admin");
    }
    for (const ApiKey& other : config.keys) {
      if (other.key == key.key) return InvalidArgument(where + " repeats an earlier key");
    }
    config.keys.push_back(std::move(key));
  }
  return config;
}

std::string KeyId(std::string_view key) {
  // FNV-1a, folded to 32 bits: enough to tell configured keys apart in logs, far too little
  // to help anyone recover a key of useful length.
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : key) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  const auto folded = static_cast<std::uint32_t>(hash ^ (hash >> 32));
  char text[16];
  std::snprintf(text, sizeof(text), "%08x", folded);
  return std::string("key_") + text;
}

Authenticator::Authenticator(AuthConfig config, KeyEquals equals)
    : stored_(config.stored),
      rate_limit_(config.rate_limit),
      equals_(equals != nullptr ? equals : &ConstantTimeEquals) {
  for (ApiKey& key : config.keys) {
    std::string id = KeyId(key.key);
    keys_.push_back(Entry{std::move(key), std::move(id)});
  }
}

Result<Principal> Authenticator::Authenticate(std::optional<std::string_view> authorization,
                                              Access required) const {
  return *Resolve(authorization, required, /*may_block=*/true);
}

std::optional<Result<Principal>> Authenticator::AuthenticateCached(
    std::optional<std::string_view> authorization, Access required) const {
  return Resolve(authorization, required, /*may_block=*/false);
}

std::optional<Result<Principal>> Authenticator::Resolve(
    std::optional<std::string_view> authorization, Access required, bool may_block) const {
  Principal principal;
  if (required == Access::kPublic || development_mode()) {
    principal.caller.tenant = std::string(kDefaultTenant);
    return principal;
  }
  if (!authorization) {
    return Unauthenticated("missing API key: send Authorization: Bearer <key>");
  }
  const std::optional<std::string_view> token = BearerToken(*authorization);
  if (!token) return Unauthenticated("Authorization must be Bearer <key>");

  // Compare against every key, keeping the match without branching out early.
  const Entry* match = nullptr;
  for (const Entry& entry : keys_) {
    const bool equal = equals_(*token, entry.key.key);
    if (equal && match == nullptr) match = &entry;
  }
  if (match != nullptr) {
    if (required == Access::kAdmin && match->key.scope != Scope::kAdmin) {
      return PermissionDenied("this route requires an admin key");
    }
    principal.caller.tenant = match->key.tenant;
    principal.caller.key_id = match->id;
    principal.rate_limit = rate_limit_;
    return principal;
  }
  if (stored_ == nullptr) return Unauthenticated("invalid API key");
  std::optional<service::KeyGrant> grant;
  if (may_block) {
    Result<std::optional<service::KeyGrant>> looked_up = stored_->Lookup(*token);
    if (!looked_up.ok()) return looked_up.status();
    grant = std::move(looked_up).value();
  } else {
    service::CachedLookup cached = stored_->LookupCached(*token);
    if (!cached.known) return std::nullopt;
    grant = std::move(cached.grant);
  }
  if (!grant) return Unauthenticated("invalid API key");
  if (required == Access::kAdmin && !grant->admin) {
    return PermissionDenied("this route requires an admin key");
  }
  principal.caller.tenant = std::move(grant->tenant);
  principal.caller.key_id = std::move(grant->key_id);
  principal.rate_limit = grant->rate_limit.value_or(rate_limit_);
  return principal;
}

}  // namespace loci::http
