// libFuzzer target for a file connector, chosen at compile time with
// -DGRIDHUB_FUZZ_CONNECTOR="csv" or "xlsx". The input is written to a
// private temporary file (connectors read paths) and read to the end:
// no crash, no sanitizer report, every error a Status, and rows and errors
// carry increasing line numbers.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "connectors/connector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = [] {
    std::string p = "/tmp/gridhub-fuzz-" + std::to_string(::getpid()) + "." GRIDHUB_FUZZ_CONNECTOR;
    return p;
  }();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  static gridhub::connectors::ConnectorRegistry* registry = [] {
    auto* r = new gridhub::connectors::ConnectorRegistry();
    gridhub::connectors::RegisterAll(r);
    return r;
  }();
  auto connector = registry->Create(GRIDHUB_FUZZ_CONNECTOR, {{"path", path}});
  if (!connector.ok()) return 0;
  gridhub::connectors::SourceItem item;
  int64_t last_line = 0;
  for (int i = 0; i < 1000000; ++i) {
    auto more = (*connector)->Next(&item);
    if (!more.ok() || !*more) break;
    const int64_t line = item.is_error ? item.error.line : item.row.line;
    if (line <= last_line) std::abort();
    last_line = line;
    if (!item.is_error && !item.row.kinds.empty() && item.row.kinds.size() != item.row.cells.size()) {
      std::abort();
    }
  }
  (void)(*connector)->Checkpoint();
  return 0;
}
