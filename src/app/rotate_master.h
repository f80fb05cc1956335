// `loci keys rotate-master`: re-wraps every data key under a new master key without touching
// the data. The new key is NEW_ENCRYPTION_KEY when set, otherwise a fresh random one. With a
// key file (no ENCRYPTION_KEY) the file is replaced safely (master_key.h); with ENCRYPTION_KEY
// the new key is printed once and the operator must set it before the next start. Refused
// while a server runs on the same data folder.
#pragma once

#include <optional>
#include <string>

#include "app/config.h"

namespace loci::app {

// Returns the process exit code; explains failures on stderr.
int RotateMaster(const Config& config, const std::optional<std::string>& new_key_base64);

}  // namespace loci::app
