// Stop words: the English function words (articles, pronouns, auxiliaries, common
// prepositions and conjunctions, and their contractions) that the full-text index leaves out.
// They would match almost every message and carry nothing a memory search is asked about.
// Words that do carry meaning in a conversation are kept even where classic lists drop them:
// numbers, "up"/"down"/"out"/"off"/"over"/"under", "more"/"most"/"few"/"same"/"other"/"own",
// "will" and "may" (also names and a month), "us" (also the country).
// Thread-safety: pure function over a constant table.
#pragma once

#include <string_view>

namespace loci::text {

// True when `term` is a stop word. REQUIRES: `term` is normalized (see normalizer.h: lower
// case, ASCII apostrophe) and a possessive "'s" is already removed.
bool IsStopWord(std::string_view term);

}  // namespace loci::text
