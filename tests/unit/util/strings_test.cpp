#include "util/strings.h"

#include <gtest/gtest.h>

#include "util/ids.h"
#include "util/status.h"

namespace loci {
namespace {

TEST(StringsTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("secret-key", "secret-key"));
  EXPECT_FALSE(ConstantTimeEquals("secret-key", "secret-kez"));
  EXPECT_FALSE(ConstantTimeEquals("secret-key", "secret-key-longer"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(StringsTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(StringsTest, ControlCharacters) {
  EXPECT_FALSE(HasControlCharacters("user-1 \xC3\xA9"));
  EXPECT_TRUE(HasControlCharacters(std::string("a\0b", 3)));
  EXPECT_TRUE(HasControlCharacters("a\nb"));
  EXPECT_TRUE(HasControlCharacters("a\x7F"));
  EXPECT_TRUE(HasControlCharacters("a\xC2\x85"));  // NEL, a C1 control
}

TEST(IdsTest, IdsAreUniqueSortableAndPrefixed) {
  std::string earlier = NewId("m_", 1000);
  std::string later = NewId("m_", 2000);
  EXPECT_EQ(earlier.size(), 2u + 26u);
  EXPECT_EQ(earlier.rfind("m_", 0), 0u);
  EXPECT_LT(earlier, later);
  EXPECT_NE(NewId("m_", 1000), NewId("m_", 1000));
  EXPECT_NE(NewRequestId(), NewRequestId());
}

TEST(StatusTest, OkIsCheapAndErrorsCarryCodeMessageField) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.code(), StatusCode::kOk);
  Status bad = InvalidArgument("messages[0].role is bad", "messages[0].role");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.field(), "messages[0].role");
  EXPECT_EQ(bad.ToString(), "invalid_argument: messages[0].role is bad");
}

Result<int> Half(int value) {
  if (value % 2 != 0) return InvalidArgument("odd");
  return value / 2;
}

Result<int> Quarter(int value) {
  ASSIGN_OR_RETURN(int half, Half(value));
  return Half(half);
}

TEST(StatusTest, AssignOrReturnPropagates) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace loci
