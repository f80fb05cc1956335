// VectorMatrix: a user's message vectors of one embedding model, opened and quantized, laid out
// for an exact scan: one padded int8 row per message, its scale, and what the filters look at
// (session, role, time). Per-user collections are small enough (100,000 turns of 100
// dimensions: ~16 MB, scanned in ~1.5 ms with AVX2) that an exact scan beats an approximate index
// on both recall and upkeep. Thread-safety: immutable after Build; Search may run concurrently.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "service/bm25.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::service {

class VectorMatrix {
 public:
  // The matrix of `rows` (vector_codec.h encoding). Corruption when a vector does not decode
  // or the vectors do not all have the same dimensions.
  static Result<VectorMatrix> Build(const std::vector<storage::StoredEmbedding>& rows);

  // A copy with `rows` added. REQUIRES: their seqs are greater than max_seq(). Errors as Build.
  Result<VectorMatrix> With(const std::vector<storage::StoredEmbedding>& rows) const;

  // At most `limit` rows passing `filter`'s session, roles, since and until (its attributes
  // are not looked at: the caller applies them) by dot product with `query`, best first
  // (ties: newer first). Empty for a zero query or an empty matrix. InvalidArgument when the
  // query's dimensions differ from the rows'.
  Result<std::vector<ScoredSeq>> Search(std::span<const float> query,
                                        const storage::MessageFilter& filter,
                                        std::size_t limit) const;

  std::size_t rows() const { return seqs_.size(); }
  std::int64_t max_seq() const { return seqs_.empty() ? 0 : seqs_.back(); }
  int dimensions() const { return dimensions_; }
  std::size_t bytes() const;  // memory held, roughly

 private:
  VectorMatrix() = default;
  Status Add(const storage::StoredEmbedding& row);
  // Whether row `row` passes the filter; `session` is the filter's session index, or -1.
  bool Passes(std::size_t row, const storage::MessageFilter& filter, std::int64_t session) const;

  int dimensions_ = 0;
  std::size_t stride_ = 0;           // dimensions rounded up to kDotBlock
  std::vector<std::int8_t> values_;  // rows * stride_, zero-padded
  std::vector<float> scales_;
  std::vector<std::int64_t> seqs_;
  std::vector<UnixMillis> created_at_;
  std::vector<model::Role> roles_;
  std::vector<std::uint32_t> sessions_;  // index into session_ids_
  std::vector<std::string> session_ids_;
  std::unordered_map<std::string, std::uint32_t> session_index_;  // session id -> index
};

}  // namespace loci::service
