#include "text/analyzer.h"

#include <utility>

#include "text/normalizer.h"
#include "text/stemmer.h"
#include "text/stop_words.h"
#include "text/tokenizer.h"
#include "text/unicode.h"

namespace loci::text {
namespace {

// Longer tokens are not indexed: no word is that long, so they are encoded blobs (base64,
// hashes) that nobody searches for, and they would bloat the index.
constexpr std::size_t kMaxWordBytes = 128;
constexpr std::size_t kMaxUrlBytes = 1024;

// True when the normalized term is Latin letters (and apostrophes) only: the English stemmer
// is for those; digits, other scripts, URLs and addresses stay as they are.
bool IsStemmable(std::string_view term) {
  for (std::size_t i = 0; i < term.size();) {
    const Decoded d = DecodeAt(term, i);
    if (d.length == 0) return false;
    if (d.cp != U'\'' && !IsLatinLetter(d.cp)) return false;
    i += static_cast<std::size_t>(d.length);
  }
  return true;
}

// "1,000,000.5" → "1000000.5" so that numbers match however they were grouped. Anything that
// is not exactly thousands grouping ("3,14", "1,2,3") is left alone.
void DropThousandsSeparators(std::string* number) {
  const std::size_t point = number->find('.');
  const std::size_t int_end = point == std::string::npos ? number->size() : point;
  const std::size_t first_comma = number->find(',');
  if (first_comma == std::string::npos || first_comma >= int_end) return;
  if (first_comma == 0 || first_comma > 3) return;
  std::size_t group_start = first_comma + 1;
  for (std::size_t i = group_start; i <= int_end; ++i) {
    if (i < int_end && (*number)[i] != ',') continue;
    if (i - group_start != 3) return;
    group_start = i + 1;
  }
  if (number->find(',', int_end) != std::string::npos) return;
  std::erase(*number, ',');
}

// Fills `token->term` from the raw token's surface. Returns false when the token yields no
// term (a stop word, or nothing left after normalization).
bool MakeTerm(std::string_view surface, const RawToken& raw, std::string* scratch,
              std::string* term) {
  switch (raw.kind) {
    case TokenKind::kUrl:
    case TokenKind::kEmail:
      // Kept as written apart from ASCII case: the parts of a URL are not words.
      NormalizeAscii(surface, term);
      return true;
    case TokenKind::kIdeograph:
      Normalize(surface, /*strip_marks=*/false, term);
      return !term->empty();
    case TokenKind::kNumber:
      Normalize(surface, /*strip_marks=*/true, term);
      DropThousandsSeparators(term);
      return !term->empty();
    case TokenKind::kWord:
      break;
  }
  if (raw.ascii) {
    NormalizeAscii(surface, scratch);
  } else {
    Normalize(surface, raw.latin_or_greek, scratch);
  }
  // Possessives index as their owner: "Caroline's" → "caroline". This also turns "it's",
  // "that's", "he's" into the stop words they begin with. Other contractions keep their
  // apostrophe ("don't"), which keeps them apart from real words ("we'll" is not "well").
  if (scratch->size() > 2 && scratch->ends_with("'s")) scratch->resize(scratch->size() - 2);
  if (scratch->empty() || IsStopWord(*scratch)) return false;
  if (IsStemmable(*scratch)) {
    StemEnglish(*scratch, term);
  } else {
    term->assign(*scratch);
  }
  return !term->empty();
}

}  // namespace

Analyzer::Analyzer() = default;

std::vector<Token> Analyzer::Analyze(std::string_view text) const {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 8 + 1);
  Tokenizer tokenizer(text);
  RawToken raw;
  std::string scratch;
  while (tokenizer.Next(&raw)) {
    const std::string_view surface = text.substr(raw.begin, raw.end - raw.begin);
    const bool is_address = raw.kind == TokenKind::kUrl || raw.kind == TokenKind::kEmail;
    if (surface.size() > (is_address ? kMaxUrlBytes : kMaxWordBytes)) continue;
    Token token;
    if (!MakeTerm(surface, raw, &scratch, &token.term)) continue;
    token.begin = raw.begin;
    token.end = raw.end;
    tokens.push_back(std::move(token));
  }
  return tokens;
}

std::vector<std::string> Analyzer::Terms(std::string_view text) const {
  std::vector<Token> tokens = Analyze(text);
  std::vector<std::string> terms;
  terms.reserve(tokens.size());
  for (Token& token : tokens) terms.push_back(std::move(token.term));
  return terms;
}

}  // namespace loci::text
