// Reading of `.env` files: KEY=VALUE lines, as docker and most tools write them.
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "util/status.h"

namespace loci::app {

// Parses .env text: blank lines and `#` comments are skipped; `export KEY=VALUE` is allowed;
// values may be wrapped in single quotes (taken literally) or double quotes (with \n, \"
// and \\ escapes); an unquoted value ends at ` #`. InvalidArgument names the line of a
// malformed entry.
Result<std::map<std::string, std::string>> ParseDotenv(std::string_view text);

}  // namespace loci::app
