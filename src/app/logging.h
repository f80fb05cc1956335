// Process-wide logging set-up: spdlog to stderr, at the configured level.
// Logs are structured key=value text and never hold message content, preference values or
// keys. Call once at start, before any thread logs.
#pragma once

#include <string>

namespace loci::app {

// REQUIRES: `level` is one of trace, debug, info, warn, error, off.
void SetUpLogging(const std::string& level);

}  // namespace loci::app
