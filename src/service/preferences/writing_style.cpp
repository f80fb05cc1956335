#include "service/preferences/writing_style.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <unordered_map>
#include <utility>

#include "service/preferences/rule_support.h"
#include "text/tokenizer.h"

namespace loci::service {
namespace {

using preferences::LowerAsciiInto;

// Frequent function words that tell the languages written with Latin letters apart.
struct FunctionWords {
  std::string_view tag;
  std::initializer_list<std::string_view> words;
};

const std::array<FunctionWords, 7> kFunctionWords = {{
    {"en",
     {"the", "and", "is", "are", "you", "what", "how", "i", "to", "of", "it", "this", "that",
      "with", "for", "my", "can", "do"}},
    {"es",
     {"el", "los", "las", "que", "y", "es", "por", "para", "con", "una", "cómo", "qué", "mi",
      "estoy", "pero", "yo", "está", "muy"}},
    {"fr",
     {"le", "les", "des", "et", "est", "je", "tu", "vous", "pour", "avec", "une", "pas", "mon",
      "c'est", "suis", "mais", "très"}},
    {"de",
     {"der", "die", "das", "und", "ist", "ich", "nicht", "mit", "ein", "eine", "zu", "auf", "wie",
      "was", "mein", "bin", "sehr"}},
    {"it",
     {"il", "lo", "che", "di", "è", "per", "non", "sono", "mio", "come", "della", "molto", "gli",
      "anche"}},
    {"pt",
     {"o", "os", "que", "é", "para", "com", "uma", "um", "não", "meu", "como", "estou", "você",
      "muito", "mas"}},
    {"nl",
     {"het", "een", "en", "ik", "niet", "met", "voor", "van", "wat", "hoe", "mijn", "je", "zijn",
      "ook"}},
}};

const std::initializer_list<std::string_view> kFormalMarkers = {
    "dear", "kindly", "regards", "sincerely", "furthermore", "therefore"};
const std::initializer_list<std::string_view> kCasualMarkers = {
    "lol",  "haha", "gonna", "wanna", "hey", "thx", "pls",
    "yeah", "yep",  "btw",   "omg",   "u",   "ur",  "cool"};

// What a word is to ReadWriting: bit i for a function word of kFunctionWords[i], and a formal
// or a casual marker.
constexpr std::uint16_t kFormalMarker = 1 << kFunctionWords.size();
constexpr std::uint16_t kCasualMarker = kFormalMarker << 1;

// Every user turn is read: one hash lookup per word, not a scan per list.
const std::unordered_map<std::string_view, std::uint16_t>& WordClasses() {
  static const auto* const classes = [] {
    auto* map = new std::unordered_map<std::string_view, std::uint16_t>();
    for (std::size_t i = 0; i < kFunctionWords.size(); ++i) {
      for (std::string_view word : kFunctionWords[i].words) (*map)[word] |= 1 << i;
    }
    for (std::string_view word : kFormalMarkers) (*map)[word] |= kFormalMarker;
    for (std::string_view word : kCasualMarkers) (*map)[word] |= kCasualMarker;
    return map;
  }();
  return *classes;
}

// The language of a script that only one language of this list writes, from the first code
// point of a token; empty for Latin and anything else.
std::string_view ScriptLanguage(std::string_view token) {
  auto byte = [&](std::size_t i) {
    return i < token.size() ? static_cast<unsigned char>(token[i]) : 0;
  };
  unsigned char b0 = byte(0);
  if (b0 == 0xD0 || b0 == 0xD1) return "ru";                          // Cyrillic
  if (b0 >= 0xD8 && b0 <= 0xDB) return "ar";                          // Arabic
  if (b0 == 0xD7) return "he";                                        // Hebrew
  if (b0 == 0xCE || b0 == 0xCF) return "el";                          // Greek
  if (b0 == 0xE0 && byte(1) >= 0xA4 && byte(1) <= 0xA5) return "hi";  // Devanagari
  if (b0 == 0xE0 && byte(1) >= 0xB8 && byte(1) <= 0xB9) return "th";  // Thai
  if (b0 == 0xE3 && (byte(1) == 0x81 || byte(1) == 0x82 || byte(1) == 0x83)) return "ja";  // kana
  if (b0 >= 0xEA && b0 <= 0xED) return "ko";  // Hangul syllables
  if (b0 >= 0xE4 && b0 <= 0xE9) return "zh";  // CJK ideographs
  return {};
}

bool HasEmoji(std::string_view text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    auto b0 = static_cast<unsigned char>(text[i]);
    auto b1 = static_cast<unsigned char>(text[i + 1]);
    if (b0 == 0xF0 && b1 == 0x9F) return true;                                // U+1F000–U+1FFFF
    if (b0 == 0xE2 && (b1 == 0x98 || b1 == 0x9C || b1 == 0x9D)) return true;  // ☀–➿ (most)
  }
  return false;
}

bool HasCode(std::string_view text) {
  if (text.find("```") != std::string_view::npos) return true;
  int code_lines = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    if (!line.empty() && (line.back() == ';' || line.back() == '{' || line.back() == '}' ||
                          line.starts_with("    ") || line.starts_with("\t") ||
                          line.starts_with("def ") || line.starts_with("#include"))) {
      ++code_lines;
    }
    start = end + 1;
  }
  return code_lines >= 2;
}

}  // namespace

