// How the preference rules read one written word: lower-cased, with contractions and chat
// spellings expanded into the words they stand for ("I'm" → "i", "am"; "dont" → "do",
// "not"; "u" → "you"). Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace loci::service::preferences {

// The words `written` stands for, lower-cased (ASCII), every apostrophe form written as '.
// One word for most input; possessives ("sister's") stay whole.
std::vector<std::string> WordForms(std::string_view written);

}  // namespace loci::service::preferences
