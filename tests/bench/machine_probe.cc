// machine_probe: how fast this (shared) machine is right now, in two figures
// a benchmark's reader can set beside its records/s.
//
//   memory latency  ns per dependent load, chasing one cycle through a
//                   random permutation of 256 MiB (every load misses the
//                   caches and most miss the TLB): the kind of step an
//                   import is made of (skiplist searches, block-cache and
//                   hash-table probes);
//   arithmetic      seconds for a fixed chain of multiply-adds (no memory).
//
// On this project's virtual machine the second stays put from hour to hour
// while the first moves with the other tenants' load, and an import's CPU
// time per record moves with it. Prints one line; takes about 3 s and
// 256 MiB. Not a test (never run by ctest): ops/bench.sh runs it before and
// after each benchmark.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

namespace {

double Seconds(std::chrono::steady_clock::time_point from) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
}

}  // namespace

int main(int argc, char** argv) {
  size_t mib = 256;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::printf(
          "usage: machine_probe [--mib N]\n"
          "Prints the machine's memory latency (ns per dependent load over a random cycle\n"
          "through N MiB, default 256) and the time of a fixed arithmetic chain: read them\n"
          "beside a benchmark's figures on a shared machine (ops/bench.sh runs it).\n");
      return 0;
    }
    if (arg == "--mib" && i + 1 < argc) {
      char* end = nullptr;
      mib = std::strtoul(argv[++i], &end, 10);
      if (*argv[i] == '\0' || *end != '\0' || mib < 16 || mib > 4096) {
        std::fprintf(stderr, "machine_probe: --mib must be 16-4096\n");
        return 2;
      }
      continue;
    }
    std::fprintf(stderr, "machine_probe: unknown argument %s (see --help)\n", arg.c_str());
    return 2;
  }
  const size_t n = (mib << 20) / sizeof(uint32_t);
  std::unique_ptr<uint32_t[]> next(new (std::nothrow) uint32_t[n]);
  if (!next) {
    std::fprintf(stderr, "machine_probe: cannot allocate %zu MiB\n", mib);
    return 1;
  }
  // Sattolo's algorithm: a permutation that is one cycle through every
  // slot, so the chase below never settles into a short loop.
  for (size_t i = 0; i < n; ++i) next[i] = static_cast<uint32_t>(i);
  uint64_t state = 0x9E3779B97F4A7C15ull;
  for (size_t i = n - 1; i > 0; --i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const size_t j = state % i;  // j < i
    std::swap(next[i], next[j]);
  }
  constexpr int kSteps = 5'000'000;
  uint32_t at = 0;
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kSteps; ++i) at = next[at];
  asm volatile("" : "+r"(at));  // the loop stays between the two clock readings
  const double chase = Seconds(started);

  constexpr long kRounds = 300'000'000;
  volatile uint64_t sink = at;
  uint64_t x = sink;
  started = std::chrono::steady_clock::now();
  for (long i = 0; i < kRounds; ++i) x = x * 6364136223846793005ull + 1442695040888963407ull;
  asm volatile("" : "+r"(x));
  const double arithmetic = Seconds(started);
  sink = x;

  std::printf("machine: memory latency %.0f ns per load (random cycle through %zu MiB), "
              "arithmetic %.2f s\n",
              chase / kSteps * 1e9, mib, arithmetic);
  return 0;
}
