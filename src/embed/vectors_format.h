// The binary word-vectors file: what `loci vectors convert` writes and WordVectors maps.
//
// Layout (little-endian, every section 4-byte aligned):
//   FileHeader (64 bytes)
//   float   common[dimensions]       the common component SIF removes (unit length)
//   float   scales[count]            per-word scale: component = int8 * scale
//   uint32  word_ends[count]         end offset of word i in the pool (word i starts at the
//                                    end of word i-1, word 0 at 0)
//   uint32  table[table_slots]       open-addressing hash table: rank + 1 of the word whose
//                                    WordHash lands there (linear probing), 0 = empty
//   int8    matrix[count * dimensions]
//   char    pool[pool_bytes]         the words, UTF-8, back to back
// Words are in frequency order: a word's index is its frequency rank (0 = most frequent).
// The checksum covers every byte after the header.
// Thread-safety: constants and pure functions.
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <string_view>

namespace loci::embed {

static_assert(std::endian::native == std::endian::little, "the vectors file is little-endian");

inline constexpr char kVectorsMagic[8] = {'L', 'O', 'C', 'I', 'W', 'V', 'E', 'C'};
inline constexpr std::uint32_t kVectorsVersion = 1;

struct FileHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t dimensions;
  std::uint32_t count;        // words
  std::uint32_t table_slots;  // a power of two, at least twice count
  std::uint64_t pool_bytes;
  std::uint64_t body_bytes;  // file size minus the header
  std::uint64_t checksum;    // VectorsChecksum of the body
  std::uint8_t reserved[16];
};
static_assert(sizeof(FileHeader) == 64);

// Where each section starts, from the start of the file, for a header's sizes.
struct SectionOffsets {
  std::uint64_t common;
  std::uint64_t scales;
  std::uint64_t word_ends;
  std::uint64_t table;
  std::uint64_t matrix;
  std::uint64_t pool;
  std::uint64_t end;  // the file size
};
SectionOffsets Sections(std::uint32_t dimensions, std::uint32_t count, std::uint32_t table_slots,
                        std::uint64_t pool_bytes);

// The smallest power of two at least twice `count` (and at least 2).
std::uint32_t TableSlots(std::uint32_t count);

// FNV-1a, 64 bits: where a word goes in the table.
std::uint64_t WordHash(std::string_view word);

// A fast 64-bit hash of the body (8 bytes per step), to detect damaged files.
std::uint64_t VectorsChecksum(std::span<const std::uint8_t> bytes);

}  // namespace loci::embed
