// connectors/xlsx/xlsx_connector.cc: see xlsx_connector.h. The zip and part
// access lives in xlsx_package.h, the workbook in workbook.h, shared strings
// in shared_strings.h, date styles in styles.h and row streaming in
// sheet_reader.h; this file picks the sheet and turns rows into items.
#include "connectors/xlsx/xlsx_connector.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "connectors/header_row.h"
#include "connectors/xlsx/shared_strings.h"
#include "connectors/xlsx/sheet_reader.h"
#include "connectors/xlsx/styles.h"
#include "connectors/xlsx/workbook.h"
#include "connectors/xlsx/xlsx_package.h"
#include "schema/status.h"

namespace gridhub::connectors {
namespace {

// "A", "Z", "AA", ... for a 0-based column index.
std::string ColumnLetters(int column) {
  std::string letters;
  for (int n = column + 1; n > 0; n = (n - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return letters;
}

// The sheet the config asks for, or an error naming the sheets there are.
absl::StatusOr<const xlsx::SheetEntry*> PickSheet(const xlsx::WorkbookInfo& workbook,
                                                  const std::string& wanted,
                                                  const std::string& where) {
  const xlsx::SheetEntry* found = nullptr;
  if (wanted.empty()) {
    for (const xlsx::SheetEntry& sheet : workbook.sheets) {
      if (sheet.is_worksheet && (found == nullptr || (!found->visible && sheet.visible))) {
        found = &sheet;
      }
      if (found != nullptr && found->visible) break;
    }
    if (found == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(where, " has no worksheet"));
    }
    return found;
  }
  for (const xlsx::SheetEntry& sheet : workbook.sheets) {
    if (sheet.name == wanted) found = &sheet;
  }
  for (const xlsx::SheetEntry& sheet : workbook.sheets) {  // Excel ignores case in sheet names
    if (found == nullptr && absl::EqualsIgnoreCase(sheet.name, wanted)) found = &sheet;
  }
  if (found == nullptr) {
    std::vector<std::string> names;
    for (const xlsx::SheetEntry& sheet : workbook.sheets) {
      names.push_back(absl::StrCat("'", sheet.name, "'"));
    }
    return absl::NotFoundError(absl::StrCat(
        where, " has no sheet named '", wanted,
        "' (sheets: ", names.empty() ? std::string("none") : absl::StrJoin(names, ", "), ")"));
  }
  if (!found->is_worksheet) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": sheet '", found->name, "' is not a worksheet (a chart or dialog sheet)"));
  }
  return found;
}

class XlsxConnector : public Connector {
 public:
  XlsxConnector(std::unique_ptr<xlsx::XlsxPackage> package, std::string sheet_name,
                std::vector<std::string> shared_strings, std::vector<bool> date_styles)
      : package_(std::move(package)),
        sheet_name_(std::move(sheet_name)),
        shared_strings_(std::move(shared_strings)),
        date_styles_(std::move(date_styles)) {}

  // Opens the sheet part and reads the header row: spreadsheet row
  // `header_row`, or the one chosen among the first non-blank rows when it is
  // 0 (see header_row.h).
  absl::Status Start(const std::string& sheet_part, bool date1904, int64_t header_row) {
    GRIDHUB_ASSIGN_OR_RETURN(std::unique_ptr<xlsx::PartStream> stream,
                             package_->OpenPart(sheet_part));
    xlsx::SheetContext context;
    context.shared_strings = &shared_strings_;
    context.date_styles = &date_styles_;
    context.date1904 = date1904;
    reader_ = std::make_unique<xlsx::SheetReader>(
        std::move(stream), absl::StrCat(package_->Where(), " sheet '", sheet_name_, "'"), context);
    GRIDHUB_RETURN_IF_ERROR(FindHeader(header_row));
    header_line_ = row_.number;
    int width = 0;
    for (const xlsx::SheetCell& cell : row_.cells) width = std::max(width, cell.column + 1);
    std::vector<std::string> names(static_cast<size_t>(width));
    for (xlsx::SheetCell& cell : row_.cells) names[cell.column] = std::move(cell.text);
    columns_ = ColumnNames(std::move(names), &renamed_);
    return absl::OkStatus();
  }

