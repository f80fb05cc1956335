#include "text/normalizer.h"

#include <utf8proc.h>

#include <vector>

#include "text/unicode.h"

namespace loci::text {

void NormalizeAscii(std::string_view surface, std::string* out) {
  out->resize(surface.size());
  for (std::size_t i = 0; i < surface.size(); ++i) (*out)[i] = AsciiLower(surface[i]);
}

void Normalize(std::string_view surface, bool strip_marks, std::string* out) {
  bool ascii = true;
  for (const char c : surface) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    NormalizeAscii(surface, out);
    return;
  }

  int options =
      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
  if (strip_marks) options |= UTF8PROC_STRIPMARK;
  const auto flags = static_cast<utf8proc_option_t>(options);

  // Decompose into a per-thread buffer of code points (grown, never shrunk), then compose and
  // encode in place: no allocation per token once the buffer has its working size.
  thread_local std::vector<utf8proc_int32_t> buffer(64);
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(surface.data());
  const auto length = static_cast<utf8proc_ssize_t>(surface.size());
  utf8proc_ssize_t count = utf8proc_decompose(bytes, length, buffer.data(),
                                              static_cast<utf8proc_ssize_t>(buffer.size()), flags);
  if (count > static_cast<utf8proc_ssize_t>(buffer.size())) {
    buffer.resize(static_cast<std::size_t>(count));
    count = utf8proc_decompose(bytes, length, buffer.data(),
                               static_cast<utf8proc_ssize_t>(buffer.size()), flags);
  }
  if (count < 0) {
    out->clear();
    return;
  }
  for (utf8proc_ssize_t i = 0; i < count; ++i) {
    if (IsApostrophe(static_cast<char32_t>(buffer[i]))) buffer[i] = '\'';
  }
  const utf8proc_ssize_t size = utf8proc_reencode(buffer.data(), count, flags);
  if (size < 0) {
    out->clear();
    return;
  }
  out->assign(reinterpret_cast<const char*>(buffer.data()), static_cast<std::size_t>(size));
}

}  // namespace loci::text
