// What a thread says about itself to the operating system: its name, so that `top -H`,
// /proc/<pid>/task/*/comm, perf and debuggers tell Loci's threads apart (HTTP I/O, store
// writer, background work), and its scheduling priority.
// Thread-safety: each function affects only the calling thread.
#pragma once

#include <string_view>

namespace loci {

// Linux keeps the first 15 bytes of `name`; elsewhere this does nothing.
void NameThisThread(std::string_view name);

// Makes the calling thread yield the CPU to the others of the process when both want it
// (Linux: a nice value `increment` above the process's, within 19). Background work calls it,
// so that a burst of requests is served first and the work catches up after it. Best effort:
// does nothing where threads have no priority of their own.
void LowerThisThreadPriority(int increment);

}  // namespace loci
