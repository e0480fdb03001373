// hub/huge_pages.h: backs the allocator's heap with transparent huge pages.
//
// An import chases pointers through hundreds of megabytes: memtable
// skiplists, the block cache, decoded residents and their maps. On 4 KiB
// pages nearly every such step also misses the TLB, and on a virtual
// machine each miss walks two sets of page tables. With the heap on 2 MiB
// pages a 1M-record import took 4.4% less CPU (README, "Performance").
//
// Debian's kernels give huge pages only to memory that asks for them
// (/sys/kernel/mm/transparent_hugepage/enabled = madvise), so the
// programs' allocator (tcmalloc) is handed a system allocator that takes
// its memory in 2 MiB-aligned pieces and marks them MADV_HUGEPAGE.
//
// Call once at program start, before threads start. Thread-safe
// afterwards (the allocator serializes its system allocations).
#ifndef GRIDHUB_HUB_HUGE_PAGES_H_
#define GRIDHUB_HUB_HUGE_PAGES_H_

#include "absl/status/status.h"

namespace gridhub::hub {

// The environment variable that turns huge pages off ("off", "0", "no" or
// "false").
inline constexpr char kHugePagesEnv[] = "GRIDHUB_HUGE_PAGES";

// OK when the allocator now asks for huge pages. kUnimplemented without
// tcmalloc (GRIDHUB_TCMALLOC=OFF), kFailedPrecondition when the kernel has
// no transparent huge pages or they are set to "never", kCancelled when
// GRIDHUB_HUGE_PAGES turns them off, kAlreadyExists on a second call. In
// every case the program works as before; only its speed differs.
absl::Status UseHugePages();

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_HUGE_PAGES_H_
