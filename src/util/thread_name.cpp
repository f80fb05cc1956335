#include "util/thread_name.h"

#include <string>

#if defined(__linux__)
#include <pthread.h>
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

}  // namespace loci
