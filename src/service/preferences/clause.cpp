#include "service/preferences/clause.h"

#include <algorithm>
#include <array>
#include <utility>

#include "text/tokenizer.h"

namespace loci::service::preferences {
namespace {

using namespace std::string_view_literals;

bool In(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

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
    if (In(base, {"it", "that", "what", "he", "she", "name", "there", "here"})) return {base, "is"};
    if (base == "let") return {"let", "us"};
  }
  return {word};
}

bool IsQuote(std::string_view sentence, std::size_t i, std::size_t* length) {
  for (std::string_view quote :
       {"\""sv, "\u201c"sv, "\u201d"sv, "\u00ab"sv, "\u00bb"sv, "\u2018"sv, "\u2019"sv, "'"sv}) {
    if (sentence.substr(i, quote.size()) == quote) {
      *length = quote.size();
      return true;
    }
  }
  return false;
}

// One word run between two clause boundaries, quoted words left out.
struct Piece {
  std::vector<Word> words;
};

std::vector<Piece> Pieces(std::string_view sentence) {
  std::vector<Piece> pieces(1);
  bool quoted = false;
  std::size_t pos = 0;
  auto scan_gap = [&](std::size_t until) {
    for (; pos < until; ++pos) {
      char c = sentence[pos];
      std::size_t length = 0;
      if (IsQuote(sentence, pos, &length)) {
        quoted = !quoted;
        pieces.emplace_back();
        pos += length - 1;
      } else if (c == ';' ||
                 (c == ':' && (pos + 1 == sentence.size() || sentence[pos + 1] == ' '))) {
        pieces.emplace_back();
      } else if (c == ',' && !pieces.back().words.empty()) {
        pieces.back().words.back().comma_after = true;
      }
    }
  };
  for (const text::RawToken& token : text::Tokenize(sentence)) {
    scan_gap(token.begin);
    pos = token.end;
    if (quoted) continue;
    std::string_view written = sentence.substr(token.begin, token.end - token.begin);
    for (std::string& lower : Expand(Lower(written))) {
      if (lower == "but" && !pieces.back().words.empty()) {
        pieces.emplace_back();
        continue;
      }
      pieces.back().words.push_back(Word{.lower = std::move(lower),
                                         .begin = token.begin,
                                         .end = token.end,
                                         .capitalized = written[0] >= 'A' && written[0] <= 'Z'});
    }
  }
  scan_gap(sentence.size());
  return pieces;
}

const std::initializer_list<std::string_view> kOpeners = {
    "hi",  "hey", "hello", "there", "ok",  "okay",     "so",     "well", "oh", "actually", "also",
    "btw", "fyi", "just",  "and",   "now", "honestly", "anyway", "yes",  "no", "heads",    "up"};

const std::initializer_list<std::string_view> kSelfNouns = {
    "name", "pronouns", "timezone",  "time", "job",       "profession",
    "home", "favorite", "favourite", "diet", "occupation"};

const std::initializer_list<std::string_view> kThirdPersons = {
    "he", "she", "they", "his", "her", "their", "our", "it", "someone", "everyone", "people"};

const std::initializer_list<std::string_view> kInstructions = {
    "please",  "call", "answer", "reply", "respond", "write",   "talk",   "speak",
    "use",     "keep", "be",     "give",  "show",    "switch",  "stop",   "feel",
    "assume",  "skip", "go",     "don't", "do",      "address", "refer",  "longer",
    "shorter", "no",   "avoid",  "you",   "make",    "break",   "explain"};

std::size_t SkipOpeners(const std::vector<Word>& words) {
  std::size_t i = 0;
  while (i < words.size() && In(words[i].lower, kOpeners)) {
    // "no" opens only as an interjection ("No, …"); "no emojis" is an instruction.
    if (words[i].lower == "no" && !words[i].comma_after) break;
    ++i;
  }
  if (i + 2 < words.size() && words[i].lower == "by" && words[i + 1].lower == "the" &&
      words[i + 2].lower == "way") {
    i += 3;
  }
  return i;
}

Subject SubjectOf(const std::vector<Word>& words, bool request) {
  std::size_t i = SkipOpeners(words);
  if (request) return Subject::kAddressee;
  if (i >= words.size()) return Subject::kUnknown;
  const std::string& first = words[i].lower;
  if (first == "i" || first == "we" || first == "as" || first == "by") return Subject::kSelf;
  if (first == "my") {
    bool own = i + 1 < words.size() && In(words[i + 1].lower, kSelfNouns);
    return own ? Subject::kSelf : Subject::kOther;
  }
  if (In(first, kThirdPersons)) return Subject::kOther;
  if (In(first, kInstructions)) return Subject::kAddressee;
  // A name followed by a verb ("Jenny works", "Tom's pronouns").
  bool verb_follows = i + 1 < words.size() && words[i + 1].lower.ends_with("s") &&
                      !In(words[i + 1].lower, {"is", "was", "has"});
  if (words[i].capitalized && (verb_follows || first.ends_with("'s"))) {
    return Subject::kOther;
  }
  return Subject::kUnknown;
}

const std::initializer_list<std::string_view> kHypotheticals = {
    "if",      "suppose",     "supposing", "imagine", "pretend", "wish", "hypothetically",
    "someday", "considering", "maybe",     "perhaps"};

bool IsHypothetical(const std::vector<Piece>& pieces) {
  for (const Piece& piece : pieces) {
    const std::vector<Word>& w = piece.words;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (In(w[i].lower, kHypotheticals)) return true;
      auto next = [&](std::size_t k) -> std::string_view {
        return i + k < w.size() ? std::string_view(w[i + k].lower) : std::string_view();
      };
      if (w[i].lower == "let" && next(1) == "us" && next(2) == "say") return true;
      if (w[i].lower == "thinking" && (next(1) == "about" || next(1) == "of")) return true;
      if (w[i].lower == "one" && next(1) == "day") return true;
      if (w[i].lower == "would" && (next(1) == "love" || next(1) == "like") && next(2) == "to" &&
          (next(3) == "be" || next(3) == "become")) {
        return true;
      }
      if (w[i].lower == "should" && next(1) == "i") return true;
    }
  }
  return false;
}

