// `loci serve`: wires the concrete parts (SQLite store, analyzer, memory service, HTTP server)
// from a Config, runs until SIGTERM or SIGINT, then shuts down in reverse order: stop taking
// requests, let the ones in flight finish, close the store.
#pragma once

#include <string>

#include "app/config.h"
#include "app/store_setup.h"
#include "util/status.h"

namespace loci::app {

// Returns the process exit code: 0 after a clean shutdown, 1 when start-up failed (the reason
// is logged).
int Serve(const Config& config, Sealing sealing = Sealing::kOn);

}  // namespace loci::app
