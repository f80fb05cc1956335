// `loci serve` with sealing off: bench/run.sh runs it beside the real server to measure what
// encryption at rest and the blinded index cost. It is built only with the benchmarks, and
// nothing in the production binary can turn sealing off.
#include <cstdio>

#include "app/config.h"
#include "app/logging.h"
#include "app/serve.h"
#include "crypto/primitives.h"

int main() {
  auto environment = loci::app::ProcessEnvironment(".env");
  if (!environment.ok() || !loci::crypto::Initialize().ok()) {
    std::fprintf(stderr, "loci_plaintext: cannot start\n");
    return 2;
  }
  auto config = loci::app::LoadConfig(*environment);
  if (!config.ok()) {
    std::fprintf(stderr, "loci_plaintext: %s\n", config.status().message().c_str());
    return 2;
  }
  loci::app::SetUpLogging(config->log_level);
  return loci::app::Serve(*config, loci::app::Sealing::kOffForBenchmarks);
}
