#include "service/preferences/rule_support.h"

#include <algorithm>

namespace loci::service::preferences {

const std::initializer_list<std::string_view> kValueStops = {
    "now",    "these",     "last",    "this",  "since",    "for",   "with", "and",     "because",
    "so",     "currently", "anymore", "again", "recently", "today", "next", "please",  "instead",
    "but",    "too",       "though",  "when",  "then",     "i",     "at",   "already", "yet",
    "lately", "nowadays",  "fyi",     "btw",   "lol",      "haha",  "atm",  "tbh",     "honestly"};

void Findings::Set(std::string key, std::string value, double confidence) {
  for (const Finding& item : items_) {
    if (item.key == key && !item.retract) return;  // the first statement of a key wins
  }
  items_.push_back(Finding{std::move(key), std::move(value), confidence, false});
}

void Findings::Retract(std::string key, std::string value) {
  for (const Finding& item : items_) {
    if (item.key == key && item.retract) return;
  }
  items_.push_back(Finding{std::move(key), std::move(value), kStated, true});
}

bool Findings::Any(std::string_view key_prefix) const {
  return std::any_of(items_.begin(), items_.end(),
                     [&](const Finding& item) { return item.key.starts_with(key_prefix); });
}

std::size_t ValueEnd(const Clause& clause, std::size_t first,
                     std::initializer_list<std::string_view> stops, std::size_t max_words,
                     bool keep_comma_names) {
  std::size_t last = Clause::npos;
  for (std::size_t i = first; i < clause.size() && i - first < max_words; ++i) {
    if (In(clause.at(i), stops)) break;
    last = i;
    if (clause.words[i].comma_after) {
      bool name_follows = i + 1 < clause.size() && clause.words[i + 1].capitalized;
      if (!keep_comma_names || !name_follows) break;
    }
  }
  return last;
}

void LowerAsciiInto(std::string_view text, std::string& out) {
  out.assign(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

std::string LowerAscii(std::string_view text) {
  std::string out;
  LowerAsciiInto(text, out);
  return out;
}

std::string SnakeCase(std::string_view text) {
  std::string out;
  for (char c : LowerAscii(text)) {
    bool keep =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (static_cast<unsigned char>(c) >= 0x80);
    if (keep) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

bool NearlyIs(std::string_view word, std::string_view target) {
  if (SameWord(word, target)) return true;
  if (target.size() < 7 || word.size() + 1 < target.size() || word.size() > target.size() + 1) {
    return false;
  }
  std::size_t head = 0;
  while (head < word.size() && head < target.size() && word[head] == target[head]) ++head;
  std::size_t tail = 0;
  while (tail < word.size() - head && tail < target.size() - head &&
         word[word.size() - 1 - tail] == target[target.size() - 1 - tail]) {
    ++tail;
  }
  std::size_t word_left = word.size() - head - tail;
  std::size_t target_left = target.size() - head - tail;
  if (word_left <= 1 && target_left <= 1) return true;  // one added, missing or changed
  return word_left == 2 && target_left == 2 && word[head] == target[head + 1] &&
         word[head + 1] == target[head];  // two swapped
}

bool NegatedBefore(const Clause& clause, std::size_t at, std::size_t window) {
  std::size_t begin = at > window ? at - window : 0;
  for (std::size_t i = begin; i < at; ++i) {
    if (clause.IsAny(i, {"not", "never", "no"})) return true;
  }
  return false;
}

bool SaysNoLonger(const Clause& clause) {
  return clause.Has({"no", "longer"}) || clause.Has({"anymore"}) || clause.Has({"any", "more"}) ||
         clause.Has({"used", "to"}) || clause.Has({"stopped"}) || clause.Has({"quit"}) ||
         clause.Has({"not", "any", "longer"}) || clause.Has({"after", "all"});
}

}  // namespace loci::service::preferences
