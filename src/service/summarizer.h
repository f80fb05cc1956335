// Summarizer: folds turns of a conversation into a rolling summary, incrementally — a fold
// reads only the previous summary's text and the turns not yet covered.
//
// ExtractiveSummarizer is the built-in one: no model, deterministic (the same input gives the
// same summary, byte for byte) and fast (linear in the turns). It keeps the most salient
// sentences (salience.h: names, numbers, dates and decisions first) as lines that say when
// and who: "[2023-05-08] Caroline: I moved to Lisbon in May." Each fold adds the best share of
// the new turns' sentences; when the summary outgrows its budget, its least salient lines go
// (the older of equals first), so what stays is the most salient of everything folded so far.
// Thread-safety: implementations are immutable after construction and shareable.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "model/message.h"
#include "util/status.h"

namespace loci::service {

class Summarizer {
 public:
  virtual ~Summarizer() = default;

  // The summary of what `previous` summarized ("" for nothing) followed by `turns` (oldest
  // first). Unavailable or Internal when a summarizer that depends on a service fails; the
  // built-in one always succeeds.
  virtual Result<std::string> Fold(std::string_view previous,
                                   std::span<const model::Message> turns) const = 0;
};

struct ExtractiveOptions {
  int max_tokens = 600;          // the summary's budget (text::CountTokens)
  double keep_share = 0.35;      // the share of a fold's sentences that may join the summary
  double min_salience = 1.5;     // sentences below this never join (fillers, short replies)
  int max_sentence_tokens = 80;  // longer sentences are cut to this
};

class ExtractiveSummarizer final : public Summarizer {
 public:
  explicit ExtractiveSummarizer(ExtractiveOptions options = {}) : options_(options) {}

  Result<std::string> Fold(std::string_view previous,
                           std::span<const model::Message> turns) const override;

 private:
  ExtractiveOptions options_;
};

// `summary` (lines as ExtractiveSummarizer writes them, or any text of lines) within
// `max_tokens`: its least salient lines are left out (the older of equals first), the rest
// keep their order; a single line longer than the budget is cut. "" when nothing fits.
std::string CompressSummary(std::string_view summary, int max_tokens);

}  // namespace loci::service
