// Internals of the PII scanner (pii.h), shared by pii.cpp (driver, e-mail, IP addresses) and
// pii_numbers.cpp (cards, phones, national ids). Each matcher looks for one match that begins
// exactly at `pos` and returns its end, or 0 when there is none (a match is never empty, so
// its end is never 0). Matchers check their right boundary; the driver checks the left one.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

#include "text/pii.h"

namespace loci::text::pii_internal {

// True when the code point at `pos` is a letter, digit or combining mark of any script other
// than the unigram scripts (CJK, kana, Hangul): a match may not touch one. False at the end.
bool IsGlue(std::string_view text, std::size_t pos);

// True when the code point that ends just before `pos` is glue.
bool GluedBefore(std::string_view text, std::size_t pos);

// True when a number ending just before `pos` goes on: '.', '-', '/' or ':' and a digit.
bool NumberContinuesAt(std::string_view text, std::size_t pos);

// True when a number starting at `pos` continues one before it: a digit and '.', '-', '/' or
// ':' just before `pos`.
bool NumberContinuesBefore(std::string_view text, std::size_t pos);

struct Found {
  PiiKind kind = PiiKind::kEmail;
  std::size_t end = 0;  // 0 when nothing was found
};

// A Spanish DNI, card, SSN or phone number at a digit or '(', in that order of preference.
Found MatchNumber(std::string_view text, std::size_t pos);

// An international phone number at '+'.
std::size_t MatchInternationalPhone(std::string_view text, std::size_t pos);

// A UK National Insurance number or Spanish NIE at a letter.
std::size_t MatchLetteredId(std::string_view text, std::size_t pos);

}  // namespace loci::text::pii_internal
