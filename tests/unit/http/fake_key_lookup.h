// A scriptable KeyLookup for the HTTP layer's tests: stored keys as a map from secret to grant,
// and the secrets whose answer counts as cached (LookupCached knows them). Counts lookups;
// fails or throws when told to. Thread-safety: none; set it up before issuing requests.
#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "service/key_lookup.h"

namespace loci::http::testing {

class FakeKeyLookup final : public service::KeyLookup {
 public:
  Result<std::optional<service::KeyGrant>> Lookup(std::string_view secret) override {
    ++lookups;
    if (throw_in_lookup) throw std::runtime_error("secret exception detail");
    if (fail) return Unavailable("keys unreadable");
    return GrantOf(secret);
  }

  service::CachedLookup LookupCached(std::string_view secret) override {
    ++cached_lookups;
    if (cached.count(std::string(secret)) == 0) return {};
    return {.known = true, .grant = GrantOf(secret)};
  }

  std::map<std::string, service::KeyGrant> grants;
  std::set<std::string> cached;  // secrets LookupCached answers (with or without a grant)
  int lookups = 0;
  int cached_lookups = 0;
  bool fail = false;
  bool throw_in_lookup = false;

 private:
  std::optional<service::KeyGrant> GrantOf(std::string_view secret) const {
    auto found = grants.find(std::string(secret));
    if (found == grants.end()) return std::nullopt;
    return found->second;
  }
};

}  // namespace loci::http::testing
