#include "text/sentences.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string>

#include "text/unicode.h"

namespace loci::text {
namespace {

// Lower-cased, without their final full stop. Abbreviations that often end a sentence
// ("etc.", "Inc.", "p.m.") or are also words ("no.", "fig.") are left out: the lower-case rule
// handles their middle-of-sentence uses.
constexpr std::array<std::string_view, 44> kAbbreviations = {
    "al",   "approx", "apr", "aug", "ave", "capt", "cf",   "col", "dec", "dept", "dr",
    "e.g",  "eg",     "esp", "est", "feb", "ft",   "gen",  "gov", "hon", "i.e",  "ie",
    "jan",  "jr",     "jul", "jun", "lt",  "mr",   "mrs",  "ms",  "mt",  "nov",  "oct",
    "ph.d", "prof",   "rep", "rev", "sen", "sep",  "sept", "sgt", "sr",  "st",   "vs",
};

bool IsAbbreviation(std::string_view word) {
  return std::find(kAbbreviations.begin(), kAbbreviations.end(), word) != kAbbreviations.end();
}

bool IsLineBreak(char32_t cp) {
  return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 ||
         cp == 0x2029;
}

// Terminators that end a sentence even when no space follows (CJK text has none).
bool IsIdeographicTerminator(char32_t cp) {
  return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF61;
}

bool IsTerminator(char32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x203C ||
         (cp >= 0x2047 && cp <= 0x2049) || cp == 0x061F || cp == 0x06D4 || cp == 0x0964 ||
         cp == 0x0965 || IsIdeographicTerminator(cp);
}

// Quotes and brackets that may close a sentence after its terminator.
bool IsCloser(char32_t cp) {
  switch (cp) {
    case '"':
    case '\'':
    case ')':
    case ']':
    case '}':
    case 0x2019:
    case 0x201D:
    case 0x00BB:
    case 0x203A:
    case 0x300D:
    case 0x300F:
    case 0x3011:
    case 0x300B:
    case 0x3009:
    case 0xFF09:
      return true;
    default:
      return false;
  }
}

class Splitter {
 public:
  explicit Splitter(std::string_view text) : text_(text) {}

  std::vector<Sentence> Run() {
    std::size_t i = 0;
    while (i < text_.size()) {
      const Decoded d = DecodeAt(text_, i);
      if (d.length == 0) {  // a bad byte: content
        Extend(i, 1);
        ++i;
        continue;
      }
      const auto next = i + static_cast<std::size_t>(d.length);
      if (IsLineBreak(d.cp)) {
        Close();
        i = next;
        continue;
      }
      if (ClassOf(d.cp) == CharClass::kSpace) {
        i = next;
        continue;
      }
      if (IsTerminator(d.cp)) {
        i = Terminate(i);
        continue;
      }
      Extend(i, static_cast<std::size_t>(d.length));
      i = next;
    }
    Close();
    return std::move(sentences_);
  }

 private:
  void Extend(std::size_t pos, std::size_t length) {
    if (!open_) {
      open_ = true;
      begin_ = pos;
    }
    end_ = pos + length;
  }

  void Close() {
    if (open_) {
      sentences_.push_back({static_cast<std::uint32_t>(begin_), static_cast<std::uint32_t>(end_)});
    }
    open_ = false;
  }

  // Consumes the terminator run at `pos` and its closers; closes the sentence when they end
  // it. Returns the position after them.
  std::size_t Terminate(std::size_t pos) {
    std::size_t p = pos;
    bool only_full_stops = true;
    bool ideographic = false;
    bool closers = false;
    while (p < text_.size()) {
      const Decoded d = DecodeAt(text_, p);
      if (d.length == 0) break;
      if (IsTerminator(d.cp)) {
        if (closers) break;  // "?" ")" "?" — a new run starts
        if (d.cp != '.') only_full_stops = false;
        if (IsIdeographicTerminator(d.cp)) ideographic = true;
      } else if (IsCloser(d.cp)) {
        closers = true;
      } else {
        break;
      }
      Extend(p, static_cast<std::size_t>(d.length));
      p += static_cast<std::size_t>(d.length);
    }
    if (EndsSentence(pos, p, only_full_stops, ideographic)) Close();
    return p;
  }

  bool EndsSentence(std::size_t run_begin, std::size_t run_end, bool only_full_stops,
                    bool ideographic) const {
    if (ideographic || run_end >= text_.size()) return true;
    const Decoded after = DecodeAt(text_, run_end);
    if (after.length == 0) return false;
    const CharClass after_class = ClassOf(after.cp);
    if (after_class == CharClass::kIdeograph) return true;
    if (after_class != CharClass::kSpace) return false;  // "3.14", "e.g.x", "example.com"
    if (!only_full_stops) return true;

    const bool single_stop = run_end - run_begin == 1 || text_[run_begin + 1] != '.';
    if (single_stop && IsAbbreviationOrInitial(run_begin)) return false;
    return !NextWordIsLowerCase(run_end);
  }

  // Looks at the word just before the full stop at `stop`.
  bool IsAbbreviationOrInitial(std::size_t stop) const {
    std::size_t start = stop;
    while (start > 0 && stop - start < 8) {
      const auto c = static_cast<unsigned char>(text_[start - 1]);
      if (!IsAsciiAlpha(c) && c != '.') break;
      --start;
    }
    if (start == stop) return false;
    if (start > 0 && IsAsciiAlnum(static_cast<unsigned char>(text_[start - 1]))) return false;
    const std::string_view word = text_.substr(start, stop - start);
    if (word.size() == 1 && word[0] >= 'A' && word[0] <= 'Z') return true;
    std::string lower(word);
    for (char& c : lower) c = AsciiLower(c);
    return IsAbbreviation(lower);
  }

  bool NextWordIsLowerCase(std::size_t pos) const {
    while (pos < text_.size()) {
      const Decoded d = DecodeAt(text_, pos);
      if (d.length == 0) return false;
      if (IsLineBreak(d.cp)) return false;
      const CharClass cls = ClassOf(d.cp);
      if (cls == CharClass::kSpace) {
        pos += static_cast<std::size_t>(d.length);
        continue;
      }
      if (cls != CharClass::kLetter) return false;
      if (d.cp < 0x80) return d.cp >= 'a' && d.cp <= 'z';
      return IsLowerCase(d.cp);
    }
    return false;
  }

  std::string_view text_;
  std::vector<Sentence> sentences_;
  bool open_ = false;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace

std::vector<Sentence> SplitSentences(std::string_view text) {
  text =
      text.substr(0, std::min<std::size_t>(text.size(), std::numeric_limits<std::uint32_t>::max()));
  return Splitter(text).Run();
}

}  // namespace loci::text
