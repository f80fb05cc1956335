// ParseJsonRecords: the strict reading of a chat model's JSON answer into flat records.
#include "embed/json_records.h"

#include <gtest/gtest.h>

#include <string>

namespace loci::embed {
namespace {

TEST(JsonRecordsTest, ReadsTheArrayOfTheNamedFieldWithEveryScalarType) {
  auto parsed = ParseJsonRecords(
      R"({"observations": [{"turn": 2, "key": "diet", "value": "vegan", "retract": false,
          "note": null}]})",
      "observations");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->records.size(), 1u);
  const JsonRecord& record = parsed->records[0];
  EXPECT_EQ(std::get<double>(record.at("turn")), 2);
  EXPECT_EQ(std::get<std::string>(record.at("key")), "diet");
  EXPECT_EQ(std::get<bool>(record.at("retract")), false);
  EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(record.at("note")));
  EXPECT_EQ(parsed->skipped, 0);
}

TEST(JsonRecordsTest, ABareArrayAndACodeFenceAreAccepted) {
  auto bare = ParseJsonRecords(R"([{"a": 1}, {"b": "x"}])", "observations");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->records.size(), 2u);
  auto fenced =
      ParseJsonRecords("```json\n{\"observations\": [{\"a\": 1}]}\n```\n", "observations");
  ASSERT_TRUE(fenced.ok()) << fenced.status().ToString();
  EXPECT_EQ(fenced->records.size(), 1u);
  auto plain_fence = ParseJsonRecords("```\n[]\n```", "observations");
  ASSERT_TRUE(plain_fence.ok());
  EXPECT_TRUE(plain_fence->records.empty());
}

TEST(JsonRecordsTest, ElementsThatAreNotFlatObjectsAreSkippedAndCounted) {
  auto parsed = ParseJsonRecords(
      R"({"observations": [1, "two", [3], {"nested": {"x": 1}}, {"list": [1]}, {"ok": true}]})",
      "observations");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->records.size(), 1u);
  EXPECT_EQ(parsed->skipped, 5);
}

TEST(JsonRecordsTest, AnythingElseIsRefused) {
  for (const std::string answer :
       {"", "   ", "Sure! Here are the preferences: name is Sam.", "{\"observations\": [",
        "{\"observations\": 5}", "{\"observations\": {\"turn\": 1}}", "{\"other\": []}",
        "\"observations\"", "42", "[] []", "{\"observations\": []} trailing",
        "```json\nnot json\n```"}) {
    auto parsed = ParseJsonRecords(answer, "observations");
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << answer;
  }
}

}  // namespace
}  // namespace loci::embed
