#include <cstdio>

int main() {
  std::puts("loci: wiring in progress");
  return 0;
}
