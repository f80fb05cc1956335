#include "http/export_encoder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "fake_memory_service.h"
#include "http/json_response.h"

namespace loci::http::testing {
namespace {

using Json = nlohmann::json;

service::ExportHeader Header() {
  service::ExportHeader header;
  header.user_id = "u\"1";
  header.exported_at = 1'796'022'771'123;
  header.sessions = {{.session_id = "s2", .message_count = 1, .first_at = 0, .last_at = 1000},
                     {.session_id = "s1", .message_count = 2, .first_at = 5, .last_at = 6}};
  header.message_count = 3;
  header.privacy = {.store_messages = true, .retention_days = 30, .redact_pii = true};
  header.summaries = {{.session_id = "s1",
                       .summary = {"[2023-05-08] Ana: I moved to \"Lisbon\".", "m_1", 2},
                       .updated_at = 1'796'022'000'000}};
  header.preferences = {{.key = "diet",
                         .value = "vegan \"strict\"",
                         .category = "personal",
                         .confidence = 0.9,
                         .source = model::PreferenceSource::kExplicit,
                         .evidence = {"m_1"},
                         .updated_at = 1'796'022'000'000}};
  return header;
}

std::vector<std::vector<service::AuditEntry>> AuditPages() {
  const service::AuditEntry store{.seq = 7,
                                  .at = 1'796'022'000'000,
                                  .tenant = "t1",
                                  .key_id = "k_1",
                                  .action = "store",
                                  .user = "0123456789abcdef0123456789abcdef",
                                  .request_id = "req-\"1",
                                  .outcome = "ok",
                                  .count = 3};
  service::AuditEntry export_event = store;
  export_event.seq = 12;
  export_event.action = "export";
  export_event.key_id = "";
  return {{store}, {}, {export_event}};
}

std::vector<std::vector<model::Message>> Pages() {
  model::Message named = SampleMessage("m_2", 3);
  named.name = "Caroline";
  named.content = "line\nbreak \xff invalid";
  return {{SampleMessage("m_0", 1), SampleMessage("m_1", 2)}, {}, {named}};
}

// Runs the encoder over the header and pages; returns the pieces joined.
std::string Encode(ExportFormat format) {
  ExportEncoder encoder(format);
  std::string all;
  std::string piece = "stale";
  encoder.Begin(Header(), piece);
  all += piece;
  for (const auto& page : Pages()) {
    EXPECT_TRUE(encoder.Messages(page, piece).ok());
    all += piece;
  }
  for (const auto& page : AuditPages()) {
    encoder.AuditEvents(page, piece);
    all += piece;
  }
  encoder.End(piece);
  all += piece;
  EXPECT_EQ(encoder.messages_written(), 3);
  EXPECT_EQ(encoder.audit_events_written(), 2);
  return all;
}

// The JSON of GET /audit's event object and of GET /memory/privacy, as the routes write them.
Json AuditEventJson(const service::AuditEntry& event) {
  JsonWriter writer;
  WriteAuditEvent(writer, event);
  return Json::parse(writer.Take());
}

std::string MessageJson(const model::Message& message) {
  JsonWriter writer;
  EXPECT_TRUE(WriteMessage(writer, message).ok());
  return writer.Take();
}

TEST(ExportEncoderTest, JsonIsOneDocumentWithSessionsAndMessagesInOrder) {
  const Json document = Json::parse(Encode(ExportFormat::kJson));
  EXPECT_EQ(document["user_id"], "u\"1");
  EXPECT_EQ(document["exported_at"], "2026-11-30T07:12:51.123Z");
  ASSERT_EQ(document["sessions"].size(), 2u);
  EXPECT_EQ(document["sessions"][0], Json({{"session_id", "s2"},
                                           {"message_count", 1},
                                           {"first_at", "1970-01-01T00:00:00.000Z"},
                                           {"last_at", "1970-01-01T00:00:01.000Z"}}));
  ASSERT_EQ(document["messages"].size(), 3u);
  std::vector<model::Message> flat;
  for (const auto& page : Pages()) flat.insert(flat.end(), page.begin(), page.end());
  for (std::size_t i = 0; i < flat.size(); ++i) {
    EXPECT_EQ(document["messages"][i], Json::parse(MessageJson(flat[i])));
  }
  EXPECT_EQ(document["messages"][2]["name"], "Caroline");
  EXPECT_EQ(document["summaries"],
            Json::array({{{"session_id", "s1"},
                          {"text", "[2023-05-08] Ana: I moved to \"Lisbon\"."},
                          {"covers_until", "m_1"},
                          {"message_count", 2},
                          {"updated_at", "2026-11-30T07:00:00.000Z"}}}));
  EXPECT_EQ(document["privacy"], Json({{"store_messages", true},
                                       {"learn_preferences", true},
                                       {"retention_days", 30},
                                       {"redact_pii", true}}));
  ASSERT_EQ(document["audit_events"].size(), 2u);
  EXPECT_EQ(document["audit_events"][0], Json({{"seq", 7},
                                               {"at", "2026-11-30T07:00:00.000Z"},
                                               {"tenant", "t1"},
                                               {"key_id", "k_1"},
                                               {"action", "store"},
                                               {"user", "0123456789abcdef0123456789abcdef"},
                                               {"request_id", "req-\"1"},
                                               {"outcome", "ok"},
                                               {"count", 3}}));
  EXPECT_EQ(document["audit_events"][1], AuditEventJson(AuditPages()[2][0]));
  EXPECT_EQ(document["preferences"],
            Json::array({Json({{"key", "diet"},
                               {"value", "vegan \"strict\""},
                               {"category", "personal"},
                               {"confidence", 0.9},
                               {"source", "explicit"},
                               {"evidence", {"m_1"}},
                               {"updated_at", "2026-11-30T07:00:00.000Z"}})}));
  EXPECT_EQ(document.size(), 8u);
}

TEST(ExportEncoderTest, JsonMembersComeInTheDocumentedOrder) {
  const std::string text = Encode(ExportFormat::kJson);
  const std::size_t messages = text.find("\"messages\":");
  const std::size_t summaries = text.find("\"summaries\":");
  const std::size_t privacy = text.find("\"privacy\":");
  const std::size_t audit = text.find("\"audit_events\":");
  ASSERT_NE(audit, std::string::npos);
  EXPECT_LT(text.find("\"sessions\":"), messages);
  EXPECT_LT(messages, summaries);
  EXPECT_LT(summaries, privacy);
  const std::size_t preferences = text.find("\"preferences\":");
  EXPECT_LT(summaries, preferences);
  EXPECT_LT(preferences, privacy);
  EXPECT_LT(privacy, audit);
}

TEST(ExportEncoderTest, WithoutAuditEventsTheSectionsAreStillWritten) {
  for (ExportFormat format : {ExportFormat::kJson, ExportFormat::kNdjson}) {
    ExportEncoder encoder(format);
    std::string all;
    std::string piece;
    service::ExportHeader header = Header();
    header.privacy = {};
    header.summaries.clear();
    header.preferences.clear();
    encoder.Begin(header, piece);
    all += piece;
    std::vector<model::Message> page = {SampleMessage("m_0", 1)};
    ASSERT_TRUE(encoder.Messages(page, piece).ok());
    all += piece;
    encoder.End(piece);
    all += piece;
    const Json privacy = {{"store_messages", true},
                          {"learn_preferences", true},
                          {"retention_days", nullptr},
                          {"redact_pii", false}};
    if (format == ExportFormat::kJson) {
      const Json document = Json::parse(all);
      EXPECT_EQ(document["privacy"], privacy);
      EXPECT_EQ(document["preferences"], Json::array());
      EXPECT_EQ(document["audit_events"], Json::array());
      EXPECT_EQ(document["summaries"], Json::array());
      continue;
    }
    std::istringstream lines(all);
    std::vector<Json> objects;
    for (std::string line; std::getline(lines, line);) objects.push_back(Json::parse(line));
    ASSERT_EQ(objects.size(), 1u + 2u + 1u + 1u + 1u);
    Json privacy_line = privacy;
    privacy_line["type"] = "privacy";
    EXPECT_EQ(objects[4], privacy_line);
    EXPECT_EQ(objects[5], Json({{"type", "end"}, {"message_count", 1}, {"audit_event_count", 0}}));
  }
}

TEST(ExportEncoderTest, NdjsonLinesAreTheDocumentsObjectsWithTheirType) {
  const std::string text = Encode(ExportFormat::kNdjson);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::istringstream lines(text);
  std::vector<std::string> raw;
  std::vector<Json> objects;
  for (std::string line; std::getline(lines, line);) {
    raw.push_back(line);
    objects.push_back(Json::parse(line));
  }
  const Json document = Json::parse(Encode(ExportFormat::kJson));
  ASSERT_EQ(objects.size(), 12u);
  EXPECT_EQ(
      objects[0],
      Json({{"type", "user"}, {"user_id", "u\"1"}, {"exported_at", "2026-11-30T07:12:51.123Z"}}));
  for (int i = 0; i < 2; ++i) {
    Json session = document["sessions"][i];
    session["type"] = "session";
    EXPECT_EQ(objects[1 + i], session);
  }
  for (int i = 0; i < 3; ++i) {
    Json message = document["messages"][i];
    message["type"] = "message";
    EXPECT_EQ(objects[3 + i], message);
    EXPECT_TRUE(raw[3 + i].starts_with("{\"type\":\"message\",\"id\":"))
        << "type comes first in each line";
  }
  Json summary = document["summaries"][0];
  summary["type"] = "summary";
  EXPECT_EQ(objects[6], summary);
  EXPECT_TRUE(raw[6].starts_with("{\"type\":\"summary\",\"session_id\":"));
  Json preference = document["preferences"][0];
  preference["type"] = "preference";
  EXPECT_EQ(objects[7], preference);
  EXPECT_TRUE(raw[7].starts_with("{\"type\":\"preference\","));
  Json privacy = document["privacy"];
  privacy["type"] = "privacy";
  EXPECT_EQ(objects[8], privacy);
  EXPECT_TRUE(raw[8].starts_with("{\"type\":\"privacy\","));
  for (int i = 0; i < 2; ++i) {
    Json event = document["audit_events"][i];
    event["type"] = "audit_event";
    EXPECT_EQ(objects[9 + i], event);
    EXPECT_TRUE(raw[9 + i].starts_with("{\"type\":\"audit_event\",\"seq\":"));
  }
  EXPECT_EQ(objects[11], Json({{"type", "end"}, {"message_count", 3}, {"audit_event_count", 2}}));
}

TEST(ExportEncoderTest, DamagedMessageFailsThePage) {
  for (ExportFormat format : {ExportFormat::kJson, ExportFormat::kNdjson}) {
    ExportEncoder encoder(format);
    std::string piece;
    encoder.Begin(Header(), piece);
    model::Message damaged = SampleMessage("m_0", 1);
    damaged.metadata_json = "not json";
    std::vector<model::Message> page = {damaged};
    EXPECT_EQ(encoder.Messages(page, piece).code(), StatusCode::kInternal);
  }
}

}  // namespace
}  // namespace loci::http::testing
