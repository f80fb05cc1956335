#include "util/ids.h"

#include <array>
#include <random>

namespace loci {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::mt19937_64& ThreadRandom() {
  thread_local std::mt19937_64 engine([] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }());
  return engine;
}

void AppendRandom(std::string* out, int chars) {
  auto& rng = ThreadRandom();
  std::uint64_t bits = 0;
  int available = 0;
  for (int i = 0; i < chars; ++i) {
    if (available < 5) {
      bits = rng();
      available = 64;
    }
    out->push_back(kCrockford[bits & 31]);
    bits >>= 5;
    available -= 5;
  }
}

}  // namespace

std::string NewId(std::string_view prefix, UnixMillis now) {
  std::string id(prefix);
  auto time = static_cast<std::uint64_t>(now < 0 ? 0 : now);
  for (int shift = 45; shift >= 0; shift -= 5) id.push_back(kCrockford[(time >> shift) & 31]);
  AppendRandom(&id, 16);
  return id;
}

std::string NewRequestId() {
  std::string id = "req_";
  AppendRandom(&id, 20);
  return id;
}

}  // namespace loci
