// `loci export <user_id>`: writes everything held about one user, as `GET /memory/export`
// would, straight from the database in LOCI_DATA_DIR (safe while a server runs on the same
// file: SQLite in WAL mode lets this process read beside it, and its one write, the export's
// audit event, waits for the server's writer like any other). It goes through the audited
// service, so the export is recorded (key id "cli") and holds the user's audit events. The
// output goes to stdout or a file, page by page, in bounded memory; a progress bar goes to
// stderr when it is a terminal.
#pragma once

#include <string>

#include "app/config.h"

namespace CLI {
class App;
}

namespace loci::app {

struct ExportOptions {
  std::string user_id;
  std::string tenant = "default";  // development mode's tenant
  std::string format = "json";     // "json" or "ndjson"
  std::string output;              // a file; stdout when empty or "-"
};

// Adds the `export` subcommand to `app`; its arguments land in `options` when it is parsed.
CLI::App* AddExportCommand(CLI::App& app, ExportOptions& options);

// Runs the export. Returns the process exit code: 0 when the whole export was written, 1 when
// it failed (no database, no such user, storage or output error; the reason is on stderr, and
// a partly written output file is removed).
int RunExport(const Config& config, const ExportOptions& options);

}  // namespace loci::app
