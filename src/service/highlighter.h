// Highlighter: cuts short snippets of a message around the words that matched a query and
// marks them with <mark>…</mark>. Snippet text is HTML-escaped, so a client can render a
// highlight as HTML safely. Thread-safety: immutable after construction; shareable.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "text/analyzer.h"

namespace loci::service {

class Highlighter {
 public:
  // REQUIRES: `analyzer` outlives the Highlighter.
  explicit Highlighter(const text::Analyzer& analyzer) : analyzer_(analyzer) {}

  // Up to `max_snippets` snippets of `content`, each around one or more tokens whose term is
  // in `query_terms`. Without any match, one snippet of the beginning, unmarked.
  std::vector<std::string> Highlight(std::string_view content,
                                     const std::unordered_set<std::string>& query_terms,
                                     int max_snippets = 3) const;

 private:
  const text::Analyzer& analyzer_;
};

}  // namespace loci::service
