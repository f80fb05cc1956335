// The cryptographic primitives Loci uses, all from libsodium (which only this layer sees).
//
// - Seal/Open: XChaCha20-Poly1305 (IETF) authenticated encryption with a random 24-byte nonce,
//   so keys never need a nonce counter. A sealed value is nonce || ciphertext || 16-byte tag:
//   40 bytes longer than the plaintext. Associated data binds it to where it belongs.
// - KeyedHash: BLAKE2b with a key, for blind-index terms and pseudonyms.
// - DeriveKey: BLAKE2b-based subkeys (crypto_kdf), so one stored key yields several.
// Thread-safety: every function is safe to call from any thread once Initialize succeeded.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace loci::crypto {

inline constexpr std::size_t kKeyBytes = 32;
inline constexpr std::size_t kSealOverhead = 24 + 16;  // nonce + tag

// A 32-byte secret key, wiped when destroyed.
class SecretKey {
 public:
  SecretKey() = default;  // all zero: not a usable key until assigned
  explicit SecretKey(const std::array<unsigned char, kKeyBytes>& bytes) : bytes_(bytes) {}
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();

  const unsigned char* data() const { return bytes_.data(); }
  unsigned char* data() { return bytes_.data(); }
  static constexpr std::size_t size() { return kKeyBytes; }

  // Constant time.
  bool operator==(const SecretKey& other) const;

 private:
  std::array<unsigned char, kKeyBytes> bytes_{};
};

// Must succeed once before anything else here is used; safe to call repeatedly.
Status Initialize();

SecretKey RandomKey();

// Standard base64 (with padding) of exactly 32 bytes; InvalidArgument otherwise.
Result<SecretKey> KeyFromBase64(std::string_view text);
std::string KeyToBase64(const SecretKey& key);

std::string Seal(const SecretKey& key, std::string_view plaintext, std::string_view associated);

// A value for SealAll; both views must outlive the call.
struct SealInput {
  std::string_view plaintext;
  std::string_view associated;
};

// Seal of each input, in order; the nonces are drawn from the random source at once (one
// system call for all, where each Seal makes one).
std::vector<std::string> SealAll(const SecretKey& key, std::span<const SealInput> inputs);

// Corruption when `sealed` was not made by Seal with this key and associated data.
Result<std::string> Open(const SecretKey& key, std::string_view sealed,
                         std::string_view associated);

// A BLAKE2b MAC of `data` under `key`, `bytes` long (16 to 64).
std::string KeyedHash(const SecretKey& key, std::string_view data, std::size_t bytes);

// Subkey number `id` of `parent` for `context` (exactly 8 characters, e.g. "loci-idx").
SecretKey DeriveKey(const SecretKey& parent, std::uint64_t id, std::string_view context);

// SHA-256, for values that are themselves high-entropy secrets (API keys).
std::string Sha256(std::string_view data);

std::string ToHex(std::string_view bytes);

// `bytes` bytes from the system's secure random source, as unpadded base64url (RFC 4648 §5:
// A-Z a-z 0-9 - _), e.g. the secret part of an API key. 32 bytes give 43 characters.
std::string RandomToken(std::size_t bytes);

}  // namespace loci::crypto