  const std::vector<std::string>& columns() const override { return columns_; }

  absl::StatusOr<bool> Next(SourceItem* item) override {
    if (!pending_.empty()) {
      row_ = std::move(pending_.front());
      pending_.pop_front();
    } else {
      GRIDHUB_ASSIGN_OR_RETURN(const bool found, NextNonBlankRow());
      if (!found) return false;
    }
    int width = 0;
    for (const xlsx::SheetCell& cell : row_.cells) width = std::max(width, cell.column + 1);
    if (static_cast<size_t>(width) > columns_.size()) {
      SetColumnCountError(item, width);
      return true;
    }
    Row& out = item->row;
    out.line = row_.number;
    out.cells.assign(columns_.size(), std::string());
    out.kinds.assign(columns_.size(), CellKind::kText);
    for (xlsx::SheetCell& cell : row_.cells) {
      out.cells[cell.column] = std::move(cell.text);
      out.kinds[cell.column] = cell.kind;
    }
    item->is_error = false;
    item->error = RowError();
    return true;
  }

  std::string Checkpoint() const override { return absl::StrCat("row=", row_.number); }

  std::string Describe() const override {
    return absl::StrCat("sheet=", sheet_name_, " columns=", columns_.size(),
                        DescribeHeader(header_line_, title_rows_, configured_, renamed_));
  }

 private:
  // Leaves the header row in row_, skipping the rows above it and keeping
  // the rows after it that were read ahead in pending_.
  absl::Status FindHeader(int64_t header_row) {
    configured_ = header_row > 0;
    if (configured_) {
      while (true) {
        GRIDHUB_ASSIGN_OR_RETURN(const bool found, NextNonBlankRow());
        if (!found || row_.number > header_row) {
          return absl::InvalidArgumentError(absl::StrCat(
              package_->Where(), ": sheet '", sheet_name_, "': header_row ", header_row,
              found ? " is a blank row" : " is blank or past the last row of the sheet"));
        }
        if (row_.number == header_row) return absl::OkStatus();
        ++title_rows_;
      }
    }
    std::vector<xlsx::SheetRow> window;
    while (window.size() < kHeaderSearchRows) {
      absl::StatusOr<bool> found = NextNonBlankRow();
      // Damage below the rows read so far is reported by Next(), in order
      // (the reader repeats its error), as when no row is read ahead.
      if (!found.ok() && window.empty()) return found.status();
      if (!found.ok() || !*found) break;
      window.push_back(std::move(row_));
      row_ = xlsx::SheetRow();
    }
    if (window.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(package_->Where(), ": sheet '", sheet_name_,
                                                     "' has no header row (it is empty)"));
    }
    std::vector<std::vector<std::string>> candidates;
    for (const xlsx::SheetRow& row : window) {
      int width = 0;
      for (const xlsx::SheetCell& cell : row.cells) width = std::max(width, cell.column + 1);
      std::vector<std::string>& cells = candidates.emplace_back(static_cast<size_t>(width));
      for (const xlsx::SheetCell& cell : row.cells) cells[cell.column] = cell.text;
    }
    const size_t chosen = ChooseHeaderRow(candidates);
    title_rows_ = static_cast<int64_t>(chosen);
    row_ = std::move(window[chosen]);
    for (size_t i = chosen + 1; i < window.size(); ++i) pending_.push_back(std::move(window[i]));
    return absl::OkStatus();
  }

  // Reads rows until one has a cell; false at the end of the sheet.
  absl::StatusOr<bool> NextNonBlankRow() {
    while (true) {
      GRIDHUB_ASSIGN_OR_RETURN(const bool found, reader_->Next(&row_));
      if (!found) return false;
      if (!row_.cells.empty()) return true;
    }
  }

  void SetColumnCountError(SourceItem* item, int width) {
    std::vector<std::string> raw(static_cast<size_t>(width));
    for (xlsx::SheetCell& cell : row_.cells) raw[cell.column] = std::move(cell.text);
    item->is_error = true;
    item->row = Row();
    item->error.line = row_.number;
    item->error.reason_code = std::string(kReasonColumnCount);
    item->error.message =
        absl::StrCat("line ", row_.number, ": expected ", columns_.size(), " columns, found ",
                     width, " (a value in column ", ColumnLetters(width - 1), ")");
    item->error.raw = absl::StrJoin(raw, "\t");
  }

  // Declaration order matters: reader_ reads from package_ and points into
  // shared_strings_ and date_styles_, so it is destroyed first.
  std::unique_ptr<xlsx::XlsxPackage> package_;
  const std::string sheet_name_;
  const std::vector<std::string> shared_strings_;
  const std::vector<bool> date_styles_;
  std::unique_ptr<xlsx::SheetReader> reader_;
  std::vector<std::string> columns_;
  std::vector<std::string> renamed_;  // new names of duplicate header names
  bool configured_ = false;           // the header row was given as header_row
  int64_t header_line_ = 0;
  int64_t title_rows_ = 0;              // non-blank rows above the header, skipped
  std::deque<xlsx::SheetRow> pending_;  // rows after the header read ahead, not yet returned
  xlsx::SheetRow row_;  // the last row returned (the header after Start); reused
};

}  // namespace

