#include "crypto/keyring.h"

#include <cstring>

namespace loci::crypto {
namespace {

std::string WrapAssociatedData(std::string_view label) {
  std::string associated = "loci-data-key:";
  associated += label;
  return associated;
}

}  // namespace

UserKeys DeriveUserKeys(const SecretKey& data_key) {
  return {.seal = DeriveKey(data_key, 1, "lociseal"), .index = DeriveKey(data_key, 2, "loci-idx")};
}

std::string MasterKey::Wrap(const SecretKey& data_key, std::string_view label) const {
  return Seal(key_,
              std::string_view(reinterpret_cast<const char*>(data_key.data()), data_key.size()),
              WrapAssociatedData(label));
}

Result<SecretKey> MasterKey::Unwrap(std::string_view wrapped, std::string_view label) const {
  ASSIGN_OR_RETURN(std::string bytes, Open(key_, wrapped, WrapAssociatedData(label)));
  if (bytes.size() != kKeyBytes) return Corruption("crypto: a wrapped key has the wrong size");
  SecretKey key;
  std::memcpy(key.data(), bytes.data(), kKeyBytes);
  std::fill(bytes.begin(), bytes.end(), '\0');
  return key;
}

std::string UserKeyLabel(std::string_view tenant, std::string_view user_id) {
  // Tenants hold no NUL (validated), so the separator keeps ("a", "bc") from ("ab", "c").
  std::string label(tenant);
  label += '\0';
  label += user_id;
  return label;
}

}  // namespace loci::crypto
