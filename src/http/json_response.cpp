#include "http/json_response.h"

#include "http/error_mapping.h"
#include "util/time.h"

namespace loci::http {
namespace {

// The server itself wrote metadata_json at store time (a compact dump of a validated object),
// so it is embedded without parsing it again; only a damaged row is caught here.
Status CheckStoredMetadata(const model::Message& message) {
  const std::string& metadata = message.metadata_json;
  if (metadata.size() < 2 || metadata.front() != '{' || metadata.back() != '}') {
    return Internal("stored metadata of a message is not a JSON object");
  }
  return Status();
}

}  // namespace

std::string DumpJson(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Status WriteMessage(JsonWriter& writer, const model::Message& message) {
  RETURN_IF_ERROR(CheckStoredMetadata(message));
  writer.BeginObject();
  RETURN_IF_ERROR(WriteMessageFields(writer, message));
  writer.EndObject();
  return Status();
}

Status WriteMessageFields(JsonWriter& writer, const model::Message& message) {
  RETURN_IF_ERROR(CheckStoredMetadata(message));
  const std::string& metadata = message.metadata_json;
  writer.Key("id");
  writer.String(message.id);
  writer.Key("user_id");
  writer.String(message.user_id);
  writer.Key("session_id");
  writer.String(message.session_id);
  writer.Key("role");
  writer.String(model::RoleName(message.role));
  writer.Key("name");
  writer.OptionalString(message.name);
  writer.Key("content");
  writer.String(message.content);
  writer.Key("created_at");
  writer.String(FormatRfc3339(message.created_at));
  writer.Key("metadata");
  writer.Raw(metadata);
  writer.Key("token_count");
  writer.Int(message.token_count);
  return Status();
}

void WriteSession(JsonWriter& writer, const model::SessionInfo& session) {
  writer.BeginObject();
  WriteSessionFields(writer, session);
  writer.EndObject();
}

void WriteSessionFields(JsonWriter& writer, const model::SessionInfo& session) {
  writer.Key("session_id");
  writer.String(session.session_id);
  writer.Key("message_count");
  writer.Int(session.message_count);
  writer.Key("first_at");
  writer.String(FormatRfc3339(session.first_at));
  writer.Key("last_at");
  writer.String(FormatRfc3339(session.last_at));
}

void WritePreference(JsonWriter& writer, const model::Preference& preference) {
  writer.BeginObject();
  WritePreferenceFields(writer, preference);
  writer.EndObject();
}

void WritePreferenceFields(JsonWriter& writer, const model::Preference& preference) {
  writer.Key("key");
  writer.String(preference.key);
  writer.Key("value");
  writer.String(preference.value);
  writer.Key("category");
  writer.String(preference.category);
  writer.Key("confidence");
  writer.Double(preference.confidence);
  writer.Key("source");
  writer.String(model::PreferenceSourceName(preference.source));
  writer.Key("evidence");
  writer.BeginArray();
  for (const std::string& id : preference.evidence) writer.String(id);
  writer.EndArray();
  writer.Key("updated_at");
  writer.String(FormatRfc3339(preference.updated_at));
}

void WritePrivacySettings(JsonWriter& writer, const model::PrivacySettings& settings) {
  writer.BeginObject();
  WritePrivacyFields(writer, settings);
  writer.EndObject();
}

void WritePrivacyFields(JsonWriter& writer, const model::PrivacySettings& settings) {
  writer.Key("store_messages");
  writer.Bool(settings.store_messages);
  writer.Key("learn_preferences");
  writer.Bool(settings.learn_preferences);
  writer.Key("retention_days");
  writer.OptionalInt(settings.retention_days);
  writer.Key("redact_pii");
  writer.Bool(settings.redact_pii);
}

void WriteAuditEvent(JsonWriter& writer, const service::AuditEntry& event) {
  writer.BeginObject();
  WriteAuditEventFields(writer, event);
  writer.EndObject();
}

void WriteAuditEventFields(JsonWriter& writer, const service::AuditEntry& event) {
  writer.Key("seq");
  writer.Int(event.seq);
  writer.Key("at");
  writer.String(FormatRfc3339(event.at));
  writer.Key("tenant");
  writer.String(event.tenant);
  writer.Key("key_id");
  writer.String(event.key_id);
  writer.Key("action");
  writer.String(event.action);
  writer.Key("user");
  if (event.user.empty()) {
    writer.Null();
  } else {
    writer.String(event.user);
  }
  writer.Key("request_id");
  writer.String(event.request_id);
  writer.Key("outcome");
  writer.String(event.outcome);
  writer.Key("count");
  writer.Int(event.count);
}

Status WriteMessages(JsonWriter& writer, const std::vector<model::Message>& messages) {
  writer.BeginArray();
  for (const model::Message& message : messages) {
    RETURN_IF_ERROR(WriteMessage(writer, message));
  }
  writer.EndArray();
  return Status();
}

Status WriteScoredMessage(JsonWriter& writer, const service::ScoredMessage& scored,
                          bool with_highlights) {
  writer.BeginObject();
  writer.Key("message");
  RETURN_IF_ERROR(WriteMessage(writer, scored.message));
  writer.Key("score");
  writer.Double(scored.score);
  if (with_highlights) {
    writer.Key("highlights");
    writer.BeginArray();
    for (const std::string& highlight : scored.highlights) writer.String(highlight);
    writer.EndArray();
  }
  writer.EndObject();
  return Status();
}

std::size_t EstimateMessageBytes(const model::Message& message) {
  // Keys, quotes and the timestamp take about 150 bytes; escapes add a little to the content.
  constexpr std::size_t kFixed = 160;
  return kFixed + message.id.size() + message.user_id.size() + message.session_id.size() +
         (message.name ? message.name->size() : 0) + message.content.size() +
         message.content.size() / 16 + message.metadata_json.size();
}

Response JsonResponse(int status, const Json& body) {
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", "application/json");
  response.body = DumpJson(body);
  return response;
}

Response JsonTextResponse(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

Response SharedJsonResponse(int status, std::shared_ptr<const std::string> body) {
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", "application/json");
  response.shared_body = std::move(body);
  return response;
}

void ReplyJson(const Responder& respond, std::string_view request_id, int status,
               const Result<Json>& body) {
  if (!body.ok()) return ReplyError(respond, request_id, body.status());
  respond(JsonResponse(status, *body));
}

void ReplyJsonText(const Responder& respond, std::string_view request_id, int status,
                   Result<std::string> body) {
  if (!body.ok()) return ReplyError(respond, request_id, body.status());
  respond(JsonTextResponse(status, std::move(*body)));
}

void ReplyError(const Responder& respond, std::string_view request_id, const Status& status) {
  respond(ErrorResponse(status, request_id));
}

void ReplyInternal(const Responder& respond, std::string_view request_id, std::string_view why) {
  Response response = InternalErrorResponse(request_id);
  response.log_note = std::string(why);
  respond(std::move(response));
}

}  // namespace loci::http
