// `loci keys create|list|revoke`: API keys kept in the store, for the operator.
//
//   loci keys create --tenant acme --scope app [--name ci] [--rate-limit 50]
//   loci keys list [--tenant acme]
//   loci keys revoke k_01JD…
//
// The commands open LOCI_DATA_DIR/loci.db as `loci serve` does, and work while a server runs
// on it (SQLite WAL; a busy database is waited for). `create` prints the secret once, on
// stdout; nothing prints it again. A running server sees a new key at once and a revocation
// within a few seconds (service/api_keys.h).
// Thread-safety: run from main only.
#pragma once

#include <optional>
#include <string>

#include "app/config.h"

namespace CLI {
class App;
}

namespace loci::app {

struct KeysOptions {
  std::string tenant;
  std::string scope = "app";
  std::string name;
  std::optional<int> rate_limit;
  std::string id;  // revoke
};

// The `keys` subcommand and its three subcommands, added to `app`. Options are written into
// `options` when the command line is parsed.
struct KeysCommand {
  CLI::App* keys = nullptr;
  CLI::App* create = nullptr;
  CLI::App* list = nullptr;
  CLI::App* revoke = nullptr;
  CLI::App* rotate_master = nullptr;  // run by rotate_master.h, not RunKeysCommand
  KeysOptions options;
};
void AddKeysCommand(CLI::App& app, KeysCommand& command);

// Runs whichever of create, list, revoke was parsed. Returns the exit code: 0 on success, 1
// when the store failed or the key was not found, 2 for a bad argument.
int RunKeysCommand(const KeysCommand& command, const Config& config);

}  // namespace loci::app
