#include "embed/word_vectors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "embed/vectors_format.h"

namespace loci::embed {
namespace {

constexpr std::uint32_t kMaxDimensions = 4096;

}  // namespace

Result<std::unique_ptr<WordVectors>> WordVectors::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("no word vectors file at " + path);
    return Unavailable("cannot open " + path + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return Unavailable(path + " is not a readable regular file");
  }
  const auto length = static_cast<std::size_t>(info.st_size);
  if (length < sizeof(FileHeader)) {
    ::close(fd);
    return Corruption(path + ": too short for a word vectors file (" + std::to_string(length) +
                      " bytes)");
  }
  void* mapping = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file
  if (mapping == MAP_FAILED) {
    return Unavailable("cannot map " + path + ": " + std::strerror(errno));
  }
  std::unique_ptr<WordVectors> vectors(new WordVectors(mapping, length));
  RETURN_IF_ERROR(vectors->Validate(path));
  return vectors;
}

WordVectors::~WordVectors() { ::munmap(mapping_, length_); }

Status WordVectors::Validate(const std::string& path) {
  const auto* bytes = static_cast<const std::uint8_t*>(mapping_);
  FileHeader header{};
  std::memcpy(&header, bytes, sizeof(header));
  auto corrupt = [&path](const std::string& why) { return Corruption(path + ": " + why); };
  if (std::memcmp(header.magic, kVectorsMagic, sizeof(header.magic)) != 0) {
    return corrupt("not a word vectors file (wrong magic); convert with `loci vectors convert`");
  }
  if (header.version != kVectorsVersion) {
    return corrupt("format version " + std::to_string(header.version) + ", this build reads " +
                   std::to_string(kVectorsVersion) + "; convert again");
  }
  if (header.dimensions == 0 || header.dimensions > kMaxDimensions || header.count == 0 ||
      header.count > (1u << 30) || header.table_slots != TableSlots(header.count) ||
      header.pool_bytes > 0xffffffffULL) {
    return corrupt("impossible sizes in the header");
  }
  const SectionOffsets at =
      Sections(header.dimensions, header.count, header.table_slots, header.pool_bytes);
  if (at.end != length_ || header.body_bytes != length_ - sizeof(FileHeader)) {
    return corrupt("the file has " + std::to_string(length_) + " bytes, its header says " +
                   std::to_string(at.end) + " (truncated?)");
  }
  if (VectorsChecksum({bytes + sizeof(FileHeader), length_ - sizeof(FileHeader)}) !=
      header.checksum) {
    return corrupt("checksum mismatch (the file is damaged)");
  }
  dimensions_ = header.dimensions;
  count_ = header.count;
  table_mask_ = header.table_slots - 1;
  common_ = reinterpret_cast<const float*>(bytes + at.common);
  scales_ = reinterpret_cast<const float*>(bytes + at.scales);
  word_ends_ = reinterpret_cast<const std::uint32_t*>(bytes + at.word_ends);
  table_ = reinterpret_cast<const std::uint32_t*>(bytes + at.table);
  matrix_ = reinterpret_cast<const std::int8_t*>(bytes + at.matrix);
  pool_ = reinterpret_cast<const char*>(bytes + at.pool);
  // A file with a valid checksum can still be crafted: check every offset once, so that no
  // lookup can leave the mapping.
  std::uint32_t previous = 0;
  for (std::uint32_t rank = 0; rank < count_; ++rank) {
    if (word_ends_[rank] <= previous && rank > 0) return corrupt("word offsets out of order");
    if (word_ends_[rank] > header.pool_bytes) return corrupt("word offset out of range");
    if (!std::isfinite(scales_[rank])) return corrupt("a scale is not finite");
    previous = word_ends_[rank];
  }
  if (count_ > 0 && word_ends_[count_ - 1] != header.pool_bytes) {
    return corrupt("the words do not fill the pool");
  }
  for (std::uint32_t slot = 0; slot <= table_mask_; ++slot) {
    if (table_[slot] > count_) return corrupt("hash table entry out of range");
  }
  for (std::uint32_t i = 0; i < dimensions_; ++i) {
    if (!std::isfinite(common_[i])) return corrupt("the common component is not finite");
  }
  return Status::Ok();
}

std::optional<std::uint32_t> WordVectors::Find(std::string_view word) const {
  std::uint64_t slot = WordHash(word) & table_mask_;
  // The table is at least half empty, so probing ends; the bound guards crafted tables.
  for (std::uint32_t probes = 0; probes <= table_mask_; ++probes) {
    const std::uint32_t entry = table_[slot];
    if (entry == 0) return std::nullopt;
    if (Word(entry - 1) == word) return entry - 1;
    slot = (slot + 1) & table_mask_;
  }
  return std::nullopt;
}

std::string_view WordVectors::Word(std::uint32_t rank) const {
  const std::uint32_t begin = rank == 0 ? 0 : word_ends_[rank - 1];
  return {pool_ + begin, word_ends_[rank] - begin};
}

void WordVectors::Vector(std::uint32_t rank, std::span<float> out) const {
  std::fill(out.begin(), out.end(), 0.0f);
  AddScaled(rank, 1.0f, out);
}

void WordVectors::AddScaled(std::uint32_t rank, float weight, std::span<float> sum) const {
  const std::int8_t* row = matrix_ + std::size_t{rank} * dimensions_;
  const float factor = weight * scales_[rank];
  for (std::uint32_t i = 0; i < dimensions_; ++i) sum[i] += factor * float(row[i]);
}

}  // namespace loci::embed
