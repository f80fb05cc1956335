#include "storage/term_blinder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace loci::storage {
namespace {

class TermBlinderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::Initialize().ok()); }

  crypto::SecretKey key_ = crypto::RandomKey();
  TermBlinder::Room room_ = std::make_shared<std::atomic<std::int64_t>>(100);
};

TEST_F(TermBlinderTest, BlindsAsBlindValueWhetherRememberedOrNot) {
  TermBlinder blinder(key_, room_, 10);
  const std::string first = blinder.Blind("caroline");
  EXPECT_EQ(first, BlindValue(key_, 't', "caroline"));
  EXPECT_EQ(first.size(), 12u);
  EXPECT_EQ(blinder.size(), 1u);
  EXPECT_EQ(blinder.Blind("caroline"), first);  // from the memo
  EXPECT_EQ(blinder.size(), 1u);
  EXPECT_NE(BlindValue(key_, 'a', "caroline"), first);  // kinds never collide
}

TEST_F(TermBlinderTest, AnotherKeyBlindsOtherwise) {
  TermBlinder mine(key_, room_, 10);
  const crypto::SecretKey other_key = crypto::RandomKey();
  TermBlinder theirs(other_key, room_, 10);
  ASSERT_EQ(mine.Blind("lisbon"), BlindValue(key_, 't', "lisbon"));
  EXPECT_EQ(theirs.Blind("lisbon"), BlindValue(other_key, 't', "lisbon"));
  EXPECT_NE(theirs.Blind("lisbon"), mine.Blind("lisbon"));
}

TEST_F(TermBlinderTest, AVocabularyBeyondTheMemoStartsItAfresh) {
  TermBlinder blinder(key_, room_, 3);
  for (int i = 0; i < 10; ++i) {
    const std::string term = "term" + std::to_string(i);
    EXPECT_EQ(blinder.Blind(term), BlindValue(key_, 't', term));
    EXPECT_LE(blinder.size(), 3u);
  }
  EXPECT_EQ(*room_, 100 - static_cast<std::int64_t>(blinder.size()));
}

TEST_F(TermBlinderTest, SharedRoomBoundsAllUsersAndIsGivenBack) {
  *room_ = 2;
  {
    TermBlinder first(key_, room_, 10);
    TermBlinder second(crypto::RandomKey(), room_, 10);
    first.Blind("a");
    first.Blind("b");
    EXPECT_EQ(*room_, 0);
    EXPECT_EQ(second.Blind("c"), second.Blind("c"));  // correct, just not remembered
    EXPECT_EQ(second.size(), 0u);
    EXPECT_EQ(*room_, 0);
  }
  EXPECT_EQ(*room_, 2);  // the memos went with their blinders
}

}  // namespace
}  // namespace loci::storage
