// schema/grid_code.h: grid (网格) codes: the code as digits and upper-case
// letters with separators (spaces, '-', '_', '.') removed and full-width
// characters folded ("330122-112-007" -> "330122112007"). When the code
// starts with a 6-digit county code (a province code 11-82 and a county
// part other than "00", e.g. 330122), parts["county"] holds it.
// Repairs, each flagged: full-width (kFlagNfkc "nfkc_changed"), spaces
// (kFlagWhitespace "whitespace"), '-', '_', '.' (kFlagSeparators
// "separators"), lower-case letters (kFlagLowercase "lowercase"), a leading
// apostrophe a spreadsheet added (kFlagLeadingApostrophe), and a
// spreadsheet's ".0" after a number of 9 or more digits ("330122112007.0",
// kFlagDecimalSuffix "decimal_suffix").
// Invalid when empty (kFlagEmpty "empty", also when only separators), in
// scientific notation ("3.30122E+11", kFlagScientific "scientific_notation":
// digits are lost), or when it contains anything but ASCII letters, digits
// and separators (kFlagBadCharacter "bad_character"); the value is then the
// cleaned text, for display.
// Thread-safe.
#ifndef GRIDHUB_SCHEMA_GRID_CODE_H_
#define GRIDHUB_SCHEMA_GRID_CODE_H_

#include <cstddef>
#include <string_view>

#include "schema/normalize.h"

namespace gridhub::schema {

// Flags besides the shared ones and those of schema/id_number.h named above.
inline constexpr std::string_view kFlagLowercase = "lowercase";            // repaired
inline constexpr std::string_view kFlagDecimalSuffix = "decimal_suffix";   // repaired

Normalized NormalizeGridCode(std::string_view raw, const NormalizeOptions& options = {});

// The cleaning grid codes share with other codes (schema/other_id.h): the
// repairs and refusals above, with `separators` as the separator characters
// besides the space, and a ".0" suffix removed after at least
// `min_decimal_digits` digits. Valid with the code as value, or invalid
// with a reason flag and the cleaned text as value. No parts.
struct CodeRules {
  std::string_view separators = "-_.";
  size_t min_decimal_digits = 9;
};
Normalized NormalizeCode(std::string_view raw, const CodeRules& rules);

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_GRID_CODE_H_
