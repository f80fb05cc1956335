// The erasure routes: a whole user, one session, one message. Each is idempotent in the
// service; here they only map parameters in and counts out.
#include <string>

#include "http/json_response.h"
#include "http/routes.h"

namespace loci::http {

void RegisterErasureRoutes(Router& router, service::MemoryService& service) {
  router.Add("DELETE", "/memory/user/{user_id}", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               const std::string& user_id = request.params.Get("user_id");
               Result<service::UserErasureResult> result =
                   service.EraseUser(request.caller, user_id);
               if (!result.ok()) return ReplyError(respond, request.request_id(), result.status());
               respond(JsonResponse(200, {{"user_id", result->user_id},
                                          {"deleted",
                                           {{"messages", result->messages},
                                            {"sessions", result->sessions},
                                            {"preferences", result->preferences}}},
                                          {"key_destroyed", result->key_destroyed}}));
             });

  router.Add("DELETE", "/memory/session/{user_id}/{session_id}", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               const std::string& user_id = request.params.Get("user_id");
               const std::string& session_id = request.params.Get("session_id");
               Result<std::int64_t> erased =
                   service.EraseSession(request.caller, user_id, session_id);
               if (!erased.ok()) return ReplyError(respond, request.request_id(), erased.status());
               respond(JsonResponse(200, {{"user_id", user_id},
                                          {"session_id", session_id},
                                          {"deleted", {{"messages", *erased}}}}));
             });

  router.Add("DELETE", "/memory/message/{user_id}/{message_id}", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               const std::string& user_id = request.params.Get("user_id");
               const std::string& message_id = request.params.Get("message_id");
               Status status = service.EraseMessage(request.caller, user_id, message_id);
               if (!status.ok()) return ReplyError(respond, request.request_id(), status);
               respond(JsonResponse(
                   200, {{"user_id", user_id}, {"message_id", message_id}, {"deleted", true}}));
             });
}

}  // namespace loci::http
