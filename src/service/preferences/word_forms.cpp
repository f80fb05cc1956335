#include "service/preferences/word_forms.h"

#include <array>
#include <utility>

namespace loci::service::preferences {
namespace {

using namespace std::string_view_literals;

// Lower-cases ASCII and writes every apostrophe form as '.
std::string Lower(std::string_view written) {
  std::string out;
  out.reserve(written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    if (written.substr(i, 3) == "\u2019"sv || written.substr(i, 2) == "\u02bc"sv) {
      out += '\'';
      i += written[i] == '\xe2' ? 2 : 1;
      continue;
    }
    char c = written[i];
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// "i'm" → {"i", "am"}, "don't" → {"do", "not"}, "name's" → {"name", "is"}; possessives
// ("sister's") and other words stay whole.
std::vector<std::string> Expand(const std::string& word) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kSuffixes = {
      {{"'m", "am"},
       {"'re", "are"},
       {"'ve", "have"},
       {"'ll", "will"},
       {"'d", "would"},
       {"n't", "not"}}};
  // Chat spellings without the apostrophe or shortened: "im", "dont", "u", "pls".
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kChat = {
      {{"im", "i am"},
       {"ive", "i have"},
       {"dont", "do not"},
       {"doesnt", "does not"},
       {"didnt", "did not"},
       {"isnt", "is not"},
       {"cant", "can not"},
       {"u", "you"},
       {"ur", "your"},
       {"pls", "please"},
       {"plz", "please"}}};
  for (const auto& [chat, full] : kChat) {
    if (word != chat) continue;
    std::size_t space = full.find(' ');
    if (space == std::string_view::npos) return {std::string(full)};
    return {std::string(full.substr(0, space)), std::string(full.substr(space + 1))};
  }
  if (word == "cannot") return {"can", "not"};
  if (word == "can't") return {"can", "not"};
  if (word == "won't") return {"will", "not"};
  for (const auto& [suffix, full] : kSuffixes) {
    if (word.size() > suffix.size() && word.ends_with(suffix)) {
      return {word.substr(0, word.size() - suffix.size()), std::string(full)};
    }
  }
  if (word.ends_with("'s")) {
    std::string base = word.substr(0, word.size() - 2);
    for (std::string_view subject : {"it", "that", "what", "he", "she", "name", "there", "here"}) {
      if (base == subject) return {base, "is"};
    }
    if (base == "let") return {"let", "us"};
  }
  return {word};
}

}  // namespace

std::vector<std::string> WordForms(std::string_view written) { return Expand(Lower(written)); }

}  // namespace loci::service::preferences
