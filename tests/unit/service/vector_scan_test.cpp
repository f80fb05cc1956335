// The exact vector scan: the stored encoding, the int8 kernels, and top-k search that agrees
// with a float reference within quantization error, filters applied.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "service/int8_dot.h"
#include "service/vector_codec.h"
#include "service/vector_matrix.h"

namespace loci::service {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<float> RandomUnit(std::mt19937& random, int dimensions) {
  std::normal_distribution<float> normal;
  std::vector<float> vector(dimensions);
  float norm = 0;
  for (float& x : vector) {
    x = normal(random);
    norm += x * x;
  }
  for (float& x : vector) x /= std::sqrt(norm);
  return vector;
}

double FloatDot(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += double{a[i]} * b[i];
  return sum;
}

storage::StoredEmbedding Row(std::int64_t seq, const std::vector<float>& vector,
                             std::string session = "s1", model::Role role = model::Role::kUser,
                             UnixMillis at = 0) {
  std::string id = "m";  // (not "m" + ...: GCC 12 warns falsely, -Wrestrict)
  id += std::to_string(seq);
  return {.seq = seq,
          .message_id = std::move(id),
          .session_id = std::move(session),
          .role = role,
          .created_at = at,
          .vector = EncodeVector(vector)};
}

std::vector<std::int64_t> Seqs(const std::vector<ScoredSeq>& scored) {
  std::vector<std::int64_t> seqs;
  for (const ScoredSeq& s : scored) seqs.push_back(s.seq);
  return seqs;
}

TEST(VectorCodecTest, RoundTripsWithinHalfAStep) {
  std::vector<float> vector = {0.5F, -0.25F, 0.0F, 0.125F, -0.5F};
  auto decoded = DecodeVector(EncodeVector(vector));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->values.size(), vector.size());
  for (std::size_t i = 0; i < vector.size(); ++i) {
    EXPECT_NEAR(decoded->values[i] * decoded->scale, vector[i], decoded->scale / 2);
  }
  EXPECT_EQ(decoded->values[4], -127);  // the largest magnitude takes the full range

  auto zero = DecodeVector(EncodeVector(std::vector<float>(3, 0.0F)));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->scale, 0);
}

TEST(VectorCodecTest, RejectsWhatItDidNotWrite) {
  EXPECT_EQ(DecodeVector("").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeVector(std::string("\x01\x00\x00", 3)).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeVector(std::string("\x02\x00\x00\x80\x3f\x05", 6)).status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(DecodeVector(std::string("\x01\x00\x00\xc0\x7f\x05", 6)).status().code(),  // NaN
            StatusCode::kCorruption);
}

TEST(Int8DotTest, DispatchedKernelEqualsThePortableLoop) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> value(-127, 127);
  for (std::size_t stride : {kDotBlock, 4 * kDotBlock, 48 * kDotBlock}) {
    const std::size_t rows = 37;
    std::vector<std::int8_t> query(stride);
    std::vector<std::int8_t> matrix(rows * stride);
    for (auto& q : query) q = static_cast<std::int8_t>(value(random));
    for (auto& m : matrix) m = static_cast<std::int8_t>(value(random));
    matrix[0] = -127;
    query[0] = -127;  // extremes: no saturation
    std::vector<std::int32_t> fast(rows);
    std::vector<std::int32_t> portable(rows);
    DotRows(query.data(), matrix.data(), rows, stride, fast.data());
    DotRowsPortable(query.data(), matrix.data(), rows, stride, portable.data());
    EXPECT_EQ(fast, portable) << "stride " << stride << ", kernel " << DotRowsKernel();
  }
  std::vector<std::int8_t> full(kDotBlock, 127);
  std::int32_t out = 0;
  DotRows(full.data(), full.data(), 1, kDotBlock, &out);
  EXPECT_EQ(out, 32 * 127 * 127);
}

