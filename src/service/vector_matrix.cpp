#include "service/vector_matrix.h"

#include <algorithm>
#include <unordered_map>

#include "service/int8_dot.h"
#include "service/vector_codec.h"

namespace loci::service {
namespace {

bool Better(const ScoredSeq& a, const ScoredSeq& b) {
  return a.score != b.score ? a.score > b.score : a.seq > b.seq;
}

}  // namespace

Result<VectorMatrix> VectorMatrix::Build(const std::vector<storage::StoredEmbedding>& rows) {
  VectorMatrix matrix;
  if (rows.empty()) return matrix;
  std::unordered_map<std::string, std::uint32_t> session_index;
  matrix.scales_.reserve(rows.size());
  matrix.seqs_.reserve(rows.size());
  matrix.created_at_.reserve(rows.size());
  matrix.roles_.reserve(rows.size());
  matrix.sessions_.reserve(rows.size());
  for (const storage::StoredEmbedding& row : rows) {
    ASSIGN_OR_RETURN(QuantizedVector vector, DecodeVector(row.vector));
    if (matrix.stride_ == 0) {
      matrix.dimensions_ = static_cast<int>(vector.values.size());
      matrix.stride_ = (vector.values.size() + kDotBlock - 1) / kDotBlock * kDotBlock;
      matrix.values_.reserve(rows.size() * matrix.stride_);
    } else if (static_cast<int>(vector.values.size()) != matrix.dimensions_) {
      return Corruption("a user's vectors of one model differ in dimensions");
    }
    matrix.values_.insert(matrix.values_.end(), vector.values.begin(), vector.values.end());
    matrix.values_.resize(matrix.values_.size() + matrix.stride_ - vector.values.size(), 0);
    matrix.scales_.push_back(vector.scale);
    matrix.seqs_.push_back(row.seq);
    matrix.created_at_.push_back(row.created_at);
    matrix.roles_.push_back(row.role);
    auto [found, added] = session_index.try_emplace(
        row.session_id, static_cast<std::uint32_t>(matrix.session_ids_.size()));
    if (added) matrix.session_ids_.push_back(row.session_id);
    matrix.sessions_.push_back(found->second);
  }
  return matrix;
}

std::size_t VectorMatrix::bytes() const {
  std::size_t bytes =
      sizeof(*this) + values_.capacity() + scales_.capacity() * sizeof(float) +
      seqs_.capacity() * sizeof(std::int64_t) + created_at_.capacity() * sizeof(UnixMillis) +
      roles_.capacity() * sizeof(model::Role) + sessions_.capacity() * sizeof(std::uint32_t);
  for (const std::string& session : session_ids_) bytes += sizeof(std::string) + session.size();
  return bytes;
}

bool VectorMatrix::Passes(std::size_t row, const storage::MessageFilter& filter,
                          std::int64_t session) const {
  if (session >= 0 && sessions_[row] != static_cast<std::uint32_t>(session)) return false;
  if (!filter.roles.empty() &&
      std::find(filter.roles.begin(), filter.roles.end(), roles_[row]) == filter.roles.end()) {
    return false;
  }
  if (filter.since && created_at_[row] < *filter.since) return false;
  if (filter.until && created_at_[row] >= *filter.until) return false;
  return true;
}

Result<std::vector<ScoredSeq>> VectorMatrix::Search(std::span<const float> query,
                                                    const storage::MessageFilter& filter,
                                                    std::size_t limit) const {
  std::vector<ScoredSeq> best;
  if (rows() == 0 || limit == 0) return best;
  if (static_cast<int>(query.size()) != dimensions_) {
    return InvalidArgument("the query vector has " + std::to_string(query.size()) +
                           " dimensions, the stored ones " + std::to_string(dimensions_));
  }
  std::int64_t session = -1;
  if (filter.session_id) {
    auto found = std::find(session_ids_.begin(), session_ids_.end(), *filter.session_id);
    if (found == session_ids_.end()) return best;
    session = found - session_ids_.begin();
  }
  QuantizedVector quantized = Quantize(query);
  if (quantized.scale == 0) return best;
  quantized.values.resize(stride_, 0);

  // Every row is scored (the kernel streams the whole matrix faster than it could skip
  // filtered rows); the filter and a bounded heap then pick the best.
  std::vector<std::int32_t> dots(rows());
  DotRows(quantized.values.data(), values_.data(), rows(), stride_, dots.data());
  best.reserve(std::min(limit, rows()) + 1);
  for (std::size_t row = 0; row < rows(); ++row) {
    if (!Passes(row, filter, session)) continue;
    ScoredSeq scored{.seq = seqs_[row],
                     .score = static_cast<double>(quantized.scale) * scales_[row] * dots[row]};
    if (best.size() == limit) {
      if (!Better(scored, best.front())) continue;
      std::pop_heap(best.begin(), best.end(), Better);
      best.back() = scored;
    } else {
      best.push_back(scored);
    }
    std::push_heap(best.begin(), best.end(), Better);  // the worst kept is at the front
  }
  std::sort_heap(best.begin(), best.end(), Better);
  return best;
}

}  // namespace loci::service
