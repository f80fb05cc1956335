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

TEST(CodecTest, RoundTripsPostingListsWithAndWithoutCounts) {
  std::vector<Posting> postings = {
      {.seq = 100, .term_frequency = 1, .document_length = 20},
      {.seq = 101, .term_frequency = 3, .document_length = 0},
      {.seq = 5'000'000'000, .term_frequency = 200000, .document_length = 1 << 30}};
  std::vector<Posting> decoded = {{.seq = 1, .term_frequency = 1, .document_length = 1}};
  ASSERT_TRUE(DecodePostings(EncodePostings(100, postings, true), 100, true, &decoded).ok());
  ASSERT_EQ(decoded.size(), 4u);  // appended after what was there
  for (std::size_t i = 0; i < postings.size(); ++i) {
    EXPECT_EQ(decoded[i + 1].seq, postings[i].seq);
    EXPECT_EQ(decoded[i + 1].term_frequency, postings[i].term_frequency);
    EXPECT_EQ(decoded[i + 1].document_length, postings[i].document_length);
  }
  std::string seqs_only = EncodePostings(90, postings, false);
  EXPECT_EQ(seqs_only.size(), 1u + 1u + 5u);  // deltas 10, 1, 4999999899
  decoded.clear();
  ASSERT_TRUE(DecodePostings(seqs_only, 90, false, &decoded).ok());
  ASSERT_EQ(decoded.size(), 3u);
  EXPECT_EQ(decoded[2].seq, 5'000'000'000);
  EXPECT_EQ(decoded[2].term_frequency, 0);
  EXPECT_TRUE(EncodePostings(7, {}, true).empty());
}

TEST(CodecTest, MalformedPostingListIsCorruption) {
  std::vector<Posting> out;
  std::string encoded = EncodePostings(
      0, std::vector<Posting>{{.seq = 1, .term_frequency = 1, .document_length = 300}}, true);
  EXPECT_EQ(DecodePostings(encoded.substr(0, encoded.size() - 1), 0, true, &out).code(),
            StatusCode::kCorruption);
  EXPECT_EQ(DecodePostings("\x80", 0, false, &out).code(), StatusCode::kCorruption);
  // A seq past the largest int64, and a count past the largest int.
  std::string huge_delta = "\xff\xff\xff\xff\xff\xff\xff\xff\x7f";
  EXPECT_EQ(DecodePostings(huge_delta, 1, false, &out).code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodePostings(std::string("\x01\xff\xff\xff\xff\x7f\x01", 7), 0, true, &out).code(),
            StatusCode::kCorruption);
}

}  // namespace
}  // namespace loci::storage::sqlite
