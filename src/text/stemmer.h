// Stemmer: reduces an English word to its Snowball (Porter 2) stem, so that "running",
// "runs" and "run" index as one term.
//
// Thread-safety: safe to call from any number of threads. libstemmer objects are not
// thread-safe, so each thread lazily creates its own and frees it when the thread ends.
#pragma once

#include <string>
#include <string_view>

namespace loci::text {

// Writes the stem of `word` into `*out` (replacing its content). REQUIRES: `word` is
// normalized (lower case) UTF-8. Words longer than kMaxStemmedBytes, and every word when the
// stemmer cannot be created (out of memory), are copied unchanged.
void StemEnglish(std::string_view word, std::string* out);

inline constexpr std::size_t kMaxStemmedBytes = 64;

}  // namespace loci::text
