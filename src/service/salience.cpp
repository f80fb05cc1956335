#include "service/salience.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "text/stop_words.h"
#include "text/tokenizer.h"

namespace loci::service {
namespace {

// What a word is to salience, looked up by its lower-case form. A calendar name counts only
// when capitalized as written: "May" is a month, "may" is not.
enum WordClass : std::uint8_t {
  kCalendarName = 1 << 0,
  kRelativeDay = 1 << 1,
  kNumberWord = 1 << 2,
  kDecisionWord = 1 << 3,
  kFillerWord = 1 << 4,
};

constexpr std::array<std::string_view, 31> kCalendarNames = {
    "january",   "february", "march",     "april",    "may",    "june",     "july",  "august",
    "september", "october",  "november",  "december", "jan",    "feb",      "mar",   "apr",
    "jun",       "jul",      "aug",       "sep",      "sept",   "oct",      "nov",   "dec",
    "monday",    "tuesday",  "wednesday", "thursday", "friday", "saturday", "sunday"};

constexpr std::array<std::string_view, 9> kRelativeDays = {
    "yesterday", "today", "tomorrow", "tonight", "weekend", "morning", "evening", "ago", "last"};

constexpr std::array<std::string_view, 21> kNumberWords = {
    "one",   "two",     "three",    "four",    "five",   "six",    "seven",
    "eight", "nine",    "ten",      "eleven",  "twelve", "twenty", "thirty",
    "fifty", "hundred", "thousand", "million", "dozen",  "half",   "twice"};

constexpr std::array<std::string_view, 24> kDecisionWords = {
    "decided", "decide",  "will",    "going",   "plan",     "planning", "agreed",    "agree",
    "chose",   "choose",  "promise", "booked",  "signed",   "bought",   "moved",     "started",
    "quit",    "adopted", "joined",  "married", "accepted", "finished", "graduated", "won"};

constexpr std::array<std::string_view, 22> kFillerWords = {
    "hi",    "hey",  "hello", "thanks", "thank", "you", "ok",   "okay", "yes",     "no",   "sure",
    "great", "cool", "wow",   "lol",    "nice",  "bye", "good", "see",  "awesome", "haha", "yeah"};

// Summaries are folded from every stored turn: one hash lookup per word, not a scan per list.
const std::unordered_map<std::string_view, std::uint8_t>& WordClasses() {
  static const auto* const classes = [] {
    auto* map = new std::unordered_map<std::string_view, std::uint8_t>();
    auto add = [&](const auto& words, WordClass word_class) {
      for (std::string_view word : words) (*map)[word] |= word_class;
    };
    add(kCalendarNames, kCalendarName);
    add(kRelativeDays, kRelativeDay);
    add(kNumberWords, kNumberWord);
    add(kDecisionWords, kDecisionWord);
    add(kFillerWords, kFillerWord);
    return map;
  }();
  return *classes;
}

std::uint8_t ClassOf(std::string_view lower) {
  const auto& classes = WordClasses();
  const auto found = classes.find(lower);
  return found == classes.end() ? 0 : found->second;
}

// ASCII only, as the "C" locale's tolower.
void LowerInto(std::string_view word, std::string& lower) {
  lower.assign(word);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

// Written with a capital first letter and the rest as `lower` has it: "May", not "MAY".
bool IsCapitalized(std::string_view word, std::string_view lower) {
  return !word.empty() && word[0] >= 'A' && word[0] <= 'Z' && word.substr(1) == lower.substr(1);
}

// "I" and its contractions are capitalized without being names.
bool IsFirstPerson(std::string_view word) {
  return word == "I" ||
         (word.size() > 2 && word[0] == 'I' && (word[1] == '\'' || word[1] == '\xE2'));
}

// IsStopWord's form of a word: a possessive or contracted "'s" off ("that's" -> "that").
std::string_view WithoutPossessive(std::string_view lower) {
  if (lower.empty() || lower.back() != 's') return lower;  // as most words
  for (std::string_view suffix : {std::string_view("'s"), std::string_view("\xE2\x80\x99s")}) {
    if (lower.size() > suffix.size() && lower.ends_with(suffix)) {
      return lower.substr(0, lower.size() - suffix.size());
    }
  }
  return lower;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsYear(std::string_view token) {
  return token.size() == 4 && std::all_of(token.begin(), token.end(), IsDigit) &&
         (token.starts_with("19") || token.starts_with("20"));
}

bool HasDigit(std::string_view token) { return std::any_of(token.begin(), token.end(), IsDigit); }

// One word of a sentence, as the scan below hands it out.
struct Word {
  std::string_view text;   // as written
  std::string_view lower;  // lower-cased (ASCII)
  std::uint8_t classes = 0;
  std::optional<FactKind> fact;
};

// Calls `visit(const Word&)` for each word of `sentence`, in order: one tokenization and one
// lookup per word serve both FindFacts and Salience.
template <typename Visit>
void ScanWords(std::string_view sentence, Visit visit) {
  std::string lower;
  bool first = true;
  text::Tokenizer tokenizer(sentence);  // a cursor: no vector of the tokens
  text::RawToken token;
  while (tokenizer.Next(&token)) {
    Word word;
    word.text = sentence.substr(token.begin, token.end - token.begin);
    LowerInto(word.text, lower);
    word.lower = lower;
    word.classes = ClassOf(lower);
    const bool at_start = first;
    first = false;
    if (token.kind != text::TokenKind::kUrl && token.kind != text::TokenKind::kEmail) {
      if (IsYear(word.text) ||
          ((word.classes & kCalendarName) != 0 && IsCapitalized(word.text, lower))) {
        word.fact = FactKind::kDate;
      } else if ((word.classes & kRelativeDay) != 0) {
        word.fact = FactKind::kDate;
      } else if ((word.classes & kNumberWord) != 0 || HasDigit(word.text)) {
        word.fact = FactKind::kNumber;
      } else if (!at_start && token.ascii && word.text[0] >= 'A' && word.text[0] <= 'Z' &&
                 !IsFirstPerson(word.text)) {
        word.fact = FactKind::kName;
      }
    }
    visit(word);
  }
}

}  // namespace

std::vector<Fact> FindFacts(std::string_view sentence) {
  std::vector<Fact> facts;
  ScanWords(sentence, [&](const Word& word) {
    if (word.fact) facts.push_back({*word.fact, std::string(word.text)});
  });
  return facts;
}

double Salience(std::string_view sentence) {
  int words = 0;
  int content_words = 0;
  int substantive = 0;  // content words that are not fillers either
  bool decision = false;
  std::array<int, 3> facts{};  // by FactKind
  ScanWords(sentence, [&](const Word& word) {
    ++words;
    const bool content = !text::IsStopWord(WithoutPossessive(word.lower));
    if (content) ++content_words;
    if (content && (word.classes & kFillerWord) == 0) ++substantive;
    if ((word.classes & kDecisionWord) != 0) decision = true;
    if (word.fact) ++facts[static_cast<std::size_t>(*word.fact)];
  });
  if (substantive == 0) return 0;  // greetings, thanks, acknowledgements
  const int names = facts[static_cast<std::size_t>(FactKind::kName)];
  const int numbers = facts[static_cast<std::size_t>(FactKind::kNumber)];
  const int dates = facts[static_cast<std::size_t>(FactKind::kDate)];
  double score = 1.0 + 0.05 * std::min(content_words, 20);
  score += 1.5 * std::min(names, 3) + 1.5 * std::min(numbers, 3) + 2.0 * std::min(dates, 2);
  if (decision) score += 1.0;
  if (words < 4) score -= 0.75;
  if (words > 40) score -= 0.5;
  if (sentence.find('?') != std::string_view::npos) score -= 1.0;
  return std::max(score, 0.05);
}

}  // namespace loci::service
