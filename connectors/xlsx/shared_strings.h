// connectors/xlsx/shared_strings.h: the shared string table
// (xl/sharedStrings.xml) that string cells point into by index, and the
// _xHHHH_ escapes OOXML uses for characters XML cannot carry.
//
// Thread-safety: plain functions.
#ifndef GRIDHUB_CONNECTORS_XLSX_SHARED_STRINGS_H_
#define GRIDHUB_CONNECTORS_XLSX_SHARED_STRINGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "connectors/xlsx/xlsx_package.h"

namespace gridhub::connectors::xlsx {

// Reads every <si> of `part` in order. A plain string is its <t>; rich text
// is the concatenation of its runs' <r><t>; phonetic hints (<rPh>) are left
// out. Escapes are decoded. kDataLoss if the part is damaged.
absl::StatusOr<std::vector<std::string>> ReadSharedStrings(const XlsxPackage& package,
                                                           const std::string& part);

// Replaces each "_xHHHH_" (a UTF-16 code unit in hex, surrogate pairs
// allowed) with the character in UTF-8; "_x005F_" is a literal underscore.
// Anything else, including a lone surrogate, is kept as it is.
std::string DecodeEscapes(std::string_view text);

}  // namespace gridhub::connectors::xlsx

#endif  // GRIDHUB_CONNECTORS_XLSX_SHARED_STRINGS_H_
