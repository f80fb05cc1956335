#include "embed/vectors_format.h"

#include <cstring>

namespace loci::embed {

SectionOffsets Sections(std::uint32_t dimensions, std::uint32_t count, std::uint32_t table_slots,
                        std::uint64_t pool_bytes) {
  SectionOffsets offsets{};
  offsets.common = sizeof(FileHeader);
  offsets.scales = offsets.common + std::uint64_t{dimensions} * sizeof(float);
  offsets.word_ends = offsets.scales + std::uint64_t{count} * sizeof(float);
  offsets.table = offsets.word_ends + std::uint64_t{count} * sizeof(std::uint32_t);
  offsets.matrix = offsets.table + std::uint64_t{table_slots} * sizeof(std::uint32_t);
  offsets.pool = offsets.matrix + std::uint64_t{count} * dimensions;
  offsets.end = offsets.pool + pool_bytes;
  return offsets;
}

std::uint32_t TableSlots(std::uint32_t count) {
  std::uint64_t slots = 2;
  while (slots < 2 * std::uint64_t{count}) slots *= 2;
  return static_cast<std::uint32_t>(slots);
}

std::uint64_t WordHash(std::string_view word) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : word) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::uint64_t VectorsChecksum(std::span<const std::uint8_t> bytes) {
  constexpr std::uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;
  std::uint64_t hash = bytes.size() * kMultiplier;
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, 8);
    hash = (hash ^ word) * kMultiplier;
    hash ^= hash >> 29;
  }
  std::uint64_t tail = 0;
  if (i < bytes.size()) std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  hash = (hash ^ tail) * kMultiplier;
  return hash ^ (hash >> 32);
}

}  // namespace loci::embed
