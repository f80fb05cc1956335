// The audit log's wiring and `loci audit verify`.
//
// `loci audit verify` checks the MAC chain of the audit log in the database of LOCI_DATA_DIR
// (also while a server runs on it; it only reads) with the chain key, which the master key
// unwraps: it prints "ok: N events" and exits 0, or names the first bad event and why and
// exits 1 (also when the database or the key cannot be opened).
#pragma once

#include <memory>

#include "app/config.h"
#include "app/store_setup.h"
#include "service/audit_log.h"
#include "util/status.h"

namespace CLI {
class App;
}

namespace loci::app {

// The audit log over `opened`, with its two server keys (made on first use). Corruption when
// they do not unwrap with the master key.
Result<std::unique_ptr<service::AuditLog>> OpenAuditLog(const OpenedStore& opened,
                                                        const Clock& clock);

// Adds `audit` and its `verify` subcommand to `app`; returns `verify`, parsed when chosen.
CLI::App* AddAuditCommand(CLI::App& app);

// Runs `loci audit verify`; returns the exit code.
int RunAuditVerify(const Config& config);

}  // namespace loci::app
