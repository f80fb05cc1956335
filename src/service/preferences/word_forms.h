// How the preference rules read one written word: lower-cased, with contractions and chat
// spellings expanded into the words they stand for ("I'm" → "i", "am"; "dont" → "do",
// "not"; "u" → "you"). Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace loci::service::preferences {

// Appends to `out` the words `written` stands for, lower-cased (ASCII), every apostrophe form
// written as '. One word for most input, never more than two; possessives ("sister's") stay
// whole. Appending into a vector the caller keeps spares an allocation for every word.
void AppendWordForms(std::string_view written, std::vector<std::string>& out);

}  // namespace loci::service::preferences
