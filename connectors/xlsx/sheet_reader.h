// connectors/xlsx/sheet_reader.h: streams the rows of one worksheet part
// (xl/worksheets/sheetN.xml) with Poco's pull parser, one <row> at a time:
// memory stays bounded by the longest row, whatever the sheet's size.
//
// Each cell becomes its display text and a CellKind: shared strings (t="s")
// and inline strings (t="inlineStr", rich text runs joined, phonetic hints
// left out) and formula strings (t="str") are kText; booleans (t="b") are
// "TRUE"/"FALSE"; errors (t="e") are their code ("#N/A"); numbers are the
// text of <v> exactly as stored, or an ISO date when their style is a date
// format (and ISO dates, t="d", stay dates). A formula cell yields its cached
// value. Empty cells (no value, or an empty string) are left out, so a row
// lists only the cells that hold something.
//
// Thread-safety: one thread at a time.
#ifndef GRIDHUB_CONNECTORS_XLSX_SHEET_READER_H_
#define GRIDHUB_CONNECTORS_XLSX_SHEET_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "connectors/connector.h"
#include "connectors/xlsx/xlsx_package.h"

namespace Poco::XML {
class XMLStreamParser;
}  // namespace Poco::XML

namespace gridhub::connectors::xlsx {

struct SheetCell {
  int column = 0;  // 0-based: A is 0
  std::string text;
  CellKind kind = CellKind::kText;
};

struct SheetRow {
  int64_t number = 0;            // the spreadsheet row number (1-based)
  std::vector<SheetCell> cells;  // the non-empty cells, in document order
};

// What cell values are resolved against. The pointers must outlive the reader.
struct SheetContext {
  const std::vector<std::string>* shared_strings = nullptr;
  const std::vector<bool>* date_styles = nullptr;  // by style index
  bool date1904 = false;
};

// Parses "C7" into column 2 and row 7 (row 0 when the reference has no
// digits). False if it is not a cell reference within A..XFD.
bool ParseCellReference(std::string_view reference, int* column, int64_t* row);

class SheetReader {
 public:
  // `where` names the file and the part in error messages.
  SheetReader(std::unique_ptr<PartStream> part, std::string where, SheetContext context);
  ~SheetReader();
  SheetReader(const SheetReader&) = delete;
  SheetReader& operator=(const SheetReader&) = delete;

  // Reads the next <row> (possibly with no cells) into *row. Returns true
  // when a row was read, false at the end of the sheet. kDataLoss if the part
  // is malformed or damaged, or a cell points at a shared string that does
  // not exist; once an error is returned, every later call returns it too.
  absl::StatusOr<bool> Next(SheetRow* row);

 private:
  struct CellState;

  // Next() without the exception boundary: Poco may throw from here.
  absl::StatusOr<bool> ReadRow(SheetRow* row);
  absl::Status FinishCell(const CellState& cell, SheetRow* row) const;

  std::unique_ptr<PartStream> part_;
  std::unique_ptr<Poco::XML::XMLStreamParser> parser_;
  const std::string where_;
  const SheetContext context_;
  int64_t last_row_ = 0;
  absl::Status failed_;
};

}  // namespace gridhub::connectors::xlsx

#endif  // GRIDHUB_CONNECTORS_XLSX_SHEET_READER_H_