// Quantized top-k against the float reference on random unit vectors: every score within the
// error bound, and the same results except where float scores are closer than the bound.
TEST(VectorMatrixTest, TopKMatchesTheFloatReferenceWithinQuantizationError) {
  std::mt19937 random(42);
  for (int dimensions : {100, 384}) {
    SCOPED_TRACE(dimensions);
    const int rows = 3000;
    std::vector<std::vector<float>> vectors;
    std::vector<storage::StoredEmbedding> stored;
    for (int i = 0; i < rows; ++i) {
      vectors.push_back(RandomUnit(random, dimensions));
      stored.push_back(Row(i + 1, vectors.back()));
    }
    auto matrix = VectorMatrix::Build(stored);
    ASSERT_TRUE(matrix.ok()) << matrix.status().ToString();
    // A per-coordinate error of half a step on both sides bounds the score's error; for unit
    // vectors it is a few thousandths in practice.
    constexpr double kTolerance = 0.01;
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<float> query = RandomUnit(random, dimensions);
      constexpr std::size_t k = 10;
      auto top = matrix->Search(query, {}, k);
      ASSERT_TRUE(top.ok());
      ASSERT_EQ(top->size(), k);
      std::vector<double> reference;
      for (const auto& vector : vectors) reference.push_back(FloatDot(query, vector));
      std::vector<double> sorted = reference;
      std::sort(sorted.rbegin(), sorted.rend());
      const double kth = sorted[k - 1];
      for (const ScoredSeq& hit : *top) {
        const double exact = reference[hit.seq - 1];
        EXPECT_NEAR(hit.score, exact, kTolerance);
        EXPECT_GE(exact, kth - 2 * kTolerance) << "a result the float reference ranks far lower";
      }
      const std::vector<std::int64_t> seqs = Seqs(*top);
      for (int i = 0; i < rows; ++i) {
        if (reference[i] > sorted[k] + 2 * kTolerance) {  // clearly in the float top-k
          EXPECT_NE(std::find(seqs.begin(), seqs.end(), i + 1), seqs.end()) << "missing " << i + 1;
        }
      }
    }
  }
}

TEST(VectorMatrixTest, FiltersLimitAndOrder) {
  std::vector<float> a = {1, 0, 0, 0};
  std::vector<float> b = {0.8F, 0.6F, 0, 0};
  std::vector<float> c = {0, 1, 0, 0};
  auto matrix = VectorMatrix::Build(
      {Row(1, a, "s1", model::Role::kUser, 100), Row(2, b, "s2", model::Role::kAssistant, 200),
       Row(3, c, "s1", model::Role::kUser, 300), Row(4, a, "s2", model::Role::kUser, 400)});
  ASSERT_TRUE(matrix.ok());
  EXPECT_EQ(matrix->dimensions(), 4);
  auto search = [&](const storage::MessageFilter& filter, std::size_t limit = 10) {
    auto found = matrix->Search(a, filter, limit);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? Seqs(*found) : std::vector<std::int64_t>{};
  };
  EXPECT_THAT(search({}), ElementsAre(4, 1, 2, 3));  // equal scores: newer first
  EXPECT_THAT(search({}, 2), ElementsAre(4, 1));
  storage::MessageFilter session;
  session.session_id = "s1";
  EXPECT_THAT(search(session), ElementsAre(1, 3));
  session.session_id = "none";
  EXPECT_THAT(search(session), IsEmpty());
  storage::MessageFilter roles;
  roles.roles = {model::Role::kAssistant};
  EXPECT_THAT(search(roles), ElementsAre(2));
  storage::MessageFilter window;
  window.since = 200;
  window.until = 400;
  EXPECT_THAT(search(window), ElementsAre(2, 3));

  EXPECT_THAT(Seqs(*matrix->Search(std::vector<float>(4, 0.0F), {}, 10)), IsEmpty());
  EXPECT_EQ(matrix->Search(std::vector<float>(3, 1.0F), {}, 10).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(VectorMatrixTest, RefusesMixedDimensionsAndUndecodableVectors) {
  EXPECT_EQ(VectorMatrix::Build({Row(1, {1, 0}), Row(2, {1, 0, 0})}).status().code(),
            StatusCode::kCorruption);
  storage::StoredEmbedding broken = Row(1, {1, 0});
  broken.vector = "garbage";
  EXPECT_EQ(VectorMatrix::Build({broken}).status().code(), StatusCode::kCorruption);
  auto empty = VectorMatrix::Build({});
  ASSERT_TRUE(empty.ok());
  EXPECT_THAT(Seqs(*empty->Search(std::vector<float>{1, 0}, {}, 5)), IsEmpty());
}

}  // namespace
}  // namespace loci::service
