// Small string helpers shared by every layer. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace loci {

// Compares in time that depends only on the lengths, never on where the bytes differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool IsValidUtf8(std::string_view text);

// The UTF-8 sequence that starts at text[i], a byte of 0x80 or above: how many bytes it spans,
// with *valid telling whether it is well-formed (as IsValidUtf8 judges). An ill-formed one
// spans its longest prefix that could still have begun a valid one (at least one byte), the
// rule nlohmann's decoder follows, so that each becomes one U+FFFD and decoding resumes at the
// byte that broke it. REQUIRES: i < text.size()
std::size_t ScanUtf8(std::string_view text, std::size_t i, bool* valid);

// True when `text` contains a C0/C1 control character or DEL.
// REQUIRES: IsValidUtf8(text)
bool HasControlCharacters(std::string_view text);

}  // namespace loci
