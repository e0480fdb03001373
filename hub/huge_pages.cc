#include "hub/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#ifdef GRIDHUB_WITH_TCMALLOC
#include <gperftools/malloc_extension.h>
#endif

namespace gridhub::hub {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

// "[madvise]", "always [madvise] never", ...: the mode in brackets.
std::string KernelMode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  if (!std::getline(in, line)) return "";
  const size_t open = line.find('['), close = line.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return "";
  return line.substr(open + 1, close - open - 1);
}

#ifdef GRIDHUB_WITH_TCMALLOC
// Wraps tcmalloc's own system allocator: every piece it takes from the
// kernel is a whole number of 2 MiB pages, 2 MiB-aligned (the kernel maps a
// huge page only over an aligned 2 MiB range of one mapping), and marked
// for huge pages. tcmalloc asks for 1 MiB or more at a time, so rounding up
// wastes nothing: the whole piece is reported back and used.
class HugePageSysAllocator final : public SysAllocator {
 public:
  explicit HugePageSysAllocator(SysAllocator* next) : next_(next) {}

  void* Alloc(size_t size, size_t* actual_size, size_t alignment) override {
    if (size > SIZE_MAX - kHugePage) return nullptr;
    const size_t rounded = (size + kHugePage - 1) & ~(kHugePage - 1);
    void* p = next_->Alloc(rounded, actual_size, alignment < kHugePage ? kHugePage : alignment);
    if (p == nullptr) return next_->Alloc(size, actual_size, alignment);  // as before
    // A refusal (an old kernel) only leaves the pages small.
    madvise(p, *actual_size, MADV_HUGEPAGE);
    return p;
  }

 private:
  SysAllocator* const next_;
};
#endif

}  // namespace

absl::Status UseHugePages() {
  if (const char* env = std::getenv(kHugePagesEnv)) {
    const std::string v = env;
    if (v == "0" || v == "off" || v == "no" || v == "false") {
      return absl::CancelledError(std::string(kHugePagesEnv) + "=" + v + " turns huge pages off");
    }
  }
#ifndef GRIDHUB_WITH_TCMALLOC
  return absl::UnimplementedError("built without tcmalloc (GRIDHUB_TCMALLOC=OFF)");
#else
  const std::string mode = KernelMode();
  if (mode.empty() || mode == "never") {
    return absl::FailedPreconditionError(
        mode.empty() ? "the kernel has no transparent huge pages"
                     : "transparent huge pages are set to \"never\" in "
                       "/sys/kernel/mm/transparent_hugepage/enabled");
  }
  static bool installed = false;
  if (installed) return absl::AlreadyExistsError("huge pages are already in use");
  MallocExtension* malloc = MallocExtension::instance();
  SysAllocator* current = malloc->GetSystemAllocator();
  if (current == nullptr) return absl::UnimplementedError("the allocator has no system allocator to wrap");
  // Lives as long as the process: the allocator keeps using it.
  malloc->SetSystemAllocator(new HugePageSysAllocator(current));
  installed = true;
  return absl::OkStatus();
#endif
}

}  // namespace gridhub::hub
