// WordVectors: the word vectors of the binary file (vectors_format.h), memory-mapped
// read-only. Opening validates the header, the file size, the checksum and every offset, so
// a truncated, damaged or foreign file is a clean Corruption error and lookups never read
// out of bounds.
// Thread-safety: immutable after Open; any number of threads may read concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "util/status.h"

namespace loci::embed {

class WordVectors {
 public:
  // Maps the file at `path`. NotFound when there is no file; Unavailable when it cannot be
  // read or mapped; Corruption naming the problem when it is not a valid vectors file of
  // this version (wrong magic or version, size disagreeing with the header, bad checksum,
  // offsets out of range).
  static Result<std::unique_ptr<WordVectors>> Open(const std::string& path);

  ~WordVectors();
  WordVectors(const WordVectors&) = delete;
  WordVectors& operator=(const WordVectors&) = delete;

  int dimensions() const { return static_cast<int>(dimensions_); }
  std::uint32_t size() const { return count_; }
  std::uint64_t file_bytes() const { return length_; }

  // The frequency rank of `word` (0 = most frequent), or nullopt when it is not in the
  // vocabulary. Words are matched byte for byte (the vocabulary is lower-case).
  std::optional<std::uint32_t> Find(std::string_view word) const;

  // The word of rank `rank`. REQUIRES: rank < size().
  std::string_view Word(std::uint32_t rank) const;

  // The dequantized vector of rank `rank`. REQUIRES: rank < size(), out.size() == dimensions().
  void Vector(std::uint32_t rank, std::span<float> out) const;

  // sum += weight * vector(rank). REQUIRES: rank < size(), sum.size() == dimensions().
  void AddScaled(std::uint32_t rank, float weight, std::span<float> sum) const;

  // The unit-length common component to remove from SIF averages (all zeros if none).
  std::span<const float> common_component() const { return {common_, dimensions_}; }

 private:
  WordVectors(void* mapping, std::size_t length) : mapping_(mapping), length_(length) {}
  Status Validate(const std::string& path);

  void* mapping_;
  std::size_t length_;
  std::uint32_t dimensions_ = 0;
  std::uint32_t count_ = 0;
  std::uint32_t table_mask_ = 0;
  const float* common_ = nullptr;
  const float* scales_ = nullptr;
  const std::uint32_t* word_ends_ = nullptr;
  const std::uint32_t* table_ = nullptr;
  const std::int8_t* matrix_ = nullptr;
  const char* pool_ = nullptr;
};

}  // namespace loci::embed