WritingSignals ReadWriting(std::string_view text) {
  WritingSignals signals;
  signals.emoji = HasEmoji(text);
  signals.code = HasCode(text);
  std::array<int, kFunctionWords.size()> hits{};
  std::array<std::pair<std::string_view, int>, 10> scripts{};
  std::size_t script_kinds = 0;
  int script_tokens = 0;
  const auto& classes = WordClasses();
  std::string word;                 // lower-cased
  text::Tokenizer tokenizer(text);  // a cursor: no vector of the tokens
  text::RawToken token;
  while (tokenizer.Next(&token)) {
    std::string_view written = text.substr(token.begin, token.end - token.begin);
    if (token.kind == text::TokenKind::kWord || token.kind == text::TokenKind::kIdeograph) {
      ++signals.words;
    }
    if (std::string_view script = ScriptLanguage(written); !script.empty()) {
      ++script_tokens;
      auto found = std::find_if(scripts.begin(), scripts.begin() + script_kinds,
                                [&](const auto& entry) { return entry.first == script; });
      if (found != scripts.begin() + script_kinds) {
        ++found->second;
      } else if (script_kinds < scripts.size()) {
        scripts[script_kinds++] = {script, 1};
      }
      continue;
    }
    LowerAsciiInto(written, word);
    const auto found = classes.find(word);
    if (found == classes.end()) continue;
    for (std::size_t i = 0; i < kFunctionWords.size(); ++i) {
      if ((found->second & (1 << i)) != 0) ++hits[i];
    }
    if ((found->second & kFormalMarker) != 0) ++signals.formality;
    if ((found->second & kCasualMarker) != 0) --signals.formality;
  }
  // Kana mark Japanese even among ideographs.
  auto japanese = std::find_if(scripts.begin(), scripts.begin() + script_kinds,
                               [](const auto& entry) { return entry.first == "ja"; });
  if (script_tokens * 2 >= signals.words && script_tokens > 0) {
    if (japanese != scripts.begin() + script_kinds) {
      signals.language = "ja";
    } else {
      signals.language =
          std::max_element(scripts.begin(), scripts.begin() + script_kinds,
                           [](const auto& a, const auto& b) { return a.second < b.second; })
              ->first;
    }
    return signals;
  }
  auto best = std::max_element(hits.begin(), hits.end());
  int second = 0;
  for (auto it = hits.begin(); it != hits.end(); ++it) {
    if (it != best) second = std::max(second, *it);
  }
  if (*best >= 2 && *best > second) {
    signals.language = kFunctionWords[best - hits.begin()].tag;
  }
  return signals;
}

}  // namespace loci::service
