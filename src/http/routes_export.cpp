// GET /memory/export/{user_id}: everything held about the user, streamed as one JSON document
// or, with Accept: application/x-ndjson, as NDJSON (export_encoder.h has both shapes). The
// body is made a page of messages (then of audit events) at a time on the server's workers,
// each page only once the previous one has gone out (Response::stream), so memory stays
// bounded for any user.
#include <string>
#include <string_view>

#include "http/export_encoder.h"
#include "http/json_response.h"
#include "http/routes.h"

namespace loci::http {
namespace {

// True when Accept names NDJSON (application/x-ndjson, or application/ndjson) with a nonzero
// quality; anything else, or no Accept, gets the JSON document.
bool AcceptsNdjson(std::optional<std::string_view> accept) {
  if (!accept) return false;
  std::string_view rest = *accept;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view range = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t semicolon = range.find(';');
    std::string_view type = range.substr(0, semicolon);
    std::string_view params =
        semicolon == std::string_view::npos ? std::string_view() : range.substr(semicolon + 1);
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    if (!EqualsIgnoreCase(type, "application/x-ndjson") &&
        !EqualsIgnoreCase(type, "application/ndjson")) {
      continue;
    }
    // "q=0" (or 0.0, 0.000) refuses the type.
    const std::size_t q = params.find("q=");
    if (q != std::string_view::npos) {
      std::string_view value = params.substr(q + 2);
      value = value.substr(0, value.find(';'));
      if (value.find_first_not_of("0. \t") == std::string_view::npos) continue;
    }
    return true;
  }
  return false;
}

// The body: the opening, then a page of messages per piece, then a page of audit events per
// piece, then the end.
class ExportBody final : public BodyStream {
 public:
  ExportBody(std::unique_ptr<service::UserExport> exported, ExportFormat format)
      : export_(std::move(exported)), encoder_(format) {}

  Result<bool> Next(std::string& out) override {
    switch (stage_) {
      case Stage::kBegin:
        encoder_.Begin(export_->header(), out);
        stage_ = Stage::kMessages;
        return true;
      case Stage::kMessages: {
        ASSIGN_OR_RETURN(std::vector<model::Message> page, export_->NextPage());
        if (page.empty()) {
          stage_ = Stage::kAuditEvents;
          return Next(out);
        }
        RETURN_IF_ERROR(encoder_.Messages(page, out));
        return true;
      }
      case Stage::kAuditEvents: {
        ASSIGN_OR_RETURN(std::vector<service::AuditEntry> events, export_->NextAuditPage());
        if (events.empty()) {
          encoder_.End(out);
          stage_ = Stage::kDone;
          return true;
        }
        encoder_.AuditEvents(events, out);
        return true;
      }
      case Stage::kDone:
        break;
    }
    return false;
  }

 private:
  enum class Stage { kBegin, kMessages, kAuditEvents, kDone };

  std::unique_ptr<service::UserExport> export_;
  ExportEncoder encoder_;
  Stage stage_ = Stage::kBegin;
};

}  // namespace

void RegisterExportRoutes(Router& router, service::MemoryService& service) {
  router.Add("GET", "/memory/export/{user_id}", Access::kApp,
             [&service](RouteRequest& request, const Responder& respond) {
               const ExportFormat format = AcceptsNdjson(request.request.headers.Find("Accept"))
                                               ? ExportFormat::kNdjson
                                               : ExportFormat::kJson;
               auto exported = service.Export(request.caller, request.params.Get("user_id"));
               if (!exported.ok()) {
                 return ReplyError(respond, request.request_id(), exported.status());
               }
               Response response;
               response.status = 200;
               response.headers.Set("Content-Type", std::string(ExportContentType(format)));
               response.stream = std::make_shared<ExportBody>(std::move(*exported), format);
               respond(std::move(response));
             });
}

}  // namespace loci::http
