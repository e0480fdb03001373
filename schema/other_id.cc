#include "schema/other_id.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "schema/grid_code.h"
#include "schema/id_number.h"
#include "schema/name.h"

namespace gridhub::schema {
namespace {

constexpr size_t kMinLength = 4, kMaxLength = 32, kMaxSpreadsheetDigits = 15;

bool IsDigit(char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); }

}  // namespace

Normalized NormalizeOtherId(std::string_view raw, const NormalizeOptions& options) {
  Normalized out = NormalizeCode(raw, CodeRules{"-_./", kMinLength});
  if (!out.valid) return out;
  const std::string& code = out.value;
  auto invalid = [&](std::string_view flag) {
    out.AddFlag(flag);
    out.valid = false;
    return out;
  };
  if (options.spreadsheet_number && code.size() > kMaxSpreadsheetDigits &&
      std::all_of(code.begin(), code.end(), IsDigit)) {
    return invalid(kFlagSpreadsheetNumber);
  }
  if (code.size() < kMinLength || code.size() > kMaxLength) return invalid(kFlagBadLength);
  if (std::none_of(code.begin(), code.end(), IsDigit) ||
      code.find_first_not_of(code[0]) == std::string::npos) {
    return invalid(kFlagPlaceholder);
  }
  return out;
}

}  // namespace gridhub::schema