bool EndsWithQuestionMark(std::string_view sentence) {
  std::size_t end = sentence.find_last_not_of(" \t\"'\u201d)");
  return end != std::string_view::npos && sentence[end] == '?';
}

// "Can you reply in German?", "Could you always …": a question that asks for something.
bool IsRequest(const std::vector<Piece>& pieces) {
  for (const Piece& piece : pieces) {
    std::size_t i = SkipOpeners(piece.words);
    if (i < piece.words.size() && piece.words[i].lower == "please") ++i;
    if (i + 1 < piece.words.size() && In(piece.words[i].lower, {"can", "could", "would", "will"}) &&
        piece.words[i + 1].lower == "you") {
      return true;
    }
    if (!piece.words.empty()) return false;
  }
  return false;
}

}  // namespace

bool Clause::IsAny(std::size_t i, std::initializer_list<std::string_view> options) const {
  return i < size() && In(at(i), options);
}

std::size_t Clause::Find(std::initializer_list<std::string_view> phrase, std::size_t from) const {
  if (phrase.size() == 0 || size() < phrase.size()) return npos;
  for (std::size_t i = from; i + phrase.size() <= size(); ++i) {
    std::size_t k = 0;
    for (std::string_view word : phrase) {
      if (at(i + k) != word) break;
      ++k;
    }
    if (k == phrase.size()) return i;
  }
  return npos;
}

std::string_view Clause::Span(std::size_t first, std::size_t last) const {
  return sentence.substr(words[first].begin, words[last].end - words[first].begin);
}

std::vector<Clause> AnalyzeSentence(std::string_view sentence) {
  std::vector<Piece> pieces = Pieces(sentence);
  bool request = false;
  if (EndsWithQuestionMark(sentence)) {
    request = IsRequest(pieces);
    if (!request) return {};
  }
  if (IsHypothetical(pieces)) return {};
  std::vector<Clause> clauses;
  for (Piece& piece : pieces) {
    if (piece.words.empty()) continue;
    Clause clause{.sentence = sentence, .words = std::move(piece.words), .request = request};
    clause.subject = SubjectOf(clause.words, request);
    clauses.push_back(std::move(clause));
  }
  return clauses;
}

}  // namespace loci::service::preferences
