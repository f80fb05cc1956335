// The `loci` command line.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/audit_command.h"
#include "app/config.h"
#include "app/export_command.h"
#include "app/keys_command.h"
#include "app/logging.h"
#include "app/purge_command.h"
#include "app/rotate_master.h"
#include "app/serve.h"
#include "app/vectors_command.h"
#include "crypto/primitives.h"

namespace {

// The environment layered over .env, or nullopt after printing why not.
std::optional<loci::app::Environment> EnvironmentOrExplain() {
  auto environment = loci::app::ProcessEnvironment(".env");
  if (!environment.ok()) {
    std::fprintf(stderr, "loci: %s\n", environment.status().message().c_str());
    return std::nullopt;
  }
  return std::move(*environment);
}

// Loads the configuration or prints why not; nullopt on failure.
std::optional<loci::app::Config> LoadConfigOrExplain(const loci::app::Environment& environment) {
  auto config = loci::app::LoadConfig(environment);
  if (!config.ok()) {
    std::fprintf(stderr, "loci: configuration error: %s\n", config.status().message().c_str());
    return std::nullopt;
  }
  return std::move(*config);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Loci: conversational memory for AI assistants"};
  app.set_version_flag("--version", "loci 0.1.0");
  app.require_subcommand(1);
  CLI::App* serve = app.add_subcommand("serve", "Run the HTTP server (configured by environment)");
  loci::app::KeysCommand keys;
  loci::app::AddKeysCommand(app, keys);
  loci::app::ExportOptions export_options;
  CLI::App* export_command = loci::app::AddExportCommand(app, export_options);
  CLI::App* audit_verify = loci::app::AddAuditCommand(app);
  CLI::App* purge_command = loci::app::AddPurgeCommand(app);
  loci::app::VectorsOptions vectors;
  loci::app::AddVectorsCommand(app, vectors);
  CLI11_PARSE(app, argc, argv);
  // Set-up runs the converter before any configuration exists.
  if (vectors.convert->parsed()) return loci::app::RunVectorsConvert(vectors);

  if (!loci::crypto::Initialize().ok()) {
    std::fprintf(stderr, "loci: libsodium failed to initialize\n");
    return 1;
  }
  std::optional<loci::app::Environment> environment = EnvironmentOrExplain();
  if (!environment) return 2;
  std::optional<loci::app::Config> config = LoadConfigOrExplain(*environment);
  if (!config) return 2;
  // export writes to stdout: logging stays on stderr and quiet.
  loci::app::SetUpLogging(export_command->parsed() || audit_verify->parsed() ? "warn"
                                                                             : config->log_level);
  if (serve->parsed()) return loci::app::Serve(*config);
  if (keys.rotate_master->parsed()) {
    std::optional<std::string> new_key = (*environment)("NEW_ENCRYPTION_KEY");
    if (new_key && new_key->empty()) new_key.reset();
    return loci::app::RotateMaster(*config, new_key);
  }
  if (export_command->parsed()) return loci::app::RunExport(*config, export_options);
  if (keys.keys->parsed()) return loci::app::RunKeysCommand(keys, *config);
  if (audit_verify->parsed()) return loci::app::RunAuditVerify(*config);
  if (purge_command->parsed()) return loci::app::RunPurge(*config);
  return 0;
}
