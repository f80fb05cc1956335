// The preference routes: GET /memory/preferences/{user_id} (learned and set preferences),
// PUT and DELETE /memory/preferences/{user_id}/{key} (set by hand, forget), and POST
// /memory/feedback (what the user thought of an answer, for the preference engine).
#include <string>

#include "http/json_body.h"
#include "http/json_fields.h"
#include "http/json_response.h"
#include "http/routes.h"

namespace loci::http {
namespace {

std::string PreferencesJson(const std::string& user_id,
                            const std::vector<service::Preference>& preferences) {
  JsonWriter writer(256 + 256 * preferences.size());
  writer.BeginObject();
  writer.Key("user_id");
  writer.String(user_id);
  writer.Key("preferences");
  writer.BeginArray();
  for (const service::Preference& preference : preferences) WritePreference(writer, preference);
  writer.EndArray();
  writer.EndObject();
  return writer.Take();
}

Result<service::PreferenceUpdate> ParsePreferenceUpdate(const RouteRequest& request) {
  Json body;
  RETURN_IF_ERROR(ParseJsonObjectBody(request.request, &body));
  ObjectReader reader(body, "");
  service::PreferenceUpdate update;
  update.user_id = request.params.Get("user_id");
  update.key = request.params.Get("key");
  ASSIGN_OR_RETURN(update.value, reader.RequiredString("value"));
  ASSIGN_OR_RETURN(update.category, reader.OptionalString("category"));
  return update;
}

Result<service::FeedbackCommand> ParseFeedback(const RouteRequest& request) {
  Json body;
  RETURN_IF_ERROR(ParseJsonObjectBody(request.request, &body));
  ObjectReader reader(body, "");
  service::FeedbackCommand command;
  ASSIGN_OR_RETURN(command.user_id, reader.RequiredString("user_id"));
  ASSIGN_OR_RETURN(command.session_id, reader.RequiredString("session_id"));
  ASSIGN_OR_RETURN(command.message_id, reader.RequiredString("message_id"));
  ASSIGN_OR_RETURN(command.signal, reader.RequiredString("signal"));
  ASSIGN_OR_RETURN(command.note, reader.OptionalString("note"));
  return command;
}

}  // namespace

void RegisterPreferenceRoutes(Router& router, service::MemoryService& service) {
  router.Add("GET", "/memory/preferences/{user_id}", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               const std::string& user_id = request.params.Get("user_id");
               auto preferences = service.Preferences(request.caller, user_id);
               if (!preferences.ok()) {
                 return ReplyError(respond, request.request_id(), preferences.status());
               }
               respond(JsonTextResponse(200, PreferencesJson(user_id, *preferences)));
             });

  router.Add("PUT", "/memory/preferences/{user_id}/{key}", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               Result<service::PreferenceUpdate> update = ParsePreferenceUpdate(request);
               if (!update.ok()) return ReplyError(respond, request.request_id(), update.status());
               Result<service::Preference> preference =
                   service.SetPreference(request.caller, *update);
               if (!preference.ok()) {
                 return ReplyError(respond, request.request_id(), preference.status());
               }
               JsonWriter writer(512);
               WritePreference(writer, *preference);
               respond(JsonTextResponse(200, writer.Take()));
             });

  router.Add("DELETE", "/memory/preferences/{user_id}/{key}", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               const std::string& user_id = request.params.Get("user_id");
               const std::string& key = request.params.Get("key");
               Result<bool> held = service.ForgetPreference(request.caller, user_id, key);
               if (!held.ok()) return ReplyError(respond, request.request_id(), held.status());
               respond(JsonResponse(200, {{"user_id", user_id}, {"key", key}, {"deleted", *held}}));
             });

  router.Add("POST", "/memory/feedback", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               Result<service::FeedbackCommand> command = ParseFeedback(request);
               if (!command.ok())
                 return ReplyError(respond, request.request_id(), command.status());
               Result<bool> learned = service.Feedback(request.caller, *command);
               if (!learned.ok())
                 return ReplyError(respond, request.request_id(), learned.status());
               respond(JsonResponse(200, {{"user_id", command->user_id},
                                          {"message_id", command->message_id},
                                          {"signal", command->signal},
                                          {"learned", *learned}}));
             });
}

}  // namespace loci::http
