// connectors/csv/csv_connector.h: the delimited-text file connector.
//
// Reads CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside
// quotes, CRLF or LF) and tab-separated files, streaming, in UTF-8, UTF-8
// with a byte-order mark, or GB18030 (a superset of GBK and GB2312).
//
// Encoding "auto" (the default): a UTF-8 BOM means UTF-8; otherwise the first
// 64 KiB are checked: valid UTF-8 means UTF-8, anything else GB18030. Rows are
// split on raw bytes (safe for both encodings: no GB18030 trail byte is a
// quote, comma, tab or line break) and each row is decoded on its own, so one
// undecodable row is a RowError("bad_encoding") and the rest are read.
//
// The header is found among the first 10 non-blank rows, below any title
// rows ("桐庐县城南街道走访登记表", "填报单位：…"), as connectors/header_row.h
// describes, or is the line given by the "header_row" option. Rows above it
// are skipped; rows after it are data. Empty header cells are named
// "column_N" (1-based) and repeated header names are renamed "<name>_2",
// "<name>_3", ... (header_row.h). A row whose cell count differs from the
// header's is a RowError("column_count"). Blank lines are skipped; line
// numbers are physical lines of the file.
//
// The delimiter is detected on the first line (of the first 10 non-blank
// ones) holding a tab or a comma outside quotes.
//
// Describe() is "encoding=<e> delimiter=<comma|tab> columns=<n>", followed
// by "; header at line 3; 2 title rows skipped" when title rows were skipped
// or header_row was given, and "; duplicate columns renamed: 备注_2" when
// header names were renamed. Checkpoint() is "offset=<byte>;line=<line>" just
// after the last item returned (after the header when none was).
//
// Thread-safety: one thread at a time.
#ifndef GRIDHUB_CONNECTORS_CSV_CSV_CONNECTOR_H_
#define GRIDHUB_CONNECTORS_CSV_CSV_CONNECTOR_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "connectors/connector.h"

namespace gridhub::connectors {

enum class TextEncoding { kAuto, kUtf8, kGb18030 };

struct CsvConfig {
  std::string path;                          // required
  TextEncoding encoding = TextEncoding::kAuto;  // Default: auto-detect
  char delimiter = 0;  // ',' or '\t'; Default: 0 = detect from the first lines
  int64_t header_row = 0;  // 1-based line of the header; Default: 0 = find it
};

// Parses options {"path", "encoding" (auto|utf-8|gb18030), "delimiter"
// (auto|comma|tab|","|"\t"), "header_row" (auto|<line from 1>)}.
// kInvalidArgument names an unknown key or value.
absl::StatusOr<CsvConfig> ParseCsvConfig(const ConnectorOptions& options);

// Opens the file and reads the header. kNotFound if the file does not exist,
// kInvalidArgument if it is empty, the header cannot be decoded, or the
// configured header_row is blank, inside a quoted field or past the end,
// kPermissionDenied if it cannot be read. Messages name the file.
absl::StatusOr<std::unique_ptr<Connector>> OpenCsv(const CsvConfig& config);

// The factory registered as "csv".
ConnectorFactory CsvConnectorFactory();

}  // namespace gridhub::connectors

#endif  // GRIDHUB_CONNECTORS_CSV_CSV_CONNECTOR_H_
