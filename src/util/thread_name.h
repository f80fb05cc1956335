// Names the calling thread, so that `top -H`, /proc/<pid>/task/*/comm, perf and debuggers tell
// Loci's threads apart (HTTP I/O, store writer, background work).
// Thread-safety: affects only the calling thread.
#pragma once

#include <string_view>

namespace loci {

// Linux keeps the first 15 bytes of `name`; elsewhere this does nothing.
void NameThisThread(std::string_view name);

}  // namespace loci
