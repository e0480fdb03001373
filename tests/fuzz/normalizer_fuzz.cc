// libFuzzer target for one field normalizer, chosen at compile time with
// -DGRIDHUB_FUZZ_FIELD="name" (tests/fuzz/CMakeLists.txt builds one binary
// per field). The first byte picks options; the rest is the raw value.
// Invariants checked beyond "no crash, no sanitizer report":
//   - the value is valid UTF-8 whenever the input is (it is displayed and stored);
//   - normalizing is idempotent for valid values of most fields: the
//     canonical form normalizes to itself.
#include <unicode/utf8.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "schema/normalize.h"

namespace {

bool ValidUtf8(std::string_view s) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c < 0) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  gridhub::schema::NormalizeOptions options;
  options.today_yyyymmdd = 20261129;
  options.spreadsheet_number = (data[0] & 1) != 0;
  if (data[0] & 2) options.home_county = "浙江省杭州市桐庐县";
  const std::string_view raw(reinterpret_cast<const char*>(data) + 1, size - 1);
  const gridhub::schema::Normalized n =
      gridhub::schema::NormalizeField(GRIDHUB_FUZZ_FIELD, raw, options);
  if (ValidUtf8(raw) && !ValidUtf8(n.value)) std::abort();
  for (const auto& [key, value] : n.parts) {
    if (ValidUtf8(raw) && !ValidUtf8(value)) std::abort();
  }
  if (n.valid && !options.spreadsheet_number) {
    const gridhub::schema::Normalized again =
        gridhub::schema::NormalizeField(GRIDHUB_FUZZ_FIELD, n.value, options);
    if (!again.valid || again.value != n.value) std::abort();
  }
  return 0;
}
