#include "embed/vectors_converter.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "embed/sif_weights.h"
#include "embed/vectors_format.h"
#include "embed/vectors_writer.h"

namespace loci::embed {
namespace {

constexpr std::uint32_t kMaxDimensions = 4096;
constexpr std::uint32_t kMaxWords = 10'000'000;
constexpr std::uint32_t kCommonComponentWords = 50'000;

// The second moment of the weighted word vectors, and its leading eigenvector.
class MomentMatrix {
 public:
  explicit MomentMatrix(std::uint32_t dimensions)
      : dimensions_(dimensions), sum_(std::size_t{dimensions} * dimensions, 0.0) {}

  void Add(const double* vector, double weight) {
    for (std::uint32_t i = 0; i < dimensions_; ++i) {
      const double scaled = weight * vector[i];
      double* row = &sum_[std::size_t{i} * dimensions_];
      for (std::uint32_t j = 0; j < dimensions_; ++j) row[j] += scaled * vector[j];
    }
  }

  // Power iteration from a fixed start: deterministic. All zeros for a zero matrix.
  std::vector<float> LeadingEigenvector() const {
    std::vector<double> v(dimensions_, 1.0 / std::sqrt(double(dimensions_)));
    std::vector<double> next(dimensions_);
    for (int iteration = 0; iteration < 500; ++iteration) {
      double norm = 0;
      for (std::uint32_t i = 0; i < dimensions_; ++i) {
        double dot = 0;
        for (std::uint32_t j = 0; j < dimensions_; ++j) dot += sum_[i * dimensions_ + j] * v[j];
        next[i] = dot;
        norm += dot * dot;
      }
      norm = std::sqrt(norm);
      if (norm == 0) return std::vector<float>(dimensions_, 0.0f);
      for (double& x : next) x /= norm;
      v.swap(next);
    }
    return {v.begin(), v.end()};
  }

 private:
  std::uint32_t dimensions_;
  std::vector<double> sum_;
};

class WinkSaxHandler : public nlohmann::json::json_sax_t {
 public:
  bool null() override { return Scalar(std::nullopt); }
  bool boolean(bool) override { return Scalar(std::nullopt); }
  bool number_integer(number_integer_t value) override { return Scalar(double(value)); }
  bool number_unsigned(number_unsigned_t value) override { return Scalar(double(value)); }
  bool number_float(number_float_t value, const string_t&) override { return Scalar(value); }
  bool binary(binary_t&) override { return Scalar(std::nullopt); }

  bool string(string_t& value) override {
    if (depth_ == 2 && section_ == Section::kWords) return AddWord(value);
    if (depth_ == 3 && section_ == Section::kVectors) return Fail("a vector holds a string");
    return true;
  }

  bool start_object(std::size_t) override {
    ++depth_;
    if (depth_ == 2 && key_ == "vectors") {
      if (!Prepare()) return false;
      section_ = Section::kVectors;
    }
    if (depth_ == 3 && section_ == Section::kVectors) return Fail("a vector is not an array");
    return true;
  }

  bool end_object() override {
    if (depth_ == 2 && section_ == Section::kVectors) section_ = Section::kNone;
    --depth_;
    return true;
  }

  bool start_array(std::size_t) override {
    ++depth_;
    if (depth_ == 2 && key_ == "words") {
      if (!Prepare()) return false;
      section_ = Section::kWords;
    }
    if (depth_ == 3 && section_ == Section::kVectors) values_.clear();
    if (depth_ > 3 && section_ == Section::kVectors) return Fail("a vector holds an array");
    return true;
  }

  bool end_array() override {
    bool ok = true;
    if (depth_ == 3 && section_ == Section::kVectors) ok = FinishVector();
    if (depth_ == 2 && section_ == Section::kWords) section_ = Section::kNone;
    --depth_;
    return ok;
  }

  bool key(string_t& value) override {
    if (depth_ == 1) key_ = value;
    if (depth_ == 2 && section_ == Section::kVectors) word_ = value;
    return true;
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::json::exception& error) override {
    return Fail("not valid JSON near byte " + std::to_string(position) + " (" + error.what() + ")");
  }

  // After a successful parse: checks completeness and builds the quantized vectors.
  Result<QuantizedVectors> Finish(double* max_error);
  const std::string& error() const { return error_; }

 private:
  enum class Section { kNone, kWords, kVectors };

  bool Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  bool Scalar(std::optional<double> value) {
    if (depth_ == 3 && section_ == Section::kVectors) {
      if (!value) return Fail("vector of '" + word_ + "' holds a non-number");
      if (values_.size() > dimensions_ + 1) {
        return Fail("vector of '" + word_ + "' is longer than dimensions + 2");
      }
      values_.push_back(*value);
      return true;
    }
    if (depth_ != 1 || !value) return true;
    if (key_ == "dimensions") dimensions_ = Whole(*value);
    if (key_ == "size") size_ = Whole(*value);
    if (key_ == "l2NormIndex") norm_index_ = Whole(*value);
    if (key_ == "wordIndex") word_index_ = Whole(*value);
    return true;
  }

  static std::uint32_t Whole(double value) {
    return value >= 0 && value <= 4e9 && value == std::floor(value)
               ? static_cast<std::uint32_t>(value)
               : 0;
  }

