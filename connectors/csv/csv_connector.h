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
// The first row is the header. Empty header cells are named "column_N"
// (1-based). A row whose cell count differs from the header's is a
// RowError("column_count"). Blank lines are skipped.
//
// Thread-safety: one thread at a time.
#ifndef GRIDHUB_CONNECTORS_CSV_CSV_CONNECTOR_H_
#define GRIDHUB_CONNECTORS_CSV_CSV_CONNECTOR_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "connectors/connector.h"

namespace gridhub::connectors {

enum class TextEncoding { kAuto, kUtf8, kGb18030 };

struct CsvConfig {
  std::string path;                          // required
  TextEncoding encoding = TextEncoding::kAuto;  // Default: auto-detect
  char delimiter = 0;  // ',' or '\t'; Default: 0 = detect from the header row
};

// Parses options {"path", "encoding" (auto|utf-8|gb18030), "delimiter"
// (auto|comma|tab|","|"\t")}. kInvalidArgument names an unknown key or value.
absl::StatusOr<CsvConfig> ParseCsvConfig(const ConnectorOptions& options);

// Opens the file and reads the header. kNotFound if the file does not exist,
// kInvalidArgument if it is empty or the header cannot be decoded,
// kPermissionDenied if it cannot be read. Messages name the file.
absl::StatusOr<std::unique_ptr<Connector>> OpenCsv(const CsvConfig& config);

// The factory registered as "csv".
ConnectorFactory CsvConnectorFactory();

}  // namespace gridhub::connectors

#endif  // GRIDHUB_CONNECTORS_CSV_CSV_CONNECTOR_H_
