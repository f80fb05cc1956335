#include "service/highlighter.h"

#include <algorithm>

namespace loci::service {
namespace {

constexpr std::size_t kContextBytes = 60;  // text kept on each side of a match

void AppendEscaped(std::string* out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      case '&':
        out->append("&amp;");
        break;
      case '"':
        out->append("&quot;");
        break;
      default:
        out->push_back(c);
    }
  }
}

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Moves `pos` back to the start of a UTF-8 character, then to a preceding space when one is
// near, so snippets do not start mid-word.
std::size_t SnapStart(std::string_view text, std::size_t pos) {
  if (pos == 0) return 0;
  std::size_t space = text.rfind(' ', pos);
  if (space != std::string_view::npos && pos - space < 16) return space + 1;
  while (pos > 0 && IsContinuationByte(text[pos])) --pos;
  return pos;
}

std::size_t SnapEnd(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return text.size();
  std::size_t space = text.find(' ', pos);
  if (space != std::string_view::npos && space - pos < 16) return space;
  while (pos < text.size() && IsContinuationByte(text[pos])) ++pos;
  return pos;
}

struct Range {
  std::size_t begin;
  std::size_t end;
};

}  // namespace

std::vector<std::string> Highlighter::Highlight(std::string_view content,
                                                const std::unordered_set<std::string>& query_terms,
                                                int max_snippets) const {
  std::vector<Range> matches;
  for (const text::Token& token : analyzer_.Analyze(content)) {
    if (query_terms.count(token.term) > 0) matches.push_back({token.begin, token.end});
  }
  std::vector<std::string> snippets;
  if (matches.empty()) {
    if (content.empty()) return snippets;
    std::size_t end = SnapEnd(content, std::min(content.size(), 2 * kContextBytes));
    std::string snippet;
    AppendEscaped(&snippet, content.substr(0, end));
    if (end < content.size()) snippet.append(" …");
    snippets.push_back(std::move(snippet));
    return snippets;
  }
  // Group matches into windows; a match within an open window extends it.
  std::size_t next = 0;
  while (next < matches.size() && static_cast<int>(snippets.size()) < max_snippets) {
    std::size_t window_begin = SnapStart(
        content, matches[next].begin > kContextBytes ? matches[next].begin - kContextBytes : 0);
    std::size_t last = next;
    while (last + 1 < matches.size() &&
           matches[last + 1].begin < matches[last].end + kContextBytes) {
      ++last;
    }
    std::size_t window_end = SnapEnd(content, matches[last].end + kContextBytes);
    std::string snippet;
    if (window_begin > 0) snippet.append("… ");
    std::size_t cursor = window_begin;
    for (std::size_t i = next; i <= last; ++i) {
      AppendEscaped(&snippet, content.substr(cursor, matches[i].begin - cursor));
      snippet.append("<mark>");
      AppendEscaped(&snippet, content.substr(matches[i].begin, matches[i].end - matches[i].begin));
      snippet.append("</mark>");
      cursor = matches[i].end;
    }
    AppendEscaped(&snippet, content.substr(cursor, window_end - cursor));
    if (window_end < content.size()) snippet.append(" …");
    snippets.push_back(std::move(snippet));
    next = last + 1;
  }
  return snippets;
}

}  // namespace loci::service
