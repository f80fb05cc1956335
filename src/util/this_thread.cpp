#include "util/this_thread.h"

#include <algorithm>
#include <cerrno>
#include <string>

#if defined(__linux__)
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace loci {

void NameThisThread(std::string_view name) {
#if defined(__linux__)
  constexpr std::size_t kLinuxLimit = 15;  // bytes, before the terminating NUL
  const std::string bounded(name.substr(0, kLinuxLimit));
  pthread_setname_np(pthread_self(), bounded.c_str());
#else
  (void)name;
#endif
}

void LowerThisThreadPriority(int increment) {
#if defined(__linux__)
  // On Linux a nice value belongs to the thread (PRIO_PROCESS with a thread id).
  const auto thread = static_cast<id_t>(gettid());
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, thread);
  if (errno != 0) return;
  constexpr int kLowest = 19;
  setpriority(PRIO_PROCESS, thread, std::min(kLowest, current + std::max(0, increment)));
#else
  (void)increment;
#endif
}

}  // namespace loci
