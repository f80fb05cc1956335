// POST /memory/store: JSON → StoreCommand → MemoryService::Store → 201 JSON, answered from the
// service's completion callback once the messages are durable.
#include <string>
#include <utility>

#include "http/json_body.h"
#include "http/json_fields.h"
#include "http/json_response.h"
#include "http/json_writer.h"
#include "http/routes.h"

namespace loci::http {
namespace {

// API.md: at most 1,000 messages a request (the service enforces its configured limit too).
constexpr std::size_t kMaxMessagesPerRequest = 1000;
// Bodies up to this size are stored from the I/O thread when the service has what it needs at
// hand: a few messages take tens of microseconds, larger stores go to a worker.
constexpr std::size_t kMaxInlineBodyBytes = 4096;

Result<service::IncomingMessage> ParseMessage(const Json& value, const std::string& path) {
  RETURN_IF_ERROR(RequireObject(value, path));
  ObjectReader reader(value, path);
  service::IncomingMessage message;

  const std::string role_path = reader.PathOf("role");
  const Json* role = reader.Find("role");
  if (role == nullptr) return InvalidArgument(role_path + " is required", role_path);
  std::optional<model::Role> parsed_role;
  if (role->is_string()) parsed_role = model::ParseRole(role->get_ref<const std::string&>());
  if (!parsed_role) {
    return InvalidArgument(role_path + " must be one of user, assistant, system, tool", role_path);
  }
  message.role = *parsed_role;

  ASSIGN_OR_RETURN(message.content, reader.RequiredString("content"));
  ASSIGN_OR_RETURN(message.name, reader.OptionalString("name"));
  ASSIGN_OR_RETURN(message.created_at, reader.OptionalTimestamp("created_at"));
  ASSIGN_OR_RETURN(message.idempotency_key, reader.OptionalString("idempotency_key"));
  if (const Json* metadata = reader.Find("metadata")) {
    ASSIGN_OR_RETURN(MetadataFields fields, ReadMetadata(*metadata, reader.PathOf("metadata")));
    message.metadata_json = std::move(fields.json);
    message.metadata_attributes = std::move(fields.attributes);
  }
  return message;
}

Result<service::StoreCommand> ParseStore(const Request& request) {
  Json body;
  RETURN_IF_ERROR(ParseJsonObjectBody(request, &body));
  ObjectReader reader(body, "");
  service::StoreCommand command;
  ASSIGN_OR_RETURN(command.user_id, reader.RequiredString("user_id"));
  ASSIGN_OR_RETURN(command.session_id, reader.OptionalString("session_id"));

  const Json* messages = reader.Find("messages");
  if (messages == nullptr) return InvalidArgument("messages is required", "messages");
  if (!messages->is_array()) return InvalidArgument("messages must be an array", "messages");
  if (messages->empty()) {
    return InvalidArgument("messages must hold at least one message", "messages");
  }
  if (messages->size() > kMaxMessagesPerRequest) {
    return InvalidArgument(
        "messages must hold at most " + std::to_string(kMaxMessagesPerRequest) + " messages",
        "messages");
  }
  command.messages.reserve(messages->size());
  for (std::size_t i = 0; i < messages->size(); ++i) {
    ASSIGN_OR_RETURN(service::IncomingMessage message,
                     ParseMessage((*messages)[i], IndexPath("messages", i)));
    command.messages.push_back(std::move(message));
  }

  if (const auto key = request.headers.Find("Idempotency-Key")) {
    if (key->empty())
      return InvalidArgument("Idempotency-Key must not be empty", "Idempotency-Key");
    command.request_key = std::string(*key);
  }
  return command;
}

// `discarded` and `reason` appear only when the user's privacy settings kept messages from
// being stored, so the usual answer stays as the contract shows it. Members in name order, as
// the answer has always listed them.
std::string StoreResultJson(const service::StoreResult& result) {
  JsonWriter writer(96 + 32 * result.message_ids.size());
  writer.BeginObject();
  const bool discarded = result.discarded > 0;
  if (discarded) {
    writer.Key("discarded");
    writer.Int(result.discarded);
  }
  writer.Key("duplicates");
  writer.Int(result.duplicates);
  writer.Key("message_ids");
  writer.BeginArray();
  for (const std::string& id : result.message_ids) writer.String(id);
  writer.EndArray();
  if (discarded && result.reason) {
    writer.Key("reason");
    writer.String(*result.reason);
  }
  writer.Key("session_id");
  writer.String(result.session_id);
  writer.Key("stored");
  writer.Int(result.stored);
  writer.EndObject();
  return writer.Take();
}

// Hands `command` to the service, which answers once the messages are durable.
void Store(service::MemoryService& service, const RouteRequest& request,
           service::StoreCommand command, const Responder& respond) {
  service.Store(request.caller, std::move(command),
                [respond, request_id = request.request_id()](Result<service::StoreResult> result) {
                  ReplyGuarded(respond, request_id, [&] {
                    if (!result.ok()) return ReplyError(respond, request_id, result.status());
                    respond(JsonTextResponse(201, StoreResultJson(*result)));
                  });
                });
}

}  // namespace

void RegisterStoreRoutes(Router& router, service::MemoryService& service) {
  router.Add(
      "POST", "/memory/store", Access::kApp,
      [&service](RouteRequest& request, const Responder& respond) {
        Result<service::StoreCommand> command = ParseStore(request.request);
        if (!command.ok()) return ReplyError(respond, request.request_id(), command.status());
        Store(service, request, std::move(command).value(), respond);
      },
      // On the I/O thread, for a small body: a malformed one is answered at once, and a store
      // that needs nothing read first is handed to the service from here (its work is then
      // CPU only, and the hop to a worker would add to it); anything else goes to the handler
      // above.
      [&service](RouteRequest& request, const Responder& respond) {
        if (request.request.body.size() > kMaxInlineBodyBytes) return false;
        Result<service::StoreCommand> command = ParseStore(request.request);
        if (!command.ok()) {
          ReplyError(respond, request.request_id(), command.status());
          return true;
        }
        if (!service.StoreIsAtHand(request.caller, command->user_id)) return false;
        Store(service, request, std::move(command).value(), respond);
        return true;
      });
}

}  // namespace loci::http
