#include "service/validation.h"

#include <gtest/gtest.h>

namespace loci::service {
namespace {

StoreCommand ValidCommand() {
  StoreCommand command;
  command.user_id = "u1";
  IncomingMessage message;
  message.content = "hello";
  command.messages.push_back(message);
  return command;
}

void ExpectField(const Status& status, const std::string& field) {
  ASSERT_FALSE(status.ok()) << field;
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.field(), field);
}

TEST(ValidationTest, AcceptsAValidCommand) {
  EXPECT_TRUE(ValidateStoreCommand(ValidCommand(), Limits{}).ok());
}

TEST(ValidationTest, IdentifiersAreBoundedAndClean) {
  EXPECT_TRUE(ValidateIdentifier("user \xC3\xA9/1", "user_id", 256).ok());
  ExpectField(ValidateIdentifier("", "user_id", 256), "user_id");
  ExpectField(ValidateIdentifier(std::string(257, 'x'), "user_id", 256), "user_id");
  ExpectField(ValidateIdentifier("a\tb", "user_id", 256), "user_id");
  ExpectField(ValidateIdentifier("\xFF", "user_id", 256), "user_id");
}

TEST(ValidationTest, StoreLimitsNameTheField) {
  Limits limits;
  StoreCommand too_many = ValidCommand();
  too_many.messages.resize(1001, too_many.messages[0]);
  ExpectField(ValidateStoreCommand(too_many, limits), "messages");

  StoreCommand none = ValidCommand();
  none.messages.clear();
  ExpectField(ValidateStoreCommand(none, limits), "messages");

  StoreCommand long_content = ValidCommand();
  long_content.messages.push_back(long_content.messages[0]);
  long_content.messages[1].content.assign(64 * 1024 + 1, 'a');
  ExpectField(ValidateStoreCommand(long_content, limits), "messages[1].content");

  StoreCommand big_metadata = ValidCommand();
  big_metadata.messages[0].metadata_json = "{\"k\":\"" + std::string(16 * 1024, 'v') + "\"}";
  ExpectField(ValidateStoreCommand(big_metadata, limits), "messages[0].metadata");

  StoreCommand bad_name = ValidCommand();
  bad_name.messages[0].name = "";
  ExpectField(ValidateStoreCommand(bad_name, limits), "messages[0].name");

  StoreCommand bad_session = ValidCommand();
  bad_session.session_id = std::string("s\0", 2);
  ExpectField(ValidateStoreCommand(bad_session, limits), "session_id");
}

TEST(ValidationTest, SearchBounds) {
  SearchQuery query;
  query.user_id = "u1";
  query.query = "jazz";
  EXPECT_TRUE(ValidateSearchQuery(query, Limits{}).ok());
  query.limit = 0;
  ExpectField(ValidateSearchQuery(query, Limits{}), "limit");
  query.limit = 101;
  ExpectField(ValidateSearchQuery(query, Limits{}), "limit");
  query.limit = 10;
  query.offset = -1;
  ExpectField(ValidateSearchQuery(query, Limits{}), "offset");
  query.offset = 0;
  query.since = 2000;
  query.until = 1000;
  ExpectField(ValidateSearchQuery(query, Limits{}), "since");
}

TEST(ValidationTest, ContextBounds) {
  ContextQuery query;
  query.user_id = "u1";
  EXPECT_TRUE(ValidateContextQuery(query, Limits{}).ok());
  query.max_tokens = 0;
  ExpectField(ValidateContextQuery(query, Limits{}), "max_tokens");
  query.max_tokens = 100;
  query.max_messages = 0;
  ExpectField(ValidateContextQuery(query, Limits{}), "max_messages");
}

}  // namespace
}  // namespace loci::service
