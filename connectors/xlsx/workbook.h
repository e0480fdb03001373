// connectors/xlsx/workbook.h: what the xlsx connector needs from
// xl/workbook.xml and the package relationships: the sheets in workbook
// order with the parts that hold them, the date system, and where the shared
// strings and styles live.
//
// Thread-safety: plain functions and values.
#ifndef GRIDHUB_CONNECTORS_XLSX_WORKBOOK_H_
#define GRIDHUB_CONNECTORS_XLSX_WORKBOOK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "connectors/xlsx/xlsx_package.h"

namespace gridhub::connectors::xlsx {

struct SheetEntry {
  std::string name;           // as shown on the sheet tab, UTF-8
  std::string part;           // "xl/worksheets/sheet1.xml"; "" if the relationship is missing
  bool is_worksheet = false;  // false for chart, dialog and macro sheets
  bool visible = true;        // false for state="hidden" / "veryHidden"
};

struct WorkbookInfo {
  std::string part;                 // "xl/workbook.xml"
  std::vector<SheetEntry> sheets;   // in workbook (tab) order
  bool date1904 = false;            // <workbookPr date1904="1"/>: the 1904 date system
  std::string shared_strings_part;  // "" if the workbook has no shared strings
  std::string styles_part;          // "" if the workbook has no styles
};

// Finds the workbook through _rels/.rels (falling back to xl/workbook.xml)
// and reads it. kInvalidArgument ("... is not an .xlsx workbook") if there is
// no workbook part; kDataLoss if a part is damaged.
absl::StatusOr<WorkbookInfo> ReadWorkbook(const XlsxPackage& package);

}  // namespace gridhub::connectors::xlsx

#endif  // GRIDHUB_CONNECTORS_XLSX_WORKBOOK_H_
