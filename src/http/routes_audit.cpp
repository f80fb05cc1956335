// The audit log (admin keys only): its events, filtered, and the check of its chain. An admin
// key sees the events of its own tenant; the check covers the whole chain (every tenant), and
// tells only whether and where it breaks.
#include <cstdint>
#include <limits>
#include <string>

#include "http/json_response.h"
#include "http/routes.h"
#include "util/time.h"

namespace loci::http {
namespace {

constexpr std::int64_t kDefaultLimit = 100;
constexpr std::int64_t kMaxLimit = 1000;

Result<service::AuditListQuery> ParseList(const RouteRequest& request) {
  service::AuditListQuery query;
  ASSIGN_OR_RETURN(query.user_id, request.query.Get("user_id"));
  if (query.user_id && query.user_id->empty()) {
    return InvalidArgument("user_id must not be empty", "user_id");
  }
  ASSIGN_OR_RETURN(query.action, request.query.Get("action"));
  if (query.action && query.action->empty()) {
    return InvalidArgument("action must not be empty", "action");
  }
  ASSIGN_OR_RETURN(std::optional<std::string> since, request.query.Get("since"));
  if (since) {
    query.since = ParseRfc3339(*since);
    if (!query.since) return InvalidArgument("since must be an RFC 3339 time", "since");
  }
  ASSIGN_OR_RETURN(std::optional<std::int64_t> after,
                   request.query.GetInt("after", 0, std::numeric_limits<std::int64_t>::max()));
  query.after = after.value_or(0);
  ASSIGN_OR_RETURN(std::optional<std::int64_t> limit, request.query.GetInt("limit", 1, kMaxLimit));
  query.limit = static_cast<int>(limit.value_or(kDefaultLimit));
  return query;
}

std::string PageJson(const service::AuditPage& page) {
  JsonWriter writer(64 + page.events.size() * 256);
  writer.BeginObject();
  writer.Key("events");
  writer.BeginArray();
  for (const service::AuditEntry& event : page.events) WriteAuditEvent(writer, event);
  writer.EndArray();
  writer.Key("next_after");
  writer.OptionalInt(page.next_after);
  writer.EndObject();
  return writer.Take();
}

std::string VerifyJson(const service::AuditVerifyResult& verdict) {
  JsonWriter writer(256 + verdict.problem.size());
  writer.BeginObject();
  writer.Key("ok");
  writer.Bool(verdict.ok);
  writer.Key("events");
  writer.Int(verdict.events);
  writer.Key("first_bad_seq");
  if (verdict.ok) {
    writer.Null();
  } else {
    writer.Int(verdict.first_bad_seq);
  }
  writer.Key("problem");
  if (verdict.ok) {
    writer.Null();
  } else {
    writer.String(verdict.problem);
  }
  writer.EndObject();
  return writer.Take();
}

}  // namespace

void RegisterAuditRoutes(Router& router, service::MemoryService& service) {
  router.Add("GET", "/audit", Access::kAdmin,
             [&service](RouteRequest& request, const Responder& respond) {
               Result<service::AuditListQuery> query = ParseList(request);
               if (!query.ok()) return ReplyError(respond, request.request_id(), query.status());
               auto page = service.AuditEvents(request.caller, *query);
               if (!page.ok()) return ReplyError(respond, request.request_id(), page.status());
               respond(JsonTextResponse(200, PageJson(*page)));
             });
  router.Add("GET", "/audit/verify", Access::kAdmin,
             [&service](RouteRequest& request, const Responder& respond) {
               auto verdict = service.VerifyAudit(request.caller);
               if (!verdict.ok()) {
                 return ReplyError(respond, request.request_id(), verdict.status());
               }
               respond(JsonTextResponse(200, VerifyJson(*verdict)));
             });
}

}  // namespace loci::http
