// Listing a user's sessions and paging through one session's messages.
#include <string>

#include "http/json_response.h"
#include "http/routes.h"

namespace loci::http {
namespace {

constexpr std::int64_t kDefaultPageSize = 50;
constexpr std::int64_t kMaxPageSize = 1000;

std::string SessionsJson(const std::string& user_id,
                         const std::vector<model::SessionInfo>& sessions) {
  JsonWriter writer(64 + user_id.size() + sessions.size() * 128);
  writer.BeginObject();
  writer.Key("user_id");
  writer.String(user_id);
  writer.Key("sessions");
  writer.BeginArray();
  for (const model::SessionInfo& session : sessions) WriteSession(writer, session);
  writer.EndArray();
  writer.EndObject();
  return writer.Take();
}

Result<service::SessionPageQuery> ParsePage(const RouteRequest& request) {
  service::SessionPageQuery query;
  query.user_id = request.params.Get("user_id");
  query.session_id = request.params.Get("session_id");
  ASSIGN_OR_RETURN(std::optional<std::int64_t> limit,
                   request.query.GetInt("limit", 1, kMaxPageSize));
  query.limit = static_cast<int>(limit.value_or(kDefaultPageSize));
  ASSIGN_OR_RETURN(query.before, request.query.Get("before"));
  if (query.before && query.before->empty()) {
    return InvalidArgument("before must be a message id", "before");
  }
  return query;
}

// A full page may have more before it: the cursor is its first message, the oldest in the
// session's order (pages come oldest first). A short page is the last one.
Result<std::string> PageJson(const service::SessionPageQuery& query,
                             const std::vector<model::Message>& messages) {
  const model::Message* oldest = nullptr;
  if (!messages.empty() && messages.size() >= static_cast<std::size_t>(query.limit)) {
    oldest = &messages.front();
  }
  std::size_t estimate = 128 + query.user_id.size() + query.session_id.size();
  for (const model::Message& message : messages) estimate += EstimateMessageBytes(message);
  JsonWriter writer(estimate);
  writer.BeginObject();
  writer.Key("user_id");
  writer.String(query.user_id);
  writer.Key("session_id");
  writer.String(query.session_id);
  writer.Key("messages");
  RETURN_IF_ERROR(WriteMessages(writer, messages));
  writer.Key("next_before");
  if (oldest != nullptr) {
    writer.String(oldest->id);
  } else {
    writer.Null();
  }
  writer.EndObject();
  return writer.Take();
}

}  // namespace

void RegisterSessionRoutes(Router& router, service::MemoryService& service) {
  router.Add("GET", "/memory/sessions/{user_id}", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               const std::string& user_id = request.params.Get("user_id");
               auto sessions = service.Sessions(request.caller, user_id);
               if (!sessions.ok())
                 return ReplyError(respond, request.request_id(), sessions.status());
               respond(JsonTextResponse(200, SessionsJson(user_id, *sessions)));
             });

  router.Add("GET", "/memory/session/{user_id}/{session_id}", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               Result<service::SessionPageQuery> query = ParsePage(request);
               if (!query.ok()) return ReplyError(respond, request.request_id(), query.status());
               auto messages = service.SessionMessages(request.caller, *query);
               if (!messages.ok())
                 return ReplyError(respond, request.request_id(), messages.status());
               ReplyJsonText(respond, request.request_id(), 200, PageJson(*query, *messages));
             });
}

}  // namespace loci::http