absl::StatusOr<XlsxConfig> ParseXlsxConfig(const ConnectorOptions& options) {
  XlsxConfig config;
  for (const auto& [key, value] : options) {
    if (key == "path") {
      config.path = value;
    } else if (key == "sheet") {
      config.sheet = value;
    } else if (key == "header_row") {
      GRIDHUB_ASSIGN_OR_RETURN(config.header_row, ParseHeaderRowOption("xlsx", value));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("xlsx: unknown option '", key, "' (expected path, sheet, header_row)"));
    }
  }
  if (config.path.empty()) {
    return absl::InvalidArgumentError("xlsx: option 'path' is required");
  }
  return config;
}

absl::StatusOr<std::unique_ptr<Connector>> OpenXlsx(const XlsxConfig& config) {
  if (config.path.empty()) return absl::InvalidArgumentError("xlsx: no path given");
  if (config.header_row < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("xlsx: '", config.path, "': header_row must be 0 (auto) or a row number"));
  }
  GRIDHUB_ASSIGN_OR_RETURN(std::unique_ptr<xlsx::XlsxPackage> package,
                           xlsx::XlsxPackage::Open(config.path));
  GRIDHUB_ASSIGN_OR_RETURN(const xlsx::WorkbookInfo workbook, xlsx::ReadWorkbook(*package));
  GRIDHUB_ASSIGN_OR_RETURN(const xlsx::SheetEntry* sheet,
                           PickSheet(workbook, config.sheet, package->Where()));
  std::vector<std::string> shared_strings;
  if (!workbook.shared_strings_part.empty() && package->Has(workbook.shared_strings_part)) {
    GRIDHUB_ASSIGN_OR_RETURN(shared_strings,
                             xlsx::ReadSharedStrings(*package, workbook.shared_strings_part));
  }
  std::vector<bool> date_styles;
  if (!workbook.styles_part.empty() && package->Has(workbook.styles_part)) {
    GRIDHUB_ASSIGN_OR_RETURN(date_styles, xlsx::ReadDateStyles(*package, workbook.styles_part));
  }
  const std::string sheet_part = sheet->part;
  auto connector = std::make_unique<XlsxConnector>(
      std::move(package), sheet->name, std::move(shared_strings), std::move(date_styles));
  GRIDHUB_RETURN_IF_ERROR(connector->Start(sheet_part, workbook.date1904, config.header_row));
  return std::unique_ptr<Connector>(std::move(connector));
}

ConnectorFactory XlsxConnectorFactory() {
  ConnectorFactory factory;
  factory.name = "xlsx";
  factory.help =
      "Excel workbooks (.xlsx), one worksheet, streamed; options: path, "
      "sheet=<tab name> (default: the first worksheet), header_row=auto|<row> "
      "(default: found below any title rows)";
  factory.create =
      [](const ConnectorOptions& options) -> absl::StatusOr<std::unique_ptr<Connector>> {
    GRIDHUB_ASSIGN_OR_RETURN(XlsxConfig config, ParseXlsxConfig(options));
    return OpenXlsx(config);
  };
  return factory;
}

}  // namespace gridhub::connectors
