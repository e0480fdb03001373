// connectors/xlsx/styles.h: which cell styles show numbers as dates, and
// the conversion of a date serial number to an ISO date.
//
// A numeric cell carries its style as an index s into styles.xml <cellXfs>;
// that <xf> names a number format (numFmtId). The format is a date when it is
// one of Excel's built-in date and time formats (ids 14-22, 27-36, 45-47,
// 50-58, the latter ranges being the East Asian date formats) or a custom
// <numFmt> whose formatCode has a date token.
//
// Thread-safety: plain functions.
#ifndef GRIDHUB_CONNECTORS_XLSX_STYLES_H_
#define GRIDHUB_CONNECTORS_XLSX_STYLES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "connectors/xlsx/xlsx_package.h"

namespace gridhub::connectors::xlsx {

// For each <cellXfs><xf> of the styles part, in order: whether its number
// format is a date. kDataLoss if the part is damaged.
absl::StatusOr<std::vector<bool>> ReadDateStyles(const XlsxPackage& package,
                                                 const std::string& part);

// Whether a built-in number format id is a date or time format.
bool IsBuiltInDateFormat(int id);

// Whether a custom format code shows a date: it has y, d, or an m that is
// not minutes (no h or s in the code, [h] elapsed hours included), outside
// "quoted text", [brackets] (colours, locales, elapsed time), \escaped
// characters and the _x / *x padding pairs. 'yyyy"年"m"月"d"日"' is a date; "0.00", "h:mm", "@" are
// not.
bool IsDateFormatCode(std::string_view code);

// The ISO date "YYYY-MM-DD" of a serial number as stored in <v> (the time of
// day is dropped). In the 1900 system day 1 is 1900-01-01 and day 60 is
// Excel's phantom 1900-02-29 (kept, as Excel shows it); in the 1904 system
// day 0 is 1904-01-01. nullopt if `value` is not a number or is outside
// 1900-01-01 (1904-01-01) .. 9999-12-31.
std::optional<std::string> SerialToIsoDate(std::string_view value, bool date1904);

}  // namespace gridhub::connectors::xlsx

#endif  // GRIDHUB_CONNECTORS_XLSX_STYLES_H_
