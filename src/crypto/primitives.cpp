#include "crypto/primitives.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace loci::crypto {
namespace {

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

// nonce || ciphertext || tag. REQUIRES: `nonce` is kNonceBytes fresh random bytes.
std::string SealWithNonce(const SecretKey& key, const unsigned char* nonce,
                          std::string_view plaintext, std::string_view associated) {
  std::string sealed(kNonceBytes + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES,
                     '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  std::memcpy(out, nonce, kNonceBytes);
  unsigned long long length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + kNonceBytes, &length, Bytes(plaintext),
                                             plaintext.size(), Bytes(associated), associated.size(),
                                             nullptr, out, key.data());
  sealed.resize(kNonceBytes + length);
  return sealed;
}

}  // namespace

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

bool SecretKey::operator==(const SecretKey& other) const {
  return sodium_memcmp(bytes_.data(), other.bytes_.data(), bytes_.size()) == 0;
}

Status Initialize() {
  if (sodium_init() < 0) return Internal("crypto: libsodium failed to initialize");
  return Status::Ok();
}

SecretKey RandomKey() {
  SecretKey key;
  crypto_aead_xchacha20poly1305_ietf_keygen(key.data());
  return key;
}

Result<SecretKey> KeyFromBase64(std::string_view text) {
  // Decode into a larger buffer so that a longer input is noticed, not truncated.
  std::array<unsigned char, kKeyBytes + 3> decoded{};
  std::size_t length = 0;
  const char* end = nullptr;
  int failed = sodium_base642bin(decoded.data(), decoded.size(), text.data(), text.size(), nullptr,
                                 &length, &end, sodium_base64_VARIANT_ORIGINAL);
  SecretKey key;
  if (failed != 0 || end != text.data() + text.size() || length != kKeyBytes) {
    sodium_memzero(decoded.data(), decoded.size());
    return InvalidArgument("must be 32 bytes in standard base64 (44 characters)");
  }
  std::memcpy(key.data(), decoded.data(), kKeyBytes);
  sodium_memzero(decoded.data(), decoded.size());
  return key;
}

std::string KeyToBase64(const SecretKey& key) {
  std::string text(sodium_base64_ENCODED_LEN(kKeyBytes, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), key.data(), kKeyBytes,
                    sodium_base64_VARIANT_ORIGINAL);
  text.pop_back();  // the terminating zero
  return text;
}

std::string Seal(const SecretKey& key, std::string_view plaintext, std::string_view associated) {
  std::array<unsigned char, kNonceBytes> nonce{};
  randombytes_buf(nonce.data(), nonce.size());
  return SealWithNonce(key, nonce.data(), plaintext, associated);
}

std::vector<std::string> SealAll(const SecretKey& key, std::span<const SealInput> inputs) {
  std::vector<unsigned char> nonces(inputs.size() * kNonceBytes);
  if (!nonces.empty()) randombytes_buf(nonces.data(), nonces.size());
  std::vector<std::string> sealed;
  sealed.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    sealed.push_back(SealWithNonce(key, nonces.data() + i * kNonceBytes, inputs[i].plaintext,
                                   inputs[i].associated));
  }
  return sealed;
}

Result<std::string> Open(const SecretKey& key, std::string_view sealed,
                         std::string_view associated) {
  if (sealed.size() < kSealOverhead) return Corruption("crypto: sealed value too short");
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string plaintext(sealed.size() - kSealOverhead, '\0');
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), &length, nullptr,
          Bytes(sealed) + kNonce, sealed.size() - kNonce, Bytes(associated), associated.size(),
          Bytes(sealed), key.data()) != 0) {
    return Corruption("crypto: a sealed value failed authentication (wrong key or altered)");
  }
  plaintext.resize(length);
  return plaintext;
}

std::string KeyedHash(const SecretKey& key, std::string_view data, std::size_t bytes) {
  std::string hash(bytes, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(hash.data()), bytes, Bytes(data), data.size(),
                     key.data(), key.size());
  return hash;
}

SecretKey DeriveKey(const SecretKey& parent, std::uint64_t id, std::string_view context) {
  static_assert(crypto_kdf_CONTEXTBYTES == 8);
  std::array<char, crypto_kdf_CONTEXTBYTES> padded{};
  std::memcpy(padded.data(), context.data(), std::min(context.size(), padded.size()));
  SecretKey key;
  crypto_kdf_derive_from_key(key.data(), key.size(), id, padded.data(), parent.data());
  return key;
}

std::string Sha256(std::string_view data) {
  std::string hash(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(hash.data()), Bytes(data), data.size());
  return hash;
}

std::string ToHex(std::string_view bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), Bytes(bytes), bytes.size());
  hex.pop_back();
  return hex;
}

std::string RandomToken(std::size_t bytes) {
  std::string random(bytes, '\0');
  randombytes_buf(random.data(), random.size());
  std::string text(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                   '\0');
  sodium_bin2base64(text.data(), text.size(), Bytes(random), random.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(random.data(), random.size());
  text.resize(std::strlen(text.c_str()));  // up to the terminating zero
  return text;
}

}  // namespace loci::crypto
