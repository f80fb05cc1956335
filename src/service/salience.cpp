#include "service/salience.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "text/stop_words.h"
#include "text/tokenizer.h"

namespace loci::service {
namespace {

template <std::size_t N>
bool Among(const std::array<std::string_view, N>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Capitalized as written: "May" is a month, "may" is not.
constexpr std::array<std::string_view, 31> kCalendarNames = {
    "January",   "February", "March",     "April",    "May",    "June",     "July",  "August",
    "September", "October",  "November",  "December", "Jan",    "Feb",      "Mar",   "Apr",
    "Jun",       "Jul",      "Aug",       "Sep",      "Sept",   "Oct",      "Nov",   "Dec",
    "Monday",    "Tuesday",  "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// Lower case.
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

// "I" and its contractions are capitalized without being names.
bool IsFirstPerson(std::string_view word) {
  return word == "I" ||
         (word.size() > 2 && word[0] == 'I' && (word[1] == '\'' || word[1] == '\xE2'));
}

std::string Lower(std::string_view word) {
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// IsStopWord's form of a word: a possessive or contracted "'s" off ("that's" -> "that").
std::string_view WithoutPossessive(std::string_view lower) {
  for (std::string_view suffix : {std::string_view("'s"), std::string_view("\xE2\x80\x99s")}) {
    if (lower.size() > suffix.size() && lower.ends_with(suffix)) {
      return lower.substr(0, lower.size() - suffix.size());
    }
  }
  return lower;
}

bool IsYear(std::string_view token) {
  if (token.size() != 4 || !std::all_of(token.begin(), token.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    return false;
  }
  return token.substr(0, 2) == "19" || token.substr(0, 2) == "20";
}

bool HasDigit(std::string_view token) {
  return std::any_of(token.begin(), token.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

std::vector<Fact> FindFacts(std::string_view sentence) {
  std::vector<Fact> facts;
  bool first = true;
  for (const text::RawToken& token : text::Tokenize(sentence)) {
    const std::string_view word = sentence.substr(token.begin, token.end - token.begin);
    const bool at_start = first;
    first = false;
    if (token.kind == text::TokenKind::kUrl || token.kind == text::TokenKind::kEmail) continue;
    if (IsYear(word) || Among(kCalendarNames, word)) {
      facts.push_back({FactKind::kDate, std::string(word)});
    } else if (Among(kRelativeDays, Lower(word))) {
      facts.push_back({FactKind::kDate, std::string(word)});
    } else if (HasDigit(word) || Among(kNumberWords, Lower(word))) {
      facts.push_back({FactKind::kNumber, std::string(word)});
    } else if (!at_start && token.ascii && std::isupper(static_cast<unsigned char>(word[0])) &&
               !IsFirstPerson(word)) {
      facts.push_back({FactKind::kName, std::string(word)});
    }
  }
  return facts;
}

double Salience(std::string_view sentence) {
  int words = 0;
  int content_words = 0;
  int substantive = 0;  // content words that are not fillers either
  bool decision = false;
  for (const text::RawToken& token : text::Tokenize(sentence)) {
    const std::string lower = Lower(sentence.substr(token.begin, token.end - token.begin));
    ++words;
    const bool content = !text::IsStopWord(WithoutPossessive(lower));
    if (content) ++content_words;
    if (content && !Among(kFillerWords, lower)) ++substantive;
    if (Among(kDecisionWords, lower)) decision = true;
  }
  if (substantive == 0) return 0;  // greetings, thanks, acknowledgements
  int names = 0;
  int numbers = 0;
  int dates = 0;
  for (const Fact& fact : FindFacts(sentence)) {
    switch (fact.kind) {
      case FactKind::kName:
        ++names;
        break;
      case FactKind::kNumber:
        ++numbers;
        break;
      case FactKind::kDate:
        ++dates;
        break;
    }
  }
  double score = 1.0 + 0.05 * std::min(content_words, 20);
  score += 1.5 * std::min(names, 3) + 1.5 * std::min(numbers, 3) + 2.0 * std::min(dates, 2);
  if (decision) score += 1.0;
  if (words < 4) score -= 0.75;
  if (words > 40) score -= 0.5;
  if (sentence.find('?') != std::string_view::npos) score -= 1.0;
  return std::max(score, 0.05);
}

}  // namespace loci::service
