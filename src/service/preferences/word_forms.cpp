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
    char c = written[i];
    if ((c == '\xe2' && written.substr(i, 3) == "\u2019"sv) ||
        (c == '\xca' && written.substr(i, 2) == "\u02bc"sv)) {
      out += '\'';
      i += c == '\xe2' ? 2 : 1;
      continue;
    }
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// Appends "i'm" as {"i", "am"}, "don't" as {"do", "not"}, "name's" as {"name", "is"};
// possessives ("sister's") and other words whole.
void Expand(std::string word, std::vector<std::string>& out) {
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
  auto two = [&](std::string_view first, std::string_view second) {
    out.emplace_back(first);
    out.emplace_back(second);
  };
  const std::string_view view = word;  // compared by length first, unlike std::string
  for (const auto& [chat, full] : kChat) {
    if (view != chat) continue;
    std::size_t space = full.find(' ');
    if (space == std::string_view::npos) {
      out.emplace_back(full);
    } else {
      two(full.substr(0, space), full.substr(space + 1));
    }
    return;
  }
  if (view == "cannot" || view == "can't") return two("can", "not");
  if (view == "won't") return two("will", "not");
  for (const auto& [suffix, full] : kSuffixes) {
    if (view.size() > suffix.size() && view.ends_with(suffix)) {
      return two(view.substr(0, view.size() - suffix.size()), full);
    }
  }
  if (view.ends_with("'s")) {
    std::string_view base = view.substr(0, view.size() - 2);
    for (std::string_view subject : {"it", "that", "what", "he", "she", "name", "there", "here"}) {
      if (base == subject) return two(base, "is");
    }
    if (base == "let") return two("let", "us");
  }
  out.push_back(std::move(word));
}

}  // namespace

void AppendWordForms(std::string_view written, std::vector<std::string>& out) {
  Expand(Lower(written), out);
}

}  // namespace loci::service::preferences
