#include "embed/sif_weights.h"

#include <cmath>

namespace loci::embed {

double ZipfProbability(std::uint32_t rank, std::uint32_t count) {
  constexpr double kEulerGamma = 0.5772156649015329;
  const double n = count;
  const double harmonic = std::log(n) + kEulerGamma + 1.0 / (2.0 * n);  // H(n), to 1/(12 n^2)
  return 1.0 / ((rank + 1.0) * harmonic);
}

}  // namespace loci::embed
