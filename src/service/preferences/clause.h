// Clause: a piece of one sentence of a user turn, as the preference rules read it: its words
// lower-cased with contractions expanded ("I'm" → "i", "am"), each keeping its byte range in
// the sentence so that values are cut from what the user wrote, and who the clause is about.
//
// AnalyzeSentence decides first whether a sentence may state a preference at all: questions
// (other than requests such as "can you reply in German?"), hypotheticals ("if I were vegan")
// and quotations (quoted words are dropped) state none.
// Thread-safety: pure functions over immutable data.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace loci::service::preferences {

// Whether two words are the same. The rules compare every word of a turn with many phrases:
// looking at the first and last letters before the rest keeps most comparisons to a byte or
// two, and settles words of one or two letters without comparing the rest.
inline bool SameWord(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  if (a.front() != b.front() || a.back() != b.back()) return false;
  return a.size() <= 2 || a == b;
}

// Whether `word` is one of `words`.
inline bool In(std::string_view word, std::initializer_list<std::string_view> words) {
  for (std::string_view option : words) {
    if (SameWord(word, option)) return true;
  }
  return false;
}

struct Word {
  std::string lower;        // lower-cased, apostrophes as '
  std::uint32_t begin = 0;  // byte range in the sentence
  std::uint32_t end = 0;
  bool capitalized = false;  // the written word starts with an upper-case ASCII letter
  bool comma_after = false;  // a comma (or other clause-internal mark) follows it
};

// The words of a clause as a set of hashes, so that a phrase with a word the clause does not
// hold is ruled out at once: the rules look for many phrases in every clause, and most are not
// there. The default filter rules nothing out.
class WordFilter {
 public:
  static WordFilter Of(const std::vector<Word>& words);
  static WordFilter Of(std::initializer_list<std::string_view> words);
  // False only when `word` is none of the words.
  bool MayHold(std::string_view word) const {
    const unsigned bit = Bit(word);
    return ((bits_[bit / 64] >> (bit % 64)) & 1) != 0;
  }

 private:
  static unsigned Bit(std::string_view word) {
    if (word.empty()) return 0;
    const auto byte = [&](std::size_t i) {
      return static_cast<std::uint32_t>(static_cast<unsigned char>(word[i]));
    };
    const std::uint32_t hash = static_cast<std::uint32_t>(word.size()) * 0x9E3779B1u ^
                               byte(0) * 0x85EBCA6Bu ^ byte(word.size() - 1) * 0xC2B2AE35u ^
                               byte(word.size() / 2) * 0x27D4EB2Fu;
    return hash >> 24;  // one of 256 bits
  }

  void Add(std::string_view word) {
    const unsigned bit = Bit(word);
    bits_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }

  std::array<std::uint64_t, 4> bits_ = {~0ULL, ~0ULL, ~0ULL, ~0ULL};
};

// A list of words that a rule looks for at every word of a clause, with the filter of its
// words: most words are ruled out without a comparison.
class WordSet {
 public:
  explicit WordSet(std::initializer_list<std::string_view> words)
      : words_(words), filter_(WordFilter::Of(words)) {}

  bool Holds(std::string_view word) const {
    if (!filter_.MayHold(word)) return false;
    for (std::string_view option : words_) {
      if (SameWord(word, option)) return true;
    }
    return false;
  }

 private:
  std::vector<std::string_view> words_;
  WordFilter filter_;
};

inline bool In(std::string_view word, const WordSet& words) { return words.Holds(word); }

// Whom a clause is about.
enum class Subject {
  kSelf,       // "I …", "my name …", "we …"
  kAddressee,  // an instruction to the assistant: "please …", "can you …", "call me …"
  kOther,      // "my sister …", "he …", "Jenny …"
  kUnknown,    // "Coffee is my favorite drink."
};

struct Clause {
  std::string_view sentence;  // the whole sentence the words point into
  std::vector<Word> words;
  Subject subject = Subject::kUnknown;
  bool request = false;  // the sentence is a question that asks the assistant to do something
  // The words of the clause before this one in the same sentence ("Shellfish makes me swell
  // up" before "I'm allergic"), empty for the first; byte ranges point into `sentence` too.
  std::vector<Word> before;
  WordFilter filter;  // of `words`; AnalyzeSentence fills it in

  std::size_t size() const { return words.size(); }
  const std::string& at(std::size_t i) const { return words[i].lower; }
  bool Is(std::size_t i, std::string_view word) const {
    return i < size() && SameWord(at(i), word);
  }
  bool IsAny(std::size_t i, std::initializer_list<std::string_view> words) const;
  bool IsAny(std::size_t i, const WordSet& words) const { return i < size() && words.Holds(at(i)); }
  // The index of the first match of `phrase` at or after `from`, or npos. Inline, so that the
  // filter's hashes of a phrase written in the code are worked out when compiling.
  std::size_t Find(std::initializer_list<std::string_view> phrase, std::size_t from = 0) const {
    for (std::string_view word : phrase) {
      if (!filter.MayHold(word)) return npos;
    }
    return Scan(phrase, from);
  }
  bool Has(std::initializer_list<std::string_view> phrase) const { return Find(phrase) != npos; }
  // The text the user wrote from word `first` to word `last` inclusive.
  std::string_view Span(std::size_t first, std::size_t last) const;

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  std::size_t Scan(std::initializer_list<std::string_view> phrase, std::size_t from) const;
};

// The clauses of `sentence` that may state a preference: none for a question, a hypothetical
// or a sentence that holds nothing but quoted words. Clauses are cut at ";", ":", "but" and
// quotations.
std::vector<Clause> AnalyzeSentence(std::string_view sentence);

}  // namespace loci::service::preferences
