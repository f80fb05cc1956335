// What one user turn shows about how the user writes, for the implicit style the preference
// engine learns (style_state.h): its length, emoji, code, formality and language.
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace loci::service {

struct WritingSignals {
  int words = 0;
  bool emoji = false;
  bool code = false;     // a fenced block, or lines that read as code
  int formality = 0;     // > 0 formal markers ("Dear", "Kindly", "Regards"), < 0 casual ("lol")
  std::string language;  // BCP 47 tag of the language written in, or empty when unsure
};

WritingSignals ReadWriting(std::string_view text);

}  // namespace loci::service
