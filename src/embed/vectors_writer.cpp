#include "embed/vectors_writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

#include "embed/vectors_format.h"

namespace loci::embed {
namespace {

template <typename T>
void Put(std::vector<std::uint8_t>& file, std::uint64_t offset, const std::vector<T>& values) {
  if (!values.empty()) std::memcpy(file.data() + offset, values.data(), values.size() * sizeof(T));
}

// The table of vectors_format.h: the first of duplicate words (the more frequent) wins.
std::vector<std::uint32_t> BuildTable(const std::vector<std::string>& words, std::uint32_t slots) {
  std::vector<std::uint32_t> table(slots, 0);
  const std::uint64_t mask = slots - 1;
  for (std::uint32_t rank = 0; rank < words.size(); ++rank) {
    std::uint64_t slot = WordHash(words[rank]) & mask;
    bool duplicate = false;
    while (table[slot] != 0) {
      if (words[table[slot] - 1] == words[rank]) {
        duplicate = true;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (!duplicate) table[slot] = rank + 1;
  }
  return table;
}

Status CheckSizes(const QuantizedVectors& vectors) {
  const std::size_t count = vectors.words.size();
  if (vectors.dimensions == 0) return InvalidArgument("vectors need at least one dimension");
  if (count == 0 || count > std::numeric_limits<std::uint32_t>::max() / 4) {
    return InvalidArgument("the number of words must be between 1 and 2^30");
  }
  if (vectors.scales.size() != count || vectors.matrix.size() != count * vectors.dimensions ||
      vectors.common_component.size() != vectors.dimensions) {
    return InvalidArgument("the scales, matrix and common component do not match the words");
  }
  return Status::Ok();
}

}  // namespace

Result<std::uint64_t> WriteVectorsFile(const QuantizedVectors& vectors, const std::string& path) {
  RETURN_IF_ERROR(CheckSizes(vectors));
  const auto count = static_cast<std::uint32_t>(vectors.words.size());
  std::vector<std::uint32_t> word_ends;
  word_ends.reserve(count);
  std::uint64_t pool_bytes = 0;
  for (const std::string& word : vectors.words) {
    if (word.empty()) return InvalidArgument("a word is empty");
    pool_bytes += word.size();
    if (pool_bytes > std::numeric_limits<std::uint32_t>::max()) {
      return InvalidArgument("the words take more than 4 GiB");
    }
    word_ends.push_back(static_cast<std::uint32_t>(pool_bytes));
  }
  const std::uint32_t slots = TableSlots(count);
  const SectionOffsets at = Sections(vectors.dimensions, count, slots, pool_bytes);

  std::vector<std::uint8_t> file(at.end, 0);
  Put(file, at.common, vectors.common_component);
  Put(file, at.scales, vectors.scales);
  Put(file, at.word_ends, word_ends);
  Put(file, at.table, BuildTable(vectors.words, slots));
  Put(file, at.matrix, vectors.matrix);
  std::uint64_t offset = at.pool;
  for (const std::string& word : vectors.words) {
    std::memcpy(file.data() + offset, word.data(), word.size());
    offset += word.size();
  }
  FileHeader header{};
  std::memcpy(header.magic, kVectorsMagic, sizeof(header.magic));
  header.version = kVectorsVersion;
  header.dimensions = vectors.dimensions;
  header.count = count;
  header.table_slots = slots;
  header.pool_bytes = pool_bytes;
  header.body_bytes = at.end - sizeof(FileHeader);
  header.checksum = VectorsChecksum(std::span(file).subspan(sizeof(FileHeader)));
  std::memcpy(file.data(), &header, sizeof(header));

  const std::string temporary = path + ".tmp";
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr) {
    return Unavailable("cannot write " + temporary + ": " + std::strerror(errno));
  }
  const bool written = std::fwrite(file.data(), 1, file.size(), out) == file.size();
  const bool closed = std::fclose(out) == 0;
  std::error_code error;
  if (!written || !closed) {
    std::filesystem::remove(temporary, error);
    return Unavailable("cannot write " + temporary + " (disk full?)");
  }
  std::filesystem::rename(temporary, path, error);
  if (error) return Unavailable("cannot rename " + temporary + ": " + error.message());
  return std::uint64_t{file.size()};
}

}  // namespace loci::embed
