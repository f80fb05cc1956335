#include "util/this_thread.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

namespace loci {
namespace {

std::string ThisThreadsName() {
  std::ifstream comm("/proc/self/task/" + std::to_string(gettid()) + "/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

int ThisThreadsNice() { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); }

TEST(ThisThreadTest, NamesAreKeptToTheFirstFifteenBytes) {
  std::string name;
  std::thread([&] {
    NameThisThread("loci-a-very-long-thread-name");
    name = ThisThreadsName();
  }).join();
  EXPECT_EQ(name, "loci-a-very-lon");
}

TEST(ThisThreadTest, PriorityIsLoweredForTheCallingThreadOnly) {
  const int main_before = ThisThreadsNice();
  int before = 0;
  int after = 0;
  int clamped = 0;
  std::thread([&] {
    before = ThisThreadsNice();
    LowerThisThreadPriority(3);
    after = ThisThreadsNice();
    LowerThisThreadPriority(100);
    clamped = ThisThreadsNice();
  }).join();
  EXPECT_EQ(after, std::min(19, before + 3));
  EXPECT_EQ(clamped, 19);
  EXPECT_EQ(ThisThreadsNice(), main_before);
}

}  // namespace
}  // namespace loci
