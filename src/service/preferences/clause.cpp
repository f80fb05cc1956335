#include "service/preferences/clause.h"

#include <algorithm>
#include <array>
#include <utility>

#include "service/preferences/word_forms.h"
#include "text/tokenizer.h"

namespace loci::service::preferences {

namespace {

using namespace std::string_view_literals;

bool IsQuote(std::string_view sentence, std::size_t i, std::size_t* length) {
  // Every quotation mark below starts with one of these bytes.
  const char c = sentence[i];
  if (c != '"' && c != '\'' && c != '\xe2' && c != '\xc2') return false;
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

// Verbs that introduce reported words: what follows "He wrote:" is not the user's.
const std::initializer_list<std::string_view> kSpeechVerbs = {
    "said", "says",  "say",  "wrote", "writes", "texted", "tweeted", "told",  "asked",   "replied",
    "read", "reads", "goes", "went",  "sings",  "sang",   "posted",  "added", "answered"};

// Words that begin a clause with a subject of its own.
const std::initializer_list<std::string_view> kSubjectStarts = {
    "i", "my", "we", "he", "she", "they", "his", "her", "our", "their", "you"};
// Words that may join two clauses: "I'm vegan and my partner isn't", "so I live in York".
const WordSet kJoiners({"and", "so", "because", "while", "whereas", "although", "though", "plus",
                        "since"});
const std::initializer_list<std::string_view> kSentenceAdverbs = {
    "now", "also", "honestly", "then", "currently", "actually", "basically", "really", "just"};

// True when a new clause with its own subject starts at words[i]: after a joiner or a comma,
// the subject (perhaps after a sentence adverb: "and now I live in Denver").
bool NewSubjectAt(const std::vector<Word>& words, std::size_t i) {
  if (i == 0 || i >= words.size()) return false;
  std::size_t s = i;
  bool joined = In(words[i].lower, kJoiners);
  // ", so keep your answers short": a comma and "so" or "because" start a clause of its own.
  if (joined && words[i - 1].comma_after && In(words[i].lower, {"so", "because"})) return true;
  if (joined) ++s;
  if (!joined && !words[i - 1].comma_after) return false;
  if (s < words.size() && In(words[s].lower, kSentenceAdverbs)) ++s;
  return s < words.size() && In(words[s].lower, kSubjectStarts);
}

// Cuts pieces where a clause with a new subject starts: "My brother lives in Leeds and I live
// in York" is two clauses, the first about the brother, the second about the user.
std::vector<Piece> SplitAtNewSubjects(std::vector<Piece> pieces) {
  std::vector<Piece> out;
  for (Piece& piece : pieces) {
    out.emplace_back().words.reserve(piece.words.size());
    for (std::size_t i = 0; i < piece.words.size(); ++i) {
      if (NewSubjectAt(piece.words, i) && !out.back().words.empty()) {
        out.emplace_back().words.reserve(piece.words.size() - i);
        if (In(piece.words[i].lower, kJoiners)) continue;
      }
      out.back().words.push_back(std::move(piece.words[i]));
    }
  }
  return out;
}

std::vector<Piece> Pieces(std::string_view sentence) {
  std::vector<Piece> pieces(1);
  bool quoted = false;
  bool reported = false;  // after "He said:": the rest of the sentence is someone else's
  std::size_t pos = 0;
  auto scan_gap = [&](std::size_t until) {
    for (; pos < until; ++pos) {
      char c = sentence[pos];
      std::size_t length = 0;
      std::vector<Word>& words = pieces.back().words;
      if (IsQuote(sentence, pos, &length)) {
        quoted = !quoted;
        pieces.emplace_back();
        pos += length - 1;
      } else if (c == ':' && !words.empty() && In(words.back().lower, kSpeechVerbs)) {
        reported = true;
      } else if (c == ':' && words.size() == 1) {
        // "Pronouns: he/him", "Background: I'm a beginner": a label, not a boundary.
      } else if (c == ';' ||
                 (c == ':' && (pos + 1 == sentence.size() || sentence[pos + 1] == ' '))) {
        pieces.emplace_back();
      } else if (c == ',' && !pieces.back().words.empty()) {
        pieces.back().words.back().comma_after = true;
      }
    }
  };
  const std::vector<text::RawToken> tokens = text::Tokenize(sentence);
  pieces.back().words.reserve(tokens.size() + 2);  // most sentences are one piece
  std::vector<std::string> forms;                  // of one written word
  for (const text::RawToken& token : tokens) {
    scan_gap(token.begin);
    pos = token.end;
    if (quoted || reported) continue;
    std::string_view written = sentence.substr(token.begin, token.end - token.begin);
    forms.clear();
    AppendWordForms(written, forms);
    for (std::string& lower : forms) {
      if (SameWord(lower, "but") && !pieces.back().words.empty()) {
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
  return SplitAtNewSubjects(std::move(pieces));
}

const WordSet kOpeners({"hi",       "hey",      "hello", "there", "ok",    "okay", "so",  "well",
                        "oh",       "actually", "also",  "btw",   "fyi",   "just", "and", "now",
                        "honestly", "anyway",   "yes",   "no",    "heads", "up"});

const std::initializer_list<std::string_view> kSelfNouns = {
    "name",     "pronouns",  "timezone", "time",       "job", "profession", "home",
    "favorite", "favourite", "diet",     "occupation", "tz",  "role"};

const std::initializer_list<std::string_view> kThirdPersons = {
    "he", "she", "they", "his", "her", "their", "our", "it", "someone", "everyone", "people"};

const WordSet kInstructions(
    {"please",   "call", "answer", "reply",   "respond",   "write",     "talk",      "speak",
     "use",      "keep", "be",     "give",    "show",      "switch",    "stop",      "feel",
     "assume",   "skip", "go",     "don't",   "do",        "address",   "refer",     "longer",
     "shorter",  "no",   "avoid",  "you",     "make",      "break",     "explain",   "let",
     "schedule", "send", "put",    "tell",    "help",      "remind",    "include",   "remember",
     "stick",    "drop", "forget", "cut",     "leave",     "walk",      "lead",      "try",
     "list",     "add",  "format", "convert", "translate", "summarize", "summarise", "your"});

std::size_t SkipOpeners(const std::vector<Word>& words) {
  std::size_t i = 0;
  while (i < words.size() && In(words[i].lower, kOpeners)) {
    // "no" opens only as an interjection ("No, …"); "no emojis" is an instruction.
    if (SameWord(words[i].lower, "no") && !words[i].comma_after) break;
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
  std::string_view first = words[i].lower;
  if (first == "i" || first == "we" || first == "as" || first == "by") return Subject::kSelf;
  if (first == "my") {
    bool own = i + 1 < words.size() && In(words[i + 1].lower, kSelfNouns);
    return own ? Subject::kSelf : Subject::kOther;
  }
  if (In(first, kThirdPersons)) return Subject::kOther;
  if (In(first, kInstructions)) return Subject::kAddressee;
  // A name followed by a verb ("Jenny works", "Tom's pronouns"); not an adjective before a
  // plural ("Numbered steps help").
  // A plural noun takes a plural verb ("Board games are my jam"); a verb does not follow one.
  bool plural_noun = i + 2 < words.size() &&
                     In(words[i + 2].lower, {"are", "were", "make", "help", "work", "drive", "give",
                                             "have", "do", "look", "seem", "get"});
  bool verb_follows = i + 1 < words.size() && words[i + 1].lower.ends_with("s") &&
                      !In(words[i + 1].lower, {"is", "was", "has", "us"}) && !plural_noun;
  bool adjective = In(first, {"the", "a", "an", "this", "that", "these", "those", "some", "all",
                              "any", "more", "most", "many", "few", "every"});
  for (std::string_view suffix : {"ed", "ing", "ly", "al", "ic", "ous", "ful", "ive", "er"}) {
    adjective = adjective || first.ends_with(suffix);
  }
  if (words[i].capitalized && ((verb_follows && !adjective) || first.ends_with("'s"))) {
    return Subject::kOther;
  }
  return Subject::kUnknown;
}

const WordSet kHypotheticals({"if", "suppose", "supposing", "imagine", "pretend", "wish",
                              "hypothetically", "someday", "considering", "maybe", "perhaps",
                              "might", "assuming", "theory", "dream", "dreaming", "whether",
                              "wondering", "unsure"});
// What one would love to do some day: "I'd love to live in Iceland", "I want to be a vet".
const std::initializer_list<std::string_view> kDreamedVerbs = {
    "be", "become", "live", "move", "try", "learn", "visit", "go", "work", "get"};

// "I'd prefer it if you …", "it would be great if …", "be honest, even if it hurts": an "if"
// that states a wish or concedes, not a supposition.
bool WishingIf(const std::vector<Word>& w, std::size_t i) {
  auto before = [&](std::size_t k) -> std::string_view {
    return i >= k ? std::string_view(w[i - k].lower) : std::string_view();
  };
  const std::initializer_list<std::string_view> kWishing = {
      "prefer", "like", "love", "appreciate", "great", "nice", "better", "helpful", "even"};
  return In(before(1), kWishing) || (before(1) == "it" && In(before(2), kWishing));
}

bool IsHypothetical(const std::vector<Piece>& pieces) {
  for (const Piece& piece : pieces) {
    const std::vector<Word>& w = piece.words;
    for (std::size_t i = 0; i < w.size(); ++i) {
      std::string_view word = w[i].lower;  // compared by length first, unlike std::string
      if (word == "if" && WishingIf(w, i)) continue;
      if (In(word, kHypotheticals)) return true;
      auto next = [&](std::size_t k) -> std::string_view {
        return i + k < w.size() ? std::string_view(w[i + k].lower) : std::string_view();
      };
      if (word == "let" && next(1) == "us" && next(2) == "say") return true;
      if (word == "thinking" && (next(1) == "about" || next(1) == "of")) return true;
      if (word == "one" && next(1) == "day") return true;
      if (word == "would" && In(next(1), {"love", "like"}) && next(2) == "to" &&
          In(next(3), kDreamedVerbs) && next(4) != "called") {
        return true;
      }
      if (In(word, {"want", "hope", "plan"}) && next(1) == "to" && In(next(2), {"be", "become"}) &&
          In(next(3), {"a", "an"})) {
        return true;
      }
      if (word == "grow" && next(1) == "up") return true;
      if (word == "not" && next(1) == "sure") return true;
      if (word == "should" && next(1) == "i") return true;
    }
  }
  return false;
}

bool EndsWithQuestionMark(std::string_view sentence) {
  std::size_t end = sentence.find_last_not_of(" \t\"'\u201d)");
  return end != std::string_view::npos && sentence[end] == '?';
}

// The clauses of a question that state something before asking: "I'm lactose intolerant and
// I want more calcium, what should I eat?" keeps "I'm lactose intolerant". The last clause
// asks; earlier ones count only when they open with the user as subject.
std::vector<Piece> StatementsBeforeQuestion(std::vector<Piece> pieces) {
  while (!pieces.empty() && pieces.back().words.empty()) pieces.pop_back();
  if (!pieces.empty()) pieces.pop_back();
  std::vector<Piece> kept;
  for (Piece& piece : pieces) {
    std::size_t i = SkipOpeners(piece.words);
    if (i < piece.words.size() && In(piece.words[i].lower, {"i", "we"})) {
      kept.push_back(std::move(piece));
    }
  }
  return kept;
}

// Chat questions often go without a question mark: "do you think im a beginner", "what's a
// good vegan restaurant". True when the sentence opens with a question word or with an
// auxiliary before its subject.
bool OpensAsQuestion(const std::vector<Piece>& pieces) {
  for (const Piece& piece : pieces) {
    if (piece.words.empty()) continue;
    std::size_t i = SkipOpeners(piece.words);
    if (i + 1 >= piece.words.size()) return false;
    const std::string& first = piece.words[i].lower;
    const std::string& second = piece.words[i + 1].lower;
    if (In(first, {"what", "why", "how", "where", "which", "who", "whose"})) return true;
    return In(first, {"do", "does", "did", "is", "are", "am", "should", "was", "were", "can",
                      "could", "would", "will"}) &&
           In(second, {"i", "you", "it", "we", "they", "he", "she", "there", "my", "vegans",
                       "vegetarians", "people", "this", "that"});
  }
  return false;
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

WordFilter WordFilter::Of(const std::vector<Word>& words) {
  WordFilter filter;
  filter.bits_ = {};
  for (const Word& word : words) filter.Add(word.lower);
  return filter;
}

WordFilter WordFilter::Of(std::initializer_list<std::string_view> words) {
  WordFilter filter;
  filter.bits_ = {};
  for (std::string_view word : words) filter.Add(word);
  return filter;
}

std::size_t Clause::Scan(std::initializer_list<std::string_view> phrase, std::size_t from) const {
  if (phrase.size() == 0 || size() < phrase.size()) return npos;
  for (std::size_t i = from; i + phrase.size() <= size(); ++i) {
    std::size_t k = 0;
    for (std::string_view word : phrase) {
      if (!SameWord(at(i + k), word)) break;
      ++k;
    }
    if (k == phrase.size()) return i;
  }
  return npos;
}

std::string_view Clause::Span(std::size_t first, std::size_t last) const {
  return sentence.substr(words[first].begin, words[last].end - words[first].begin);
}

namespace {

// Casual turns leave the subject out: "Big fan of westerns", "Not a fan of musicals", "living
// in Dublin atm", "Love a good mystery". The words a clause starts with when "I am" or "I" is
// understood.
const std::initializer_list<std::string_view> kUnderstoodIAm = {
    "big",      "huge",       "massive", "not",      "currently",  "living",  "based",
    "allergic", "originally", "crazy",   "obsessed", "passionate", "working", "retired"};
const std::initializer_list<std::string_view> kUnderstoodI = {
    "love", "hate", "adore", "enjoy", "live", "loathe", "moved", "relocated", "work"};

void SupplyUnderstoodSubject(std::vector<Word>& words) {
  std::size_t i = SkipOpeners(words);
  if (i >= words.size()) return;
  std::vector<std::string_view> supplied;
  if (In(words[i].lower, kUnderstoodIAm)) supplied = {"i", "am"};
  if (In(words[i].lower, kUnderstoodI)) supplied = {"i"};
  std::uint32_t at = words[i].begin;
  for (auto it = supplied.rbegin(); it != supplied.rend(); ++it) {
    words.insert(words.begin() + static_cast<std::ptrdiff_t>(i),
                 Word{.lower = std::string(*it), .begin = at, .end = at});
  }
}

}  // namespace

std::vector<Clause> AnalyzeSentence(std::string_view sentence) {
  std::vector<Piece> pieces = Pieces(sentence);
  bool request = false;
  if (EndsWithQuestionMark(sentence) || OpensAsQuestion(pieces)) {
    request = IsRequest(pieces);
    if (!request) pieces = StatementsBeforeQuestion(std::move(pieces));
  }
  if (IsHypothetical(pieces)) return {};
  std::vector<Clause> clauses;
  for (Piece& piece : pieces) {
    if (piece.words.empty()) continue;
    SupplyUnderstoodSubject(piece.words);
    Clause clause{.sentence = sentence, .words = std::move(piece.words), .request = request};
    clause.subject = SubjectOf(clause.words, request);
    clause.filter = WordFilter::Of(clause.words);
    if (!clauses.empty()) clause.before = clauses.back().words;
    clauses.push_back(std::move(clause));
  }
  return clauses;
}

}  // namespace loci::service::preferences
