#include "http/json_response.h"

#include "http/error_mapping.h"
#include "util/time.h"

namespace loci::http {

std::string DumpJson(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Json> MessageJson(const model::Message& message) {
  Json metadata = Json::parse(message.metadata_json, nullptr, /*allow_exceptions=*/false);
  if (metadata.is_discarded() || !metadata.is_object()) {
    return Internal("stored metadata of a message is not a JSON object");
  }
  Json out = Json::object();
  out["id"] = message.id;
  out["user_id"] = message.user_id;
  out["session_id"] = message.session_id;
  out["role"] = model::RoleName(message.role);
  out["name"] = message.name ? Json(*message.name) : Json(nullptr);
  out["content"] = message.content;
  out["created_at"] = FormatRfc3339(message.created_at);
  out["metadata"] = std::move(metadata);
  out["token_count"] = message.token_count;
  return out;
}

Result<Json> MessagesJson(const std::vector<model::Message>& messages) {
  Json out = Json::array();
  for (const model::Message& message : messages) {
    ASSIGN_OR_RETURN(Json json, MessageJson(message));
    out.push_back(std::move(json));
  }
  return out;
}

Result<Json> ScoredMessageJson(const service::ScoredMessage& scored, bool with_highlights) {
  ASSIGN_OR_RETURN(Json message, MessageJson(scored.message));
  Json out = {{"message", std::move(message)}, {"score", scored.score}};
  if (with_highlights) out["highlights"] = scored.highlights;
  return out;
}

Response JsonResponse(int status, const Json& body) {
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", "application/json");
  response.body = DumpJson(body);
  return response;
}

void ReplyJson(const Responder& respond, std::string_view request_id, int status,
               const Result<Json>& body) {
  if (!body.ok()) return ReplyError(respond, request_id, body.status());
  respond(JsonResponse(status, *body));
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
