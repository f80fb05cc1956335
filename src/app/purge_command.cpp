#include "app/purge_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "app/audit_command.h"
#include "app/store_setup.h"
#include "service/memory_service_impl.h"
#include "text/analyzer.h"

namespace loci::app {
namespace {

std::string Plural(std::int64_t count, const char* noun) {
  std::string text = std::to_string(count) + " " + noun;
  if (count != 1) text += "s";
  return text;
}

Result<service::PurgeReport> Purge(const Config& config) {
  ASSIGN_OR_RETURN(std::unique_ptr<DataDirLock> lock, DataDirLock::Acquire(config.data_dir));
  ASSIGN_OR_RETURN(OpenedStore opened, OpenStore(config, 1));
  text::Analyzer analyzer;
  service::Limits limits;
  limits.context_cache_bytes = 0;
  limits.privacy.redact_pii = config.redact_pii;
  limits.privacy.retention_days = config.retention_days;
  service::MemoryServiceImpl memory(*opened.store, analyzer, SystemClock(), limits);
  ASSIGN_OR_RETURN(std::unique_ptr<service::AuditLog> audit, OpenAuditLog(opened, SystemClock()));
  Result<service::PurgeReport> report = memory.privacy().Purge();
  if (report.ok()) audit->RecordPurge(*report);
  audit->Flush();
  opened.engine->Close();
  return report;
}

}  // namespace

CLI::App* AddPurgeCommand(CLI::App& app) {
  return app.add_subcommand(
      "purge",
      "Erase messages past their retention (CONTEXT_RETENTION_DAYS, users' retention_days) "
      "once, with no server running on the data folder");
}

int RunPurge(const Config& config) {
  const std::string path = DatabasePath(config.data_dir);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    std::fprintf(stderr, "loci purge: no database at %s (set LOCI_DATA_DIR)\n", path.c_str());
    return 1;
  }
  Result<service::PurgeReport> report = Purge(config);
  if (!report.ok()) {
    if (report.status().code() == StatusCode::kConflict) {
      std::fprintf(stderr,
                   "loci purge: %s; a running server purges on its own every "
                   "LOCI_PURGE_INTERVAL_SECONDS\n",
                   report.status().message().c_str());
    } else {
      std::fprintf(stderr, "loci purge: %s\n", report.status().ToString().c_str());
    }
    return 1;
  }
  std::printf("purged %s and %s of %s\n", Plural(report->messages, "message").c_str(),
              Plural(report->sessions, "emptied session").c_str(),
              Plural(static_cast<std::int64_t>(report->users.size()), "user").c_str());
  for (const service::PurgedUserCounts& user : report->users) {
    std::printf("%s\t%s\t%s\t%s\n", user.user.tenant.c_str(), user.user.user_id.c_str(),
                Plural(user.messages, "message").c_str(), Plural(user.sessions, "session").c_str());
  }
  return 0;
}

}  // namespace loci::app
