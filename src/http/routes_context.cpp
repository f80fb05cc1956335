// GET /memory/context/{user_id}: query parameters → ContextQuery → MemoryService::Context →
// the context pack, every field present (summary null, preferences and relevant empty). A pack
// the service holds in memory (MemoryService::CachedContext) is answered on the I/O thread.
#include <memory>
#include <string>
#include <utility>

#include "http/json_response.h"
#include "http/rendered_packs.h"
#include "http/routes.h"
#include "util/time.h"

namespace loci::http {
namespace {

constexpr std::int64_t kMaxContextMessages = 1000;
constexpr std::int64_t kMaxContextTokens = 1'000'000;
constexpr std::size_t kRenderedBytes = 32 * 1024 * 1024;  // serialized packs kept for reuse

Result<service::ContextQuery> ParseContext(const RouteRequest& request) {
  service::ContextQuery query;
  query.user_id = request.params.Get("user_id");
  ASSIGN_OR_RETURN(query.session_id, request.query.Get("session_id"));
  ASSIGN_OR_RETURN(std::optional<std::int64_t> max_messages,
                   request.query.GetInt("max_messages", 1, kMaxContextMessages));
  ASSIGN_OR_RETURN(std::optional<std::int64_t> max_tokens,
                   request.query.GetInt("max_tokens", 1, kMaxContextTokens));
  if (max_messages) query.max_messages = static_cast<int>(*max_messages);
  if (max_tokens) query.max_tokens = static_cast<int>(*max_tokens);
  ASSIGN_OR_RETURN(query.query, request.query.Get("query"));
  return query;
}

// The whole pack is written in one pass into one string reserved from a size estimate.
std::size_t EstimateContextBytes(const service::ContextPack& pack) {
  std::size_t bytes = 256 + pack.prompt.size() + pack.prompt.size() / 16;
  for (const model::Message& message : pack.messages) bytes += EstimateMessageBytes(message);
  for (const service::ScoredMessage& scored : pack.relevant) {
    bytes += 32 + EstimateMessageBytes(scored.message);
  }
  if (pack.summary) bytes += 80 + pack.summary->text.size() + pack.summary->covers_until.size();
  bytes += 200 * pack.preferences.size();
  return bytes;
}

Result<std::string> ContextJson(const service::ContextPack& pack) {
  JsonWriter writer(EstimateContextBytes(pack));
  writer.BeginObject();
  writer.Key("user_id");
  writer.String(pack.user_id);
  writer.Key("session_id");
  writer.OptionalString(pack.session_id);
  writer.Key("messages");
  RETURN_IF_ERROR(WriteMessages(writer, pack.messages));
  writer.Key("summary");
  if (pack.summary) {
    writer.BeginObject();
    writer.Key("text");
    writer.String(pack.summary->text);
    writer.Key("covers_until");
    writer.String(pack.summary->covers_until);
    writer.Key("message_count");
    writer.Int(pack.summary->message_count);
    writer.EndObject();
  } else {
    writer.Null();
  }
  writer.Key("preferences");
  writer.BeginArray();
  for (const service::Preference& preference : pack.preferences) {
    WritePreference(writer, preference);
  }
  writer.EndArray();
  writer.Key("relevant");
  writer.BeginArray();
  for (const service::ScoredMessage& scored : pack.relevant) {
    RETURN_IF_ERROR(WriteScoredMessage(writer, scored, /*with_highlights=*/false));
  }
  writer.EndArray();
  writer.Key("token_count");
  writer.Int(pack.token_count);
  writer.Key("truncated");
  writer.Bool(pack.truncated);
  writer.Key("prompt");
  writer.String(pack.prompt);
  writer.EndObject();
  return writer.Take();
}

// Answers with the pack's JSON, serialized once per pack and sent without a copy: memory-only
// work, so fit for the I/O thread.
void ReplyPack(const Responder& respond, std::string_view request_id, RenderedPacks& rendered,
               const std::shared_ptr<const service::ContextPack>& pack) {
  std::shared_ptr<const std::string> body = rendered.Find(pack);
  if (body == nullptr) {
    Result<std::string> json = ContextJson(*pack);
    if (!json.ok()) return ReplyError(respond, request_id, json.status());
    body = std::make_shared<const std::string>(std::move(*json));
    rendered.Insert(pack, body);
  }
  respond(SharedJsonResponse(200, std::move(body)));
}

}  // namespace

void RegisterContextRoutes(Router& router, service::MemoryService& service) {
  auto rendered = std::make_shared<RenderedPacks>(kRenderedBytes);
  router.Add(
      "GET", "/memory/context/{user_id}", Access::kApp,
      [&service, rendered](RouteRequest& request, const Responder& respond) {
        Result<service::ContextQuery> query = ParseContext(request);
        if (!query.ok()) return ReplyError(respond, request.request_id(), query.status());
        auto pack = service.Context(request.caller, *query);
        if (!pack.ok()) return ReplyError(respond, request.request_id(), pack.status());
        ReplyPack(respond, request.request_id(), *rendered, *pack);
      },
      // On the I/O thread: a bad parameter, or a pack the service holds in memory, is answered
      // at once; anything else goes to the handler above.
      [&service, rendered](RouteRequest& request, const Responder& respond) {
        Result<service::ContextQuery> query = ParseContext(request);
        if (!query.ok()) {
          ReplyError(respond, request.request_id(), query.status());
          return true;
        }
        std::shared_ptr<const service::ContextPack> pack =
            service.CachedContext(request.caller, *query);
        if (pack == nullptr) return false;
        ReplyPack(respond, request.request_id(), *rendered, pack);
        return true;
      });
}

}  // namespace loci::http
