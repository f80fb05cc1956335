// Envelope encryption: one master key wraps many data keys (one per user, plus the server's
// own for the audit log and pseudonyms); each data key yields the subkeys it is used through.
// Rotating the master key re-wraps the data keys and touches no data.
#pragma once

#include <string>
#include <string_view>

#include "crypto/primitives.h"
#include "util/status.h"

namespace loci::crypto {

// What a user's data key is used through: never the data key itself, so one use cannot
// weaken another.
struct UserKeys {
  SecretKey seal;   // seals content, names, metadata, summaries, preferences, embeddings
  SecretKey index;  // blinds full-text index terms and metadata attributes
};

UserKeys DeriveUserKeys(const SecretKey& data_key);

class MasterKey {
 public:
  explicit MasterKey(const SecretKey& key) : key_(key) {}

  // Seals `data_key` for the owner named by `label` (a user: tenant and user id), so a
  // wrapped key moved to another owner's row does not unwrap.
  std::string Wrap(const SecretKey& data_key, std::string_view label) const;
  // Corruption when `wrapped` was not wrapped by this master key for `label`.
  Result<SecretKey> Unwrap(std::string_view wrapped, std::string_view label) const;

 private:
  SecretKey key_;
};

// The label of a user's data key.
std::string UserKeyLabel(std::string_view tenant, std::string_view user_id);

}  // namespace loci::crypto
