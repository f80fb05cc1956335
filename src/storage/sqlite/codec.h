// Compact encodings for lists in one BLOB column. A list of byte strings: each entry is its
// length as a LEB128 varint followed by its bytes. A term list: each term as such an entry
// followed by its count as a varint. Messages keep their index entries this way (the
// unmerged tier of the index, and what erasing them must remove); request idempotency keys
// keep the message ids they answered. A posting list (the merged tier, index_writes.h): the
// postings of one key in seq order, each its seq as a varint delta (from a base seq for the
// first, from the previous seq after) followed, when the list has counts (terms), by its term
// frequency and document length as varints. A block of posting lists: an entry list of keys
// each followed by its posting list. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/store.h"
#include "util/status.h"

namespace loci::storage::sqlite {

// Appends one entry to `out`.
void AppendEntry(std::string_view entry, std::string* out);

// The entries of `encoded`, in order. Corruption when the bytes are not a well-formed list.
Result<std::vector<std::string>> DecodeEntries(std::string_view encoded);

// The term list of `terms`.
std::string EncodeTerms(const std::vector<TermFrequency>& terms);

// The terms of an encoded term list. Corruption when malformed.
Result<std::vector<TermFrequency>> DecodeTerms(std::string_view encoded);

// The posting list of `postings` (in increasing seq order, none below `base`); with
// `counts`, their term frequencies and document lengths too.
std::string EncodePostings(std::int64_t base, std::span<const Posting> postings, bool counts);

// Appends the postings of an encoded posting list to `out` (without counts, each with term
// frequency and document length 0). Corruption when malformed.
Status DecodePostings(std::string_view encoded, std::int64_t base, bool counts,
                      std::vector<Posting>* out);

// Reads an entry list (or a block of posting lists, two entries per key) without copying.
class EntryListReader {
 public:
  explicit EntryListReader(std::string_view encoded) : encoded_(encoded) {}
  // The next entry; false at the end of the list or when it is malformed.
  bool Next(std::string_view* entry);
  // Corruption when reading stopped at malformed bytes rather than at the end.
  Status status() const;

 private:
  std::string_view encoded_;
  std::size_t at_ = 0;
  bool malformed_ = false;
};

// Reads a block of posting lists without copying.
class ListBlockReader {
 public:
  explicit ListBlockReader(std::string_view encoded) : entries_(encoded) {}
  // The next key and its encoded posting list; false at the end or when malformed.
  bool Next(std::string_view* key, std::string_view* postings);
  // Corruption when reading stopped at malformed bytes rather than at the end.
  Status status() const;

 private:
  EntryListReader entries_;
  bool unpaired_ = false;  // a key without a list
};

// Reads an encoded term list without copying: for hot loops that only look at each term.
class TermListReader {
 public:
  explicit TermListReader(std::string_view encoded) : encoded_(encoded) {}
  // The next term and its count; false at the end of the list or when it is malformed.
  bool Next(std::string_view* term, int* count);
  // Corruption when reading stopped at malformed bytes rather than at the end.
  Status status() const;

 private:
  std::string_view encoded_;
  std::size_t at_ = 0;
  bool malformed_ = false;
};

}  // namespace loci::storage::sqlite
