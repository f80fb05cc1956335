#include "embed/word_vectors.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>

#include "embed/vectors_converter.h"
#include "embed/vectors_format.h"
#include "unit/embed/synthetic_vectors.h"

namespace loci::embed {
namespace {

using testing::SyntheticJson;
using testing::SyntheticVector;
using testing::SyntheticWords;

std::string ReadAll(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

class WordVectorsTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::ConvertSynthetic(SyntheticJson().dump(), path_); }

  loci::testing::TempDir dir_;
  std::string path_ = dir_.Path("vectors.lvec");
};

TEST_F(WordVectorsTest, ConvertedVectorsReadBackWithinQuantizationError) {
  auto vectors = WordVectors::Open(path_);
  ASSERT_TRUE(vectors.ok()) << vectors.status().ToString();
  const auto& words = SyntheticWords();
  ASSERT_EQ((*vectors)->size(), words.size());
  ASSERT_EQ((*vectors)->dimensions(), testing::kSyntheticDimensions);
  EXPECT_EQ((*vectors)->file_bytes(), std::filesystem::file_size(path_));
  std::vector<float> vector(testing::kSyntheticDimensions);
  for (std::uint32_t rank = 0; rank < words.size(); ++rank) {
    ASSERT_EQ((*vectors)->Find(words[rank]), rank) << words[rank];  // rank = frequency order
    EXPECT_EQ((*vectors)->Word(rank), words[rank]);
    (*vectors)->Vector(rank, vector);
    const std::vector<double> original = SyntheticVector(rank);
    double largest = 0;
    for (double x : original) largest = std::max(largest, std::abs(x));
    for (int i = 0; i < testing::kSyntheticDimensions; ++i) {
      EXPECT_NEAR(vector[i], original[i], largest / 127 / 2 + 1e-6) << words[rank] << " " << i;
    }
  }
}

TEST_F(WordVectorsTest, UnknownWordsAreNotFound) {
  auto vectors = WordVectors::Open(path_);
  ASSERT_TRUE(vectors.ok());
  EXPECT_FALSE((*vectors)->Find("zebra").has_value());
  EXPECT_FALSE((*vectors)->Find("").has_value());
  EXPECT_FALSE((*vectors)->Find("Cat").has_value());  // the vocabulary is lower-case
}

TEST_F(WordVectorsTest, CommonComponentIsUnitLengthAndAlongTheFunctionWords) {
  auto vectors = WordVectors::Open(path_);
  ASSERT_TRUE(vectors.ok());
  double norm = 0;
  for (float x : (*vectors)->common_component()) norm += double(x) * x;
  EXPECT_NEAR(norm, 1.0, 1e-5);
  // The frequent function words all lie along axis 2.
  EXPECT_GT(std::abs((*vectors)->common_component()[2]), 0.9);
}

TEST_F(WordVectorsTest, MissingFileIsNotFound) {
  EXPECT_EQ(WordVectors::Open(dir_.Path("absent")).status().code(), StatusCode::kNotFound);
}

TEST_F(WordVectorsTest, EveryTruncationIsCorruption) {
  const std::string bytes = ReadAll(path_);
  for (std::size_t length = 0; length < bytes.size(); length += 1 + length / 7) {
    WriteAll(path_, bytes.substr(0, length));
    auto vectors = WordVectors::Open(path_);
    ASSERT_FALSE(vectors.ok()) << length;
    EXPECT_EQ(vectors.status().code(), StatusCode::kCorruption) << length;
  }
}

TEST_F(WordVectorsTest, FlippedByteAnywhereIsCorruption) {
  const std::string bytes = ReadAll(path_);
  for (std::size_t at = 0; at < bytes.size(); at += 1 + at / 5) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
    WriteAll(path_, damaged);
    auto vectors = WordVectors::Open(path_);
    // A few header bytes (reserved) are not checked; everything else is.
    if (at >= offsetof(FileHeader, reserved) && at < sizeof(FileHeader)) continue;
    ASSERT_FALSE(vectors.ok()) << at;
    EXPECT_EQ(vectors.status().code(), StatusCode::kCorruption) << at;
  }
}

