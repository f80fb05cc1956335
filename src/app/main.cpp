// The `loci` command line.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/config.h"
#include "app/keys_command.h"
#include "app/logging.h"
#include "app/serve.h"

namespace {

// Loads the configuration or prints why not; nullopt on failure.
std::optional<loci::app::Config> LoadConfigOrExplain() {
  auto environment = loci::app::ProcessEnvironment(".env");
  if (!environment.ok()) {
    std::fprintf(stderr, "loci: %s\n", environment.status().message().c_str());
    return std::nullopt;
  }
  auto config = loci::app::LoadConfig(*environment);
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
  CLI11_PARSE(app, argc, argv);

  if (serve->parsed()) {
    std::optional<loci::app::Config> config = LoadConfigOrExplain();
    if (!config) return 2;
    loci::app::SetUpLogging(config->log_level);
    return loci::app::Serve(*config);
  }
  if (keys.keys->parsed()) {
    std::optional<loci::app::Config> config = LoadConfigOrExplain();
    if (!config) return 2;
    return loci::app::RunKeysCommand(keys, *config);
  }
  return 0;
}
