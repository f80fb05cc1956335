#include "crypto/primitives.h"

#include <gtest/gtest.h>

#include <cctype>

#include "crypto/keyring.h"

namespace loci::crypto {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Initialize().ok()); }
};

TEST_F(CryptoTest, SealOpensOnlyWithTheSameKeyAndAssociatedData) {
  SecretKey key = RandomKey();
  std::string sealed = Seal(key, "hello world", "m_1:content");
  EXPECT_EQ(sealed.size(), 11 + kSealOverhead);
  EXPECT_EQ(sealed.find("hello"), std::string::npos);
  Result<std::string> opened = Open(key, sealed, "m_1:content");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "hello world");

  EXPECT_EQ(Open(key, sealed, "m_2:content").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(Open(RandomKey(), sealed, "m_1:content").status().code(), StatusCode::kCorruption);
  std::string altered = sealed;
  altered[30] ^= 1;
  EXPECT_EQ(Open(key, altered, "m_1:content").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(Open(key, "short", "").status().code(), StatusCode::kCorruption);
}

TEST_F(CryptoTest, SealingTwiceGivesDifferentCiphertexts) {
  SecretKey key = RandomKey();
  EXPECT_NE(Seal(key, "same", ""), Seal(key, "same", ""));
  Result<std::string> empty = Open(key, Seal(key, "", "ad"), "ad");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST_F(CryptoTest, SealAllSealsEachValueAsSealWithItsOwnNonce) {
  SecretKey key = RandomKey();
  const std::vector<SealInput> inputs = {
      {"hello world", "m_1/content"}, {"{}", "m_1/metadata"}, {"", "m_1/name"}, {"{}", "m_2/x"}};
  std::vector<std::string> sealed = SealAll(key, inputs);
  ASSERT_EQ(sealed.size(), inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    EXPECT_EQ(sealed[i].size(), inputs[i].plaintext.size() + kSealOverhead);
    Result<std::string> opened = Open(key, sealed[i], inputs[i].associated);
    ASSERT_TRUE(opened.ok()) << i;
    EXPECT_EQ(*opened, inputs[i].plaintext);
    EXPECT_EQ(Open(key, sealed[i], "m_9/content").status().code(), StatusCode::kCorruption);
    for (std::size_t j = 0; j < i; ++j) {  // no two share a nonce
      EXPECT_NE(sealed[i].substr(0, 24), sealed[j].substr(0, 24)) << i << " " << j;
    }
  }
  EXPECT_TRUE(SealAll(key, {}).empty());
}

TEST_F(CryptoTest, Base64KeysRoundTripAndBadOnesAreRefused) {
  SecretKey key = RandomKey();
  std::string text = KeyToBase64(key);
  EXPECT_EQ(text.size(), 44u);
  Result<SecretKey> back = KeyFromBase64(text);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(*back == key);
  EXPECT_FALSE(KeyFromBase64("").ok());
  EXPECT_FALSE(KeyFromBase64("not base64 at all!").ok());
  EXPECT_FALSE(KeyFromBase64(text.substr(0, 40)).ok());         // too short
  EXPECT_FALSE(KeyFromBase64(KeyToBase64(key) + "AAAA").ok());  // too long
  EXPECT_FALSE(KeyFromBase64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==").ok());  // 34 B
}

TEST_F(CryptoTest, KeyedHashDependsOnKeyAndData) {
  SecretKey a = RandomKey();
  SecretKey b = RandomKey();
  EXPECT_EQ(KeyedHash(a, "coffee", 16), KeyedHash(a, "coffee", 16));
  EXPECT_NE(KeyedHash(a, "coffee", 16), KeyedHash(b, "coffee", 16));
  EXPECT_NE(KeyedHash(a, "coffee", 16), KeyedHash(a, "coffe", 16));
  EXPECT_EQ(KeyedHash(a, "x", 32).size(), 32u);
}

TEST_F(CryptoTest, DerivedKeysDifferByIdAndContext) {
  SecretKey parent = RandomKey();
  EXPECT_TRUE(DeriveKey(parent, 1, "loci-idx") == DeriveKey(parent, 1, "loci-idx"));
  EXPECT_FALSE(DeriveKey(parent, 1, "loci-idx") == DeriveKey(parent, 2, "loci-idx"));
  EXPECT_FALSE(DeriveKey(parent, 1, "loci-idx") == DeriveKey(parent, 1, "lociseal"));
  UserKeys keys = DeriveUserKeys(parent);
  EXPECT_FALSE(keys.seal == keys.index);
}

TEST_F(CryptoTest, Sha256MatchesTheStandardVector) {
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(CryptoTest, RandomTokensAreUrlSafeAndDistinct) {
  const std::string token = RandomToken(32);
  EXPECT_EQ(token.size(), 43u);
  for (char c : token) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << token;
  }
  EXPECT_NE(RandomToken(32), token);
  EXPECT_EQ(RandomToken(3).size(), 4u);
}

TEST_F(CryptoTest, WrappedKeysUnwrapOnlyForTheirOwnerAndMaster) {
  MasterKey master(RandomKey());
  SecretKey data = RandomKey();
  std::string label = UserKeyLabel("acme", "alice");
  std::string wrapped = master.Wrap(data, label);
  Result<SecretKey> back = master.Unwrap(wrapped, label);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(*back == data);
  EXPECT_FALSE(master.Unwrap(wrapped, UserKeyLabel("acme", "bob")).ok());
  EXPECT_FALSE(master.Unwrap(wrapped, UserKeyLabel("acm", "ealice")).ok());
  EXPECT_FALSE(MasterKey(RandomKey()).Unwrap(wrapped, label).ok());
}

}  // namespace
}  // namespace loci::crypto
