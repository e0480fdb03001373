// connectors/header_row.h: finding the header row of a file export and naming
// its columns; shared by the csv and xlsx connectors.
//
// Government templates rarely start with their header: a merged title row
// ("桐庐县城南街道走访登记表", alone in the first cell) and sometimes a line
// such as "填报单位：… 日期：…" come first. The connectors therefore look at
// the first kHeaderSearchRows non-blank rows and take as the header:
//   1. the first row with at least 2 recognised column headers: cells that
//      schema::DetectHeaders (schema/headers.h) maps to a canonical field or
//      picks as the record-id column. A cell of the form "label：value" (a
//      colon outside brackets with text after it) is not counted, so a
//      "联系电话：0571-…  网格：…" line above the header is not mistaken for it;
//   2. else the first row holding more than half as many non-empty cells as
//      the fullest of those rows (so a title of 1 cell above 8 columns is
//      skipped, while a header with a few empty cells is still the header);
//   3. an explicit "header_row" option (1-based physical line) overrides both.
// Rows above the header are title rows: skipped, never data, and counted in
// the connector's Describe(). Line numbers stay physical.
//
// Column names: an empty header cell is named "column_N" (1-based); a name
// that repeats an earlier one (compared without surrounding ASCII spaces) is
// renamed "<name>_2", "<name>_3", ... (the first such name not already in the
// header), so every consumer, schema::ColumnPlan included, sees unique names.
// The first occurrence keeps its name. A renamed "备注_2" is an attribute like
// any other column; but when the repeated name would be a canonical field or
// the record id, schema::ColumnPlan::Create refuses the first "X" as
// ambiguous (naming it) while "X_2" exists, until one of them is chosen
// explicitly (mapping "X_2", or renaming the columns in the file).
//
// Thread-safe: pure functions.
#ifndef GRIDHUB_CONNECTORS_HEADER_ROW_H_
#define GRIDHUB_CONNECTORS_HEADER_ROW_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gridhub::connectors {

// How many non-blank rows at the top of a file are considered for the header.
inline constexpr size_t kHeaderSearchRows = 10;

// The number of cells of `cells` recognised as column headers (rule 1 above).
int KnownHeaderCount(const std::vector<std::string>& cells);

// The index in `rows` (the first non-blank rows of a source, in order, each
// row's cells as text, "" for an empty cell) of the header row, by rules 1
// and 2 above. 0 when `rows` is empty.
size_t ChooseHeaderRow(const std::vector<std::vector<std::string>>& rows);

// Column names for the header cells `cells`: "column_N" for empty cells and
// duplicates renamed as described above. The new names of renamed columns are
// appended to *renamed when it is not null.
std::vector<std::string> ColumnNames(std::vector<std::string> cells,
                                     std::vector<std::string>* renamed = nullptr);

// Parses the "header_row" option: "auto" or "" is 0 (choose automatically),
// otherwise a 1-based line number. kInvalidArgument, prefixed with
// `connector` ("csv"), names a value that is neither.
absl::StatusOr<int64_t> ParseHeaderRowOption(const std::string& connector, const std::string& value);

// What a connector appends to its Describe(): "" when the header is the first
// non-blank row, was found automatically and no column was renamed; else
// "; header at line 3; 2 title rows skipped" ("(header_row)" after the line
// when configured) and "; duplicate columns renamed: 备注_2, 备注_3".
std::string DescribeHeader(int64_t header_line, int64_t title_rows, bool configured,
                           const std::vector<std::string>& renamed);

}  // namespace gridhub::connectors

#endif  // GRIDHUB_CONNECTORS_HEADER_ROW_H_
