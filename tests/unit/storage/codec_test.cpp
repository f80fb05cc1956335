#include "storage/sqlite/codec.h"

#include <gtest/gtest.h>

namespace loci::storage::sqlite {
namespace {

TEST(CodecTest, RoundTripsEntriesOfAnyBytesAndLength) {
  std::vector<std::string> entries = {"",
                                      "a",
                                      std::string(1, '\0'),
                                      std::string(300, 'x'),
                                      "\xff\x80 binary",
                                      std::string(70000, 'y')};
  std::string encoded;
  for (const auto& entry : entries) AppendEntry(entry, &encoded);
  auto decoded = DecodeEntries(encoded);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, entries);
  EXPECT_TRUE(DecodeEntries("")->empty());
}

TEST(CodecTest, MalformedInputIsCorruption) {
  std::string encoded;
  AppendEntry("hello", &encoded);
  EXPECT_EQ(DecodeEntries(encoded.substr(0, 3)).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeEntries("\x80").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeEntries(std::string(12, '\xff')).status().code(), StatusCode::kCorruption);
}

TEST(CodecTest, RoundTripsTermLists) {
  std::vector<TermFrequency> terms = {{"apple", 2}, {"", 1}, {std::string("\0b", 2), 300000}};
  auto decoded = DecodeTerms(EncodeTerms(terms));
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->size(), 3u);
  for (std::size_t i = 0; i < terms.size(); ++i) {
    EXPECT_EQ((*decoded)[i].term, terms[i].term);
    EXPECT_EQ((*decoded)[i].count, terms[i].count);
  }
  std::string encoded = EncodeTerms(terms);
  EXPECT_EQ(DecodeTerms(encoded.substr(0, encoded.size() - 1)).status().code(),
            StatusCode::kCorruption);
}

}  // namespace
}  // namespace loci::storage::sqlite