TEST_F(WordVectorsTest, GarbageIsCorruptionNamingTheProblem) {
  std::mt19937 random(7);
  std::string garbage(5000, '\0');
  for (char& c : garbage) c = static_cast<char>(random());
  WriteAll(path_, garbage);
  auto vectors = WordVectors::Open(path_);
  ASSERT_EQ(vectors.status().code(), StatusCode::kCorruption);
  EXPECT_NE(vectors.status().message().find("magic"), std::string::npos);

  WriteAll(path_, "");
  EXPECT_EQ(WordVectors::Open(path_).status().code(), StatusCode::kCorruption);
}

TEST_F(WordVectorsTest, OtherVersionIsCorruption) {
  std::string bytes = ReadAll(path_);
  const std::uint32_t version = kVectorsVersion + 1;
  std::memcpy(bytes.data() + offsetof(FileHeader, version), &version, sizeof(version));
  WriteAll(path_, bytes);
  auto vectors = WordVectors::Open(path_);
  ASSERT_EQ(vectors.status().code(), StatusCode::kCorruption);
  EXPECT_NE(vectors.status().message().find("version"), std::string::npos);
}

// Each broken input, and the words its error must contain.
struct BadJson {
  std::string name;
  std::function<void(nlohmann::ordered_json&)> damage;
  std::string expected;
};

TEST(VectorsConverterTest, BadJsonIsInvalidArgumentAndWritesNothing) {
  const std::vector<BadJson> cases = {
      {"no dimensions", [](nlohmann::ordered_json& j) { j.erase("dimensions"); }, "dimensions"},
      {"size too small", [](nlohmann::ordered_json& j) { j["size"] = 3; }, "more than"},
      {"size too large", [](nlohmann::ordered_json& j) { j["size"] = 100; }, "words"},
      {"short vector", [](nlohmann::ordered_json& j) { j["vectors"]["cat"].erase(0); }, "cat"},
      {"rank out of range", [](nlohmann::ordered_json& j) { j["vectors"]["cat"].back() = 999; },
       "range"},
      {"rank twice", [](nlohmann::ordered_json& j) { j["vectors"]["cat"].back() = 12; }, "twice"},
      {"string in vector", [](nlohmann::ordered_json& j) { j["vectors"]["dog"][0] = "x"; },
       "string"},
      {"vector missing", [](nlohmann::ordered_json& j) { j["vectors"].erase("dog"); }, "no vector"},
      {"wrong indexes", [](nlohmann::ordered_json& j) { j["wordIndex"] = 3; }, "wordIndex"},
      {"word mismatch",
       [](nlohmann::ordered_json& j) {
         std::swap(j["words"][11], j["words"][12]);  // cat <-> dog in the list only
       },
       "not for"},
  };
  for (const BadJson& bad : cases) {
    loci::testing::TempDir dir;
    nlohmann::ordered_json json = SyntheticJson();
    bad.damage(json);
    std::istringstream input(json.dump());
    auto report = ConvertWinkVectors(input, dir.Path("out.lvec"));
    ASSERT_FALSE(report.ok()) << bad.name;
    EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument) << bad.name;
    EXPECT_NE(report.status().message().find(bad.expected), std::string::npos)
        << bad.name << ": " << report.status().message();
    EXPECT_FALSE(std::filesystem::exists(dir.Path("out.lvec"))) << bad.name;
  }
}

TEST(VectorsConverterTest, TruncatedJsonNamesThePosition) {
  loci::testing::TempDir dir;
  const std::string json = SyntheticJson().dump();
  std::istringstream input(json.substr(0, json.size() / 2));
  auto report = ConvertWinkVectors(input, dir.Path("out.lvec"));
  ASSERT_EQ(report.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(report.status().message().find("near byte"), std::string::npos)
      << report.status().message();
}

TEST(VectorsConverterTest, HeaderFieldsMustPrecedeTheVectors) {
  loci::testing::TempDir dir;
  const nlohmann::ordered_json json = SyntheticJson();
  const std::string text = "{\"vectors\":" + json["vectors"].dump() +
                           ",\"dimensions\":8,\"size\":26,\"words\":" + json["words"].dump() + "}";
  std::istringstream input(text);
  auto report = ConvertWinkVectors(input, dir.Path("out.lvec"));
  ASSERT_EQ(report.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(report.status().message().find("must come first"), std::string::npos);
}

}  // namespace
}  // namespace loci::embed
