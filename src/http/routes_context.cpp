// GET /memory/context/{user_id}: query parameters → ContextQuery → MemoryService::Context →
// the context pack, every field present (summary null, preferences and relevant empty).
#include <string>
#include <utility>

#include "http/json_response.h"
#include "http/routes.h"
#include "util/time.h"

namespace loci::http {
namespace {

constexpr std::int64_t kMaxContextMessages = 1000;
constexpr std::int64_t kMaxContextTokens = 1'000'000;

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

Json PreferenceJson(const service::Preference& preference) {
  return {{"key", preference.key},
          {"value", preference.value},
          {"category", preference.category},
          {"confidence", preference.confidence},
          {"source", preference.source},
          {"evidence", preference.evidence},
          {"updated_at", FormatRfc3339(preference.updated_at)}};
}

Result<Json> ContextJson(const service::ContextPack& pack) {
  Json out = Json::object();
  out["user_id"] = pack.user_id;
  out["session_id"] = pack.session_id ? Json(*pack.session_id) : Json(nullptr);
  ASSIGN_OR_RETURN(out["messages"], MessagesJson(pack.messages));
  out["summary"] = nullptr;
  if (pack.summary) {
    out["summary"] = {{"text", pack.summary->text},
                      {"covers_until", pack.summary->covers_until},
                      {"message_count", pack.summary->message_count}};
  }
  out["preferences"] = Json::array();
  for (const service::Preference& preference : pack.preferences) {
    out["preferences"].push_back(PreferenceJson(preference));
  }
  out["relevant"] = Json::array();
  for (const service::ScoredMessage& scored : pack.relevant) {
    ASSIGN_OR_RETURN(Json item, ScoredMessageJson(scored, /*with_highlights=*/false));
    out["relevant"].push_back(std::move(item));
  }
  out["token_count"] = pack.token_count;
  out["truncated"] = pack.truncated;
  out["prompt"] = pack.prompt;
  return out;
}

}  // namespace

void RegisterContextRoutes(Router& router, service::MemoryService& service) {
  router.Add("GET", "/memory/context/{user_id}", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               Result<service::ContextQuery> query = ParseContext(request);
               if (!query.ok()) return ReplyError(respond, request.request_id(), query.status());
               Result<service::ContextPack> pack = service.Context(request.caller, *query);
               if (!pack.ok()) return ReplyError(respond, request.request_id(), pack.status());
               ReplyJson(respond, request.request_id(), 200, ContextJson(*pack));
             });
}

}  // namespace loci::http
