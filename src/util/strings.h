// Small string helpers shared by every layer. Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace loci {

// Compares in time that depends only on the lengths, never on where the bytes differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool IsValidUtf8(std::string_view text);

// True when `text` contains a C0/C1 control character or DEL.
// REQUIRES: IsValidUtf8(text)
bool HasControlCharacters(std::string_view text);

}  // namespace loci
