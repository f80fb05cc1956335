// POST /memory/search: JSON → SearchQuery → MemoryService::Search → ranked results.
#include <string>
#include <utility>

#include "http/json_body.h"
#include "http/json_fields.h"
#include "http/json_response.h"
#include "http/routes.h"

namespace loci::http {
namespace {

constexpr std::int64_t kMaxSearchLimit = 100;
constexpr std::int64_t kMaxSearchOffset = 1'000'000;

std::optional<service::SearchMode> ParseMode(std::string_view mode) {
  if (mode == "hybrid") return service::SearchMode::kHybrid;
  if (mode == "fulltext") return service::SearchMode::kFulltext;
  if (mode == "semantic") return service::SearchMode::kSemantic;
  return std::nullopt;
}

std::string_view ModeName(service::SearchMode mode) {
  switch (mode) {
    case service::SearchMode::kHybrid:
      return "hybrid";
    case service::SearchMode::kFulltext:
      return "fulltext";
    case service::SearchMode::kSemantic:
      return "semantic";
  }
  return "hybrid";
}

Result<std::vector<model::Role>> ParseRoles(const Json& value) {
  if (!value.is_array()) return InvalidArgument("roles must be an array", "roles");
  std::vector<model::Role> roles;
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::optional<model::Role> role;
    if (value[i].is_string()) role = model::ParseRole(value[i].get_ref<const std::string&>());
    if (!role) {
      const std::string path = IndexPath("roles", i);
      return InvalidArgument(path + " must be one of user, assistant, system, tool", path);
    }
    roles.push_back(*role);
  }
  return roles;
}

Result<service::SearchQuery> ParseSearch(const Request& request) {
  Json body;
  RETURN_IF_ERROR(ParseJsonObjectBody(request, &body));
  ObjectReader reader(body, "");
  service::SearchQuery query;
  ASSIGN_OR_RETURN(query.user_id, reader.RequiredString("user_id"));
  ASSIGN_OR_RETURN(query.query, reader.RequiredString("query"));

  ASSIGN_OR_RETURN(std::optional<std::string> mode, reader.OptionalString("mode"));
  if (mode) {
    const std::optional<service::SearchMode> parsed = ParseMode(*mode);
    if (!parsed) return InvalidArgument("mode must be one of hybrid, fulltext, semantic", "mode");
    query.mode = *parsed;
  }
  ASSIGN_OR_RETURN(std::optional<std::int64_t> limit,
                   reader.OptionalInteger("limit", 1, kMaxSearchLimit));
  if (limit) query.limit = static_cast<int>(*limit);
  ASSIGN_OR_RETURN(std::optional<std::int64_t> offset,
                   reader.OptionalInteger("offset", 0, kMaxSearchOffset));
  if (offset) query.offset = static_cast<int>(*offset);
  ASSIGN_OR_RETURN(query.session_id, reader.OptionalString("session_id"));
  if (const Json* roles = reader.Find("roles")) {
    ASSIGN_OR_RETURN(query.roles, ParseRoles(*roles));
  }
  ASSIGN_OR_RETURN(query.since, reader.OptionalTimestamp("since"));
  ASSIGN_OR_RETURN(query.until, reader.OptionalTimestamp("until"));
  if (query.since && query.until && *query.since > *query.until) {
    return InvalidArgument("since must not be later than until", "since");
  }
  if (const Json* metadata = reader.Find("metadata")) {
    ASSIGN_OR_RETURN(MetadataFields fields, ReadMetadata(*metadata, "metadata"));
    query.metadata_attributes = std::move(fields.attributes);
  }
  return query;
}

Result<std::string> SearchJson(const service::SearchResult& result) {
  std::size_t estimate = 128;
  for (const service::ScoredMessage& scored : result.results) {
    estimate += 64 + EstimateMessageBytes(scored.message);
    for (const std::string& highlight : scored.highlights) estimate += 8 + highlight.size();
  }
  JsonWriter writer(estimate);
  writer.BeginObject();
  writer.Key("results");
  writer.BeginArray();
  for (const service::ScoredMessage& scored : result.results) {
    RETURN_IF_ERROR(WriteScoredMessage(writer, scored, /*with_highlights=*/true));
  }
  writer.EndArray();
  writer.Key("mode");
  writer.String(ModeName(result.mode));
  writer.Key("took_ms");
  writer.Double(result.took_ms);
  writer.EndObject();
  return writer.Take();
}

}  // namespace

void RegisterSearchRoutes(Router& router, service::MemoryService& service) {
  router.Add("POST", "/memory/search", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               Result<service::SearchQuery> query = ParseSearch(request.request);
               if (!query.ok()) return ReplyError(respond, request.request_id(), query.status());
               Result<service::SearchResult> result = service.Search(request.caller, *query);
               if (!result.ok()) return ReplyError(respond, request.request_id(), result.status());
               ReplyJsonText(respond, request.request_id(), 200, SearchJson(*result));
             });
}

}  // namespace loci::http
