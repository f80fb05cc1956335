// Compact encodings for lists in one BLOB column. A list of byte strings: each entry is its
// length as a LEB128 varint followed by its bytes. A term list: each term as such an entry
// followed by its count as a varint. Messages keep their index entries this way (the
// unmerged tier of the index, and what erasing them must remove); request idempotency keys
// keep the message ids they answered. Thread-safety: pure functions.
#pragma once

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
