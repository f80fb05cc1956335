// PII detection and redaction: finds personal data in a message so that it can be replaced by
// a typed placeholder before storage. A hand-written scanner over the UTF-8 bytes; every
// candidate is checked with a bounded look-ahead, so work is linear in the text.
//
// What is detected:
// - e-mail addresses: ASCII local part (letters, digits, . _ % + -; at most 64 bytes), '@', a
//   domain of 2+ labels (letters, digits, inner '-') whose last label is 2+ letters.
// - phone numbers, with ' ', '-' or '.' between digit groups and an optional parenthesized
//   group:
//   - international: '+', country code, 8-15 digits in all (E.164), e.g. "+1 (415) 555-0132",
//     "+44 (0)20 7946 0958", "+14155550132";
//   - North American: an optional 1, a 3-digit area code and a 3-digit exchange (each starting
//     with 2-9), then 4 digits, e.g. "(415) 555-0132", "1-800-555-0199";
//   - national with a trunk '0': 2+ groups of 2+ digits, one kind of separator, 9-13 digits,
//     e.g. "030 1234567", "020 7946 0958", "01 23 45 67 89".
// - payment card numbers: 13-19 digits starting with 2-6 (the card networks' ranges),
//   contiguous or in groups of four (Amex/Diners 4-6-5 and 4-6-4 too) with one kind of
//   separator (' ' or '-'), passing the Luhn check.
// - national ids (kNationalId):
//   - US Social Security numbers "ddd-dd-dddd" (area 000, 666 and 900-999, group 00 and
//     serial 0000 are never issued, so they are not matched);
//   - UK National Insurance numbers "AB123456C" or "AB 12 34 56 C" (any case), with the
//     prefix letter rules of HMRC and a suffix A-D;
//   - Spanish DNI "12345678Z" and NIE "X1234567L" (optionally "-" before the letter), whose
//     last letter is a mod-23 checksum.
// - IP addresses: IPv4 dotted quads (octets 0-255) that are not part of a longer dotted
//   sequence, and IPv6 in full, compressed ("fe80::1", "::1") and IPv4-embedded
//   ("::ffff:192.0.2.1") forms, containing at least one decimal digit.
//
// A match never touches a letter, digit or combining mark of any script on either side
// ("abc4111111111111111", "v1.2.3.4b" match nothing); letters of the scripts written without
// spaces (CJK, kana, Hangul, Thai, ...) do not count. A number that continues with '.', '-',
// '/' or ':' and another digit on either side is part of something longer and is not matched
// (IPv4 addresses excepted: a port, range or prefix length may follow them), and digit groups
// after a space that follows digits are only read together with those digits ("01 05 2024 1030"
// holds no phone "05 2024 1030"). A card or phone number followed by more digit groups is still
// found when a prefix of the groups is valid.
//
// Deliberately not detected (too many false positives in conversation, or out of scope):
// ungrouped national phone numbers ("4155550132"), 7-digit local numbers ("555-0132"),
// numbers with '/' separators ("030/1234567") or a "00" international prefix, SSNs without
// dashes, dates, times, amounts, versions of fewer or more than four parts, e-mail addresses
// with quoted or non-ASCII parts (no partial match either), IPv6 zone ids ("%eth0"), IPv6
// written only with letters ("dead::beef", which reads like "A::B" in code), postal
// addresses and names. Known false positives: four-part versions such as "3.11.4.1" read as
// IPv4, and about one in ten 13-19 digit numbers starting with 2-6 passes the Luhn check.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace loci::text {

enum class PiiKind { kEmail, kPhone, kCard, kNationalId, kIpAddress };

struct PiiMatch {
  PiiKind kind = PiiKind::kEmail;
  std::size_t begin = 0;  // byte offset of the first byte in the text
  std::size_t end = 0;    // one past the last byte
};

// The PII in `text`: non-overlapping matches in text order. Where two kinds could start at
// the same byte, e-mail wins, then IP address, card, national id and phone.
std::vector<PiiMatch> FindPii(std::string_view text);

struct Redaction {
  std::string text;  // the input with every match replaced by its placeholder
  int replaced = 0;  // how many matches were replaced
};

// `text` with each match of FindPii() replaced by PiiPlaceholder(kind); the bytes between
// matches are copied unchanged.
Redaction RedactPii(std::string_view text);

// "[EMAIL]", "[PHONE]", "[CARD]", "[NATIONAL_ID]" or "[IP_ADDRESS]".
std::string_view PiiPlaceholder(PiiKind kind);

}  // namespace loci::text
