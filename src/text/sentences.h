// Sentence splitting: cuts a text into sentences, as byte ranges of the original, for the
// extractive summarizer and for search highlights.
//
// A sentence ends:
// - after a run of terminators (. ! ? … and their full-width, Arabic and Devanagari forms,
//   e.g. "?!", "...") and any closing quotes or brackets after them, when white space, the
//   end of the text or a CJK character follows; ideographic terminators (。！？) end a
//   sentence even with no space after them;
// - at every line break (chat messages use line breaks for list items and separate thoughts
//   far more often than to wrap long lines).
// A full stop does not end a sentence after a known abbreviation ("Dr.", "e.g.", "vs."), after
// a single capital letter (an initial: "J. K. Rowling"), when the next word starts in lower
// case ("at 5 p.m. tomorrow"), or between digits ("3.14", where no space follows anyway).
// Ranges exclude the white space around sentences; white-space-only stretches yield nothing.
// Bad UTF-8 bytes are treated as ordinary non-space content.
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace loci::text {

struct Sentence {
  std::uint32_t begin = 0;  // byte offset of the first character in the original text
  std::uint32_t end = 0;    // one past the last byte (terminators and closing quotes included)
};

// The sentences of `text`, in order. Empty for empty or white-space-only text. Texts longer
// than 4 GiB - 1 are cut to that length.
std::vector<Sentence> SplitSentences(std::string_view text);

}  // namespace loci::text
