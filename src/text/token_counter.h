// Token counting for context budgets: an estimate of how many tokens an LLM tokenizer
// (cl100k/o200k-style BPE) would produce for a text, without shipping a vocabulary.
// How close it comes is measured and documented in docs/token_counting.md.
// Thread-safety: pure function.
#pragma once

#include <string_view>

namespace loci::text {

// Estimated LLM tokens in `text`; 0 for empty text. Never throws; tolerates invalid UTF-8.
int CountTokens(std::string_view text);

}  // namespace loci::text
