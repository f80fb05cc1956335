// Token counting for context budgets: an estimate of how many tokens an LLM tokenizer
// (cl100k/o200k-style BPE) would produce for a text, without shipping a vocabulary.
// How it estimates and how close it comes are written at the top of token_counter.cpp.
// Thread-safety: pure function.
#pragma once

#include <string_view>

namespace loci::text {

// Estimated LLM tokens in `text`; 0 for empty text. Never throws; tolerates invalid UTF-8.
int CountTokens(std::string_view text);

}  // namespace loci::text
