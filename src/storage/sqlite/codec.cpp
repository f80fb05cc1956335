#include "storage/sqlite/codec.h"

#include <cstdint>
#include <limits>

namespace loci::storage::sqlite {
namespace {

void AppendVarint(std::uint64_t value, std::string* out) {
  do {
    auto byte = static_cast<unsigned char>(value & 0x7f);
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out->push_back(static_cast<char>(byte));
  } while (value != 0);
}

// Reads a varint at `*at`, advancing it. False when the bytes end first or it is too long.
bool ReadVarint(std::string_view encoded, std::size_t* at, std::uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift <= 63; shift += 7) {
    if (*at >= encoded.size()) return false;
    auto byte = static_cast<unsigned char>(encoded[(*at)++]);
    *value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

bool ReadEntry(std::string_view encoded, std::size_t* at, std::string_view* entry) {
  std::uint64_t size = 0;
  if (!ReadVarint(encoded, at, &size) || size > encoded.size() - *at) return false;
  *entry = encoded.substr(*at, size);
  *at += size;
  return true;
}

Status Malformed() { return Corruption("sqlite: malformed entry list"); }

}  // namespace

void AppendEntry(std::string_view entry, std::string* out) {
  AppendVarint(entry.size(), out);
  out->append(entry);
}

Result<std::vector<std::string>> DecodeEntries(std::string_view encoded) {
  std::vector<std::string> entries;
  EntryListReader reader(encoded);
  std::string_view entry;
  while (reader.Next(&entry)) entries.emplace_back(entry);
  RETURN_IF_ERROR(reader.status());
  return entries;
}

std::string EncodeTerms(const std::vector<TermFrequency>& terms) {
  std::string encoded;
  for (const TermFrequency& term : terms) {
    AppendEntry(term.term, &encoded);
    AppendVarint(static_cast<std::uint64_t>(term.count < 0 ? 0 : term.count), &encoded);
  }
  return encoded;
}

Result<std::vector<TermFrequency>> DecodeTerms(std::string_view encoded) {
  std::vector<TermFrequency> terms;
  TermListReader reader(encoded);
  std::string_view term;
  int count = 0;
  while (reader.Next(&term, &count)) terms.push_back({std::string(term), count});
  RETURN_IF_ERROR(reader.status());
  return terms;
}

std::string EncodePostings(std::int64_t base, std::span<const Posting> postings, bool counts) {
  std::string encoded;
  std::int64_t previous = base;
  for (const Posting& posting : postings) {
    AppendVarint(static_cast<std::uint64_t>(posting.seq - previous), &encoded);
    previous = posting.seq;
    if (counts) {
      AppendVarint(static_cast<std::uint64_t>(posting.term_frequency), &encoded);
      AppendVarint(static_cast<std::uint64_t>(posting.document_length), &encoded);
    }
  }
  return encoded;
}

Status DecodePostings(std::string_view encoded, std::int64_t base, bool counts,
                      std::vector<Posting>* out) {
  constexpr auto kMaxCount = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
  constexpr auto kMaxSeq = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::uint64_t seq = static_cast<std::uint64_t>(base);
  std::size_t at = 0;
  while (at < encoded.size()) {
    std::uint64_t delta = 0;
    std::uint64_t frequency = 0;
    std::uint64_t length = 0;
    if (!ReadVarint(encoded, &at, &delta) || delta > kMaxSeq - seq) {
      return Corruption("sqlite: malformed posting list");
    }
    if (counts && (!ReadVarint(encoded, &at, &frequency) || !ReadVarint(encoded, &at, &length) ||
                   frequency > kMaxCount || length > kMaxCount)) {
      return Corruption("sqlite: malformed posting list");
    }
    seq += delta;
    out->push_back({.seq = static_cast<std::int64_t>(seq),
                    .term_frequency = static_cast<int>(frequency),
                    .document_length = static_cast<int>(length)});
  }
  return Status::Ok();
}

bool EntryListReader::Next(std::string_view* entry) {
  if (malformed_ || at_ >= encoded_.size()) return false;
  if (!ReadEntry(encoded_, &at_, entry)) {
    malformed_ = true;
    return false;
  }
  return true;
}

Status EntryListReader::status() const { return malformed_ ? Malformed() : Status::Ok(); }

bool ListBlockReader::Next(std::string_view* key, std::string_view* postings) {
  if (unpaired_ || !entries_.Next(key)) return false;
  unpaired_ = !entries_.Next(postings);
  return !unpaired_;
}

Status ListBlockReader::status() const {
  RETURN_IF_ERROR(entries_.status());
  return unpaired_ ? Malformed() : Status::Ok();
}

bool TermListReader::Next(std::string_view* term, int* count) {
  if (malformed_ || at_ >= encoded_.size()) return false;
  std::uint64_t value = 0;
  if (!ReadEntry(encoded_, &at_, term) || !ReadVarint(encoded_, &at_, &value) ||
      value > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
    malformed_ = true;
    return false;
  }
  *count = static_cast<int>(value);
  return true;
}

Status TermListReader::status() const { return malformed_ ? Malformed() : Status::Ok(); }

}  // namespace loci::storage::sqlite
