#include "service/vector_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace loci::service {
namespace {

// What Quantize must give: each value over the scale, rounded half away from zero (lround).
std::vector<std::int8_t> Expected(const std::vector<float>& vector, float scale) {
  std::vector<std::int8_t> values;
  for (float x : vector) values.push_back(static_cast<std::int8_t>(std::lround(x / scale)));
  return values;
}

TEST(VectorCodecTest, QuantizeRoundsHalvesAwayFromZero) {
  // The largest magnitude is 127, so the scale is 1 and each value is its own level.
  const std::vector<float> vector = {127,   -0.5F,  0.5F,    1.5F,        -1.5F,        2.5F,
                                     -2.5F, 126.5F, -126.5F, 0.49999997F, -0.49999997F, 0};
  QuantizedVector quantized = Quantize(vector);
  ASSERT_EQ(quantized.scale, 1.0F);
  EXPECT_EQ(quantized.values, Expected(vector, 1.0F));
  EXPECT_EQ(quantized.values[1], -1);
  EXPECT_EQ(quantized.values[5], 3);
  EXPECT_EQ(quantized.values[9], 0);
}

TEST(VectorCodecTest, QuantizeMatchesLroundOnRandomVectors) {
  std::mt19937 random(7);
  std::normal_distribution<float> normal(0, 0.1F);
  for (int round = 0; round < 200; ++round) {
    std::vector<float> vector(100);
    for (float& x : vector) x = normal(random);
    QuantizedVector quantized = Quantize(vector);
    EXPECT_EQ(quantized.values, Expected(vector, quantized.scale)) << round;
    auto decoded = DecodeVector(EncodeVector(vector));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->values, quantized.values);
  }
}

}  // namespace
}  // namespace loci::service