  // Checks the header fields once, before the first word or vector, and sizes the output.
  bool Prepare() {
    if (prepared_) return true;
    if (dimensions_ == 0 || dimensions_ > kMaxDimensions) {
      return Fail("\"dimensions\" must come first and be 1-" + std::to_string(kMaxDimensions));
    }
    if (size_ == 0 || size_ > kMaxWords) {
      return Fail("\"size\" must come first and be 1-" + std::to_string(kMaxWords));
    }
    if (norm_index_ != dimensions_ || word_index_ != dimensions_ + 1) {
      return Fail("\"l2NormIndex\" and \"wordIndex\" must be dimensions and dimensions + 1");
    }
    prepared_ = true;
    out_.dimensions = dimensions_;
    out_.scales.assign(size_, 0.0f);
    out_.matrix.assign(std::size_t{size_} * dimensions_, 0);
    key_hashes_.assign(size_, 0);
    seen_.assign(size_, false);
    moment_.emplace(dimensions_);
    return true;
  }

  bool AddWord(const std::string& word) {
    if (out_.words.size() >= size_) return Fail("\"words\" holds more than \"size\" words");
    if (word.empty()) return Fail("\"words\" holds an empty word");
    out_.words.push_back(word);
    return true;
  }

  bool FinishVector() {
    if (values_.size() != dimensions_ + 2) {
      return Fail("vector of '" + word_ + "' does not hold dimensions + 2 numbers");
    }
    const std::uint32_t rank = Whole(values_[word_index_]);
    if (rank >= size_ || values_[word_index_] != double(rank)) {
      return Fail("vector of '" + word_ + "' has a rank out of range");
    }
    if (seen_[rank]) return Fail("rank " + std::to_string(rank) + " is given twice");
    seen_[rank] = true;
    key_hashes_[rank] = WordHash(word_);
    double largest = 0;
    for (std::uint32_t i = 0; i < dimensions_; ++i) {
      if (!std::isfinite(values_[i])) return Fail("vector of '" + word_ + "' is not finite");
      largest = std::max(largest, std::abs(values_[i]));
    }
    const double scale = largest / 127.0;
    out_.scales[rank] = static_cast<float>(scale);
    std::int8_t* row = &out_.matrix[std::size_t{rank} * dimensions_];
    for (std::uint32_t i = 0; i < dimensions_; ++i) {
      const double q = scale == 0 ? 0 : std::clamp(std::round(values_[i] / scale), -127.0, 127.0);
      row[i] = static_cast<std::int8_t>(q);
      max_error_ = std::max(max_error_, std::abs(values_[i] - q * double(out_.scales[rank])));
    }
    if (rank < kCommonComponentWords) {
      const double p = ZipfProbability(rank, size_);
      const double weight = SifWeight(p, kDefaultSifA);
      moment_->Add(values_.data(), p * weight * weight);
    }
    return true;
  }

  Section section_ = Section::kNone;
  int depth_ = 0;
  std::string key_;   // the current key of the root object
  std::string word_;  // the current key of "vectors"
  std::uint32_t dimensions_ = 0, size_ = 0, norm_index_ = 0, word_index_ = 0;
  bool prepared_ = false;
  std::vector<double> values_;
  std::vector<std::uint64_t> key_hashes_;
  std::vector<bool> seen_;
  std::optional<MomentMatrix> moment_;
  double max_error_ = 0;
  QuantizedVectors out_;
  std::string error_;
};

Result<QuantizedVectors> WinkSaxHandler::Finish(double* max_error) {
  if (!prepared_) return InvalidArgument("no \"words\" and \"vectors\" in the JSON");
  if (out_.words.size() != size_) {
    return InvalidArgument("\"words\" holds " + std::to_string(out_.words.size()) +
                           " words, \"size\" says " + std::to_string(size_));
  }
  for (std::uint32_t rank = 0; rank < size_; ++rank) {
    if (!seen_[rank]) return InvalidArgument("no vector for rank " + std::to_string(rank));
    if (key_hashes_[rank] != WordHash(out_.words[rank])) {
      return InvalidArgument("the vector of rank " + std::to_string(rank) + " is not for '" +
                             out_.words[rank] + "'");
    }
  }
  out_.common_component = moment_->LeadingEigenvector();
  *max_error = max_error_;
  return std::move(out_);
}

}  // namespace

Result<ConversionReport> ConvertWinkVectors(std::istream& input, const std::string& output_path) {
  WinkSaxHandler handler;
  bool parsed = false;
  try {
    parsed = nlohmann::json::sax_parse(input, &handler);
  } catch (const std::exception& error) {  // allocation failure, stream errors
    return InvalidArgument(std::string("cannot read the vectors JSON: ") + error.what());
  }
  if (!parsed) {
    return InvalidArgument("vectors JSON: " + (handler.error().empty() ? std::string("parse failed")
                                                                       : handler.error()));
  }
  ConversionReport report;
  ASSIGN_OR_RETURN(QuantizedVectors vectors, handler.Finish(&report.max_quantization_error));
  report.words = static_cast<std::uint32_t>(vectors.words.size());
  report.dimensions = vectors.dimensions;
  ASSIGN_OR_RETURN(report.file_bytes, WriteVectorsFile(vectors, output_path));
  return report;
}

}  // namespace loci::embed
