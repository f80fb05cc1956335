// GET and PUT /memory/privacy/{user_id}: a user's privacy settings. PUT takes a partial object
// (absent fields keep their value) and refuses unknown fields, unlike other bodies: a
// misspelt setting silently ignored would leave a user's data less protected than asked.
#include <string>

#include "http/json_body.h"
#include "http/json_response.h"
#include "http/routes.h"

namespace loci::http {
namespace {

std::string SettingsJson(const model::PrivacySettings& settings) {
  JsonWriter writer(128);
  WritePrivacySettings(writer, settings);
  return writer.Take();
}

Result<bool> ReadBool(const Json& value, const std::string& field) {
  if (!value.is_boolean()) return InvalidArgument(field + " must be true or false", field);
  return value.get<bool>();
}

Result<service::PrivacyUpdate> ParsePrivacyUpdate(const RouteRequest& request) {
  Json body;
  RETURN_IF_ERROR(ParseJsonObjectBody(request.request, &body));
  service::PrivacyUpdate update;
  update.user_id = request.params.Get("user_id");
  model::PrivacyChange& change = update.change;
  for (const auto& [key, value] : body.items()) {
    if (key == "store_messages") {
      ASSIGN_OR_RETURN(change.store_messages, ReadBool(value, key));
    } else if (key == "learn_preferences") {
      ASSIGN_OR_RETURN(change.learn_preferences, ReadBool(value, key));
    } else if (key == "redact_pii") {
      ASSIGN_OR_RETURN(change.redact_pii, ReadBool(value, key));
    } else if (key == "retention_days") {
      const std::string range = std::to_string(model::kMinRetentionDays) + " and " +
                                std::to_string(model::kMaxRetentionDays);
      if (value.is_null()) {
        change.retention_days = std::optional<int>();
      } else if (!value.is_number_integer()) {
        return InvalidArgument("retention_days must be null or an integer between " + range, key);
      } else {
        // Compared as the JSON's own type: a huge unsigned value must not wrap around.
        const bool in_range = value.is_number_unsigned()
                                  ? value.get<std::uint64_t>() <= model::kMaxRetentionDays &&
                                        value.get<std::uint64_t>() >= model::kMinRetentionDays
                                  : value.get<std::int64_t>() <= model::kMaxRetentionDays &&
                                        value.get<std::int64_t>() >= model::kMinRetentionDays;
        if (!in_range) return InvalidArgument("retention_days must be between " + range, key);
        change.retention_days = static_cast<int>(value.get<std::int64_t>());
      }
    } else {
      return InvalidArgument("unknown field " + key +
                                 "; the settings are store_messages, "
                                 "learn_preferences, retention_days and redact_pii",
                             key);
    }
  }
  return update;
}

}  // namespace

void RegisterPrivacyRoutes(Router& router, service::MemoryService& service) {
  router.Add("GET", "/memory/privacy/{user_id}", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               Result<model::PrivacySettings> settings =
                   service.Privacy(request.caller, request.params.Get("user_id"));
               if (!settings.ok()) {
                 return ReplyError(respond, request.request_id(), settings.status());
               }
               respond(JsonTextResponse(200, SettingsJson(*settings)));
             });

  router.Add("PUT", "/memory/privacy/{user_id}", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               Result<service::PrivacyUpdate> update = ParsePrivacyUpdate(request);
               if (!update.ok()) return ReplyError(respond, request.request_id(), update.status());
               Result<model::PrivacySettings> settings =
                   service.UpdatePrivacy(request.caller, *update);
               if (!settings.ok()) {
                 return ReplyError(respond, request.request_id(), settings.status());
               }
               respond(JsonTextResponse(200, SettingsJson(*settings)));
             });
}

}  // namespace loci::http
