// connectors/xlsx/xlsx_connector.h: the Excel workbook (.xlsx) connector.
//
// Reads one worksheet of an Office Open XML workbook, streaming: the zip is
// read with Poco::Zip, the small parts (workbook, relationships, styles,
// shared strings) with Poco's SAX parser, and the sheet one row at a time
// with Poco's pull parser, so a sheet of any size is never held in memory.
// The old binary .xls format is not read (see ConnectorForPath).
//
// The sheet is the first visible worksheet, or the one named by the config.
// Its header is found among the first 10 non-blank rows, below any title
// rows (a merged "桐庐县城南街道走访登记表" in A1, a "填报单位：…" line), as
// connectors/header_row.h describes, or is the row given by the "header_row"
// option. Rows above the header are skipped. Empty header cells are named
// "column_N" (1-based), repeated header names are renamed "<name>_2",
// "<name>_3", ... (header_row.h), and the header ends at its last non-empty
// cell.
// Every later row has one cell per header column (missing cells are "") and
// one CellKind per cell: see sheet_reader.h for how each cell type becomes
// text. Numbers keep the text stored in the file ("3.30122198001011E+17"),
// so an ID number saved as a number can be recognised downstream; numbers in
// a date style become ISO dates "YYYY-MM-DD" of kind kDate (1900 or 1904
// date system, as the workbook says).
//
// Row::line is the spreadsheet row number; blank rows are skipped. A row
// with a non-empty cell to the right of the header's last column is a
// RowError("column_count") whose raw text is its cells joined by tabs. Fewer
// cells than the header is normal in a spreadsheet and not an error.
//
// Checkpoint() is "row=N", N the spreadsheet row of the last item returned
// (the header's after opening). Describe() is "sheet=<name> columns=<n>",
// followed by "; header at line 3; 2 title rows skipped" when title rows were
// skipped or header_row was given, and "; duplicate columns renamed: 备注_2"
// when header names were renamed.
//
// Thread-safety: one thread at a time.
#ifndef GRIDHUB_CONNECTORS_XLSX_XLSX_CONNECTOR_H_
#define GRIDHUB_CONNECTORS_XLSX_XLSX_CONNECTOR_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "connectors/connector.h"

namespace gridhub::connectors {

struct XlsxConfig {
  std::string path;   // required
  std::string sheet;  // the sheet's tab name; Default: "" = the first visible worksheet
  int64_t header_row = 0;  // spreadsheet row of the header; Default: 0 = find it
};

// Parses options {"path", "sheet", "header_row" (auto|<row from 1>)}.
// kInvalidArgument names an unknown key or value, or a missing path.
absl::StatusOr<XlsxConfig> ParseXlsxConfig(const ConnectorOptions& options);

// Opens the workbook, loads its shared strings and styles, and reads the
// header row. Errors name the file:
//   kNotFound         the file does not exist; or no sheet has the configured
//                     name (the message lists the sheet names)
//   kPermissionDenied the file cannot be read
//   kInvalidArgument  not a zip, or a zip without a workbook ("... is not an
//                     .xlsx workbook"); the sheet is a chart sheet; the sheet
//                     has no non-blank row; the configured header_row is
//                     blank or past the last row
//   kDataLoss         a part of the workbook is damaged
absl::StatusOr<std::unique_ptr<Connector>> OpenXlsx(const XlsxConfig& config);

// The factory registered as "xlsx".
ConnectorFactory XlsxConnectorFactory();

}  // namespace gridhub::connectors

#endif  // GRIDHUB_CONNECTORS_XLSX_XLSX_CONNECTOR_H_
