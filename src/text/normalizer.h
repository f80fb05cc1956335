// Normalizer: the Unicode folding applied to every token before it becomes a term, so that
// spellings a reader takes for the same word give the same term.
//
// - NFKC: compatibility forms fold to their plain letters ("ｈｅｌｌｏ" → "hello", "ﬁ" → "fi",
//   "①" → "1").
// - Full case folding ("ÉCOLE" → "école", "Straße" → "strasse").
// - Default-ignorable characters (soft hyphen, ZWJ, ZWNJ, variation selectors) are dropped.
// - Apostrophes (’ ʼ ＇) become the ASCII '.
// - Diacritics are stripped when asked (`strip_marks`): the analyzer asks for Latin and Greek
//   tokens only, so "café" matches "cafe" and "καλημέρα" matches "καλημερα", while scripts
//   whose marks are letters in their own right (Devanagari vowel signs) or distinguish
//   letters (Cyrillic й/и) keep them.
// ASCII input takes a fast path with no Unicode tables and no allocation beyond `out`.
//
// Thread-safety: safe to call from any number of threads (the scratch buffer is
// thread-local).
#pragma once

#include <string>
#include <string_view>

namespace loci::text {

// Writes the normalized form of `surface` into `*out` (replacing its content; its capacity is
// reused). REQUIRES: surface is well-formed UTF-8 (tokens from the Tokenizer are).
// An input that utf8proc rejects leaves `*out` empty.
void Normalize(std::string_view surface, bool strip_marks, std::string* out);

// The same for text known to be ASCII: lower-cases into `*out`.
void NormalizeAscii(std::string_view surface, std::string* out);

}  // namespace loci::text
