// `loci purge`: runs one retention purge on the database in LOCI_DATA_DIR and prints what it
// removed: messages older than CONTEXT_RETENTION_DAYS, or than a user's own retention_days
// (the stricter applies). Refused while a server runs on the same data folder: that server
// purges on its own (every LOCI_PURGE_INTERVAL_SECONDS), and its context cache would not
// see a purge made by another process.
#pragma once

#include "app/config.h"

namespace CLI {
class App;
}

namespace loci::app {

// Adds the `purge` subcommand to `app`.
CLI::App* AddPurgeCommand(CLI::App& app);

// Runs the purge. Returns the process exit code: 0 when it completed (a summary and one line
// per user who lost messages go to stdout), 1 when it failed (the reason is on stderr;
// batches already done stay done).
int RunPurge(const Config& config);

}  // namespace loci::app
