// hub/huge_pages.h: the programs' heap on transparent huge pages. Each test
// runs in its own process under ctest, so each starts without them; run
// together in one process, the second asks for more memory than the first
// freed, so what it checks is memory taken from the kernel after the call.
#include "hub/huge_pages.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gridhub::hub {
namespace {

// The VmFlags of the mapping that holds `p` in /proc/self/smaps, or "" when
// no mapping holds it.
std::string VmFlagsOf(const void* p) {
  const auto at = reinterpret_cast<uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long from = 0, to = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> from >> dash >> to && dash == '-' && line.find(':') > line.find(' ')) {
      inside = at >= from && at < to;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line.substr(8) + " ";
  }
  return "";
}

// A fresh large allocation, written through so its pages exist.
std::unique_ptr<char[]> Touched(size_t bytes) {
  std::unique_ptr<char[]> block(new char[bytes]);
  std::memset(block.get(), 0x5a, bytes);
  return block;
}

TEST(HugePagesTest, TurnedOffInTheEnvironmentLeavesTheHeapAlone) {
  ASSERT_EQ(setenv(kHugePagesEnv, "off", 1), 0);
  const absl::Status s = UseHugePages();
  unsetenv(kHugePagesEnv);
  EXPECT_TRUE(absl::IsCancelled(s)) << s;
  EXPECT_NE(s.message().find("GRIDHUB_HUGE_PAGES=off"), std::string::npos) << s;
  const auto block = Touched(64 << 20);
  const std::string flags = VmFlagsOf(block.get());
  ASSERT_FALSE(flags.empty());
  EXPECT_EQ(flags.find(" hg "), std::string::npos) << flags;
}

TEST(HugePagesTest, NewHeapMemoryIsMarkedForHugePagesAndStillWorks) {
  unsetenv(kHugePagesEnv);
  const absl::Status s = UseHugePages();
  if (absl::IsUnimplemented(s) || absl::IsFailedPrecondition(s)) GTEST_SKIP() << s;
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_TRUE(absl::IsAlreadyExists(UseHugePages()));

  constexpr size_t kNew = size_t{160} << 20;  // more than any test freed before
  const auto block = Touched(kNew);
  const std::string flags = VmFlagsOf(block.get());
  ASSERT_FALSE(flags.empty());
  EXPECT_NE(flags.find(" hg "), std::string::npos) << flags;

  // Many small allocations from the new memory hold what was written.
  std::vector<std::string> strings;
  for (int i = 0; i < 200000; ++i) strings.push_back(std::string(100 + i % 900, static_cast<char>('a' + i % 26)));
  for (int i = 0; i < 200000; i += 997) {
    ASSERT_EQ(strings[i].size(), static_cast<size_t>(100 + i % 900));
    ASSERT_EQ(strings[i].find_first_not_of(static_cast<char>('a' + i % 26)), std::string::npos);
  }
  EXPECT_EQ(block[0], 0x5a);
  EXPECT_EQ(block[kNew - 1], 0x5a);
}

}  // namespace
}  // namespace gridhub::hub
