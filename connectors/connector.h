// connectors/connector.h: the interface every source connector implements,
// and the explicit registry that names them.
//
// A connector reads one source (a file, later a database or an HTTP feed)
// and yields its rows as UTF-8 text cells, one row at a time, in source
// order. It knows nothing of the store or of identity resolution: mapping
// columns to canonical fields is schema's job (schema/mapping.h), and hub/
// uses connectors only through this header.
//
// A row the connector cannot turn into cells (wrong column count, bytes that
// do not decode) is not an error of the whole read: it comes back as a
// RowError item with its line number, so the caller can quarantine it and go
// on. Only failures that end the read (file missing, I/O error) are returned
// as a non-OK Status.
//
// Thread-safety: a Connector instance is used by one thread at a time. The
// registry is safe for concurrent lookups once built.
//
// Example:
//   ConnectorRegistry registry;
//   RegisterAll(&registry);
//   auto conn = registry.Create("csv", {{"path", "police.csv"}});
//   SourceItem item;
//   while (true) {
//     auto more = (*conn)->Next(&item);
//     if (!more.ok() || !*more) break;
//     ...
//   }
#ifndef GRIDHUB_CONNECTORS_CONNECTOR_H_
#define GRIDHUB_CONNECTORS_CONNECTOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gridhub::connectors {

// Untyped options as given on a command line or in a config file
// (e.g. {"path": "x.csv", "encoding": "auto"}). Each connector parses them
// into its own typed config and rejects unknown keys by name.
using ConnectorOptions = std::map<std::string, std::string>;

// Reason codes for RowError (stable strings, counted in import summaries).
inline constexpr std::string_view kReasonColumnCount = "column_count";
inline constexpr std::string_view kReasonBadEncoding = "bad_encoding";
inline constexpr std::string_view kReasonUnterminatedQuote = "unterminated_quote";

// How a spreadsheet stored a cell. Text sources leave Row::kinds empty.
enum class CellKind : uint8_t {
  kText = 0,     // a string (shared or inline)
  kNumber,       // a number: the cell text is the number as stored ("3.30122E+17")
  kDate,         // a number with a date format: the cell text is ISO "YYYY-MM-DD"
  kBoolean,      // "TRUE" / "FALSE"
  kError,        // a formula error such as "#N/A"
};

struct Row {
  int64_t line = 0;                // 1-based line (spreadsheet row) where the row starts
  std::vector<std::string> cells;  // UTF-8, one per column, in column order
  std::vector<CellKind> kinds;     // empty, or one per cell (spreadsheets)
};

struct RowError {
  int64_t line = 0;         // 1-based line where the row starts
  std::string reason_code;  // one of the kReason* codes
  std::string message;      // human-readable, names what was expected
  std::string raw;          // the row's bytes as read (may be invalid UTF-8)
};

// One item read from a source: a row or a row that could not be read.
struct SourceItem {
  bool is_error = false;
  Row row;         // valid when !is_error
  RowError error;  // valid when is_error
};

class Connector {
 public:
  virtual ~Connector() = default;

  // Column names of the source (the header row for files), UTF-8. Available
  // as soon as the connector is created. The names are unique and non-empty:
  // file connectors name an empty header cell "column_N" and rename a
  // repeated name "<name>_2", "<name>_3", ... (connectors/header_row.h).
  // File connectors find the header row below any title rows at the top of
  // the file (or take the configured "header_row"); rows above it are never
  // returned by Next(), and line numbers stay those of the file.
  virtual const std::vector<std::string>& columns() const = 0;

  // Reads the next item into *item. Returns true when an item was read,
  // false at the end of the source. A non-OK status (kNotFound, kDataLoss,
  // kInternal, ...) ends the read; its message names the source.
  virtual absl::StatusOr<bool> Next(SourceItem* item) = 0;

  // An opaque position after the last item returned (for files: byte offset
  // and line). Stored with imported batches so a later read can resume.
  virtual std::string Checkpoint() const = 0;

  // A one-line description of what was detected or configured (for example
  // "encoding=gb18030 delimiter=comma"), shown by hubctl.
  virtual std::string Describe() const = 0;
};

// A named connector: its name, a one-line help and a factory that parses the
// untyped options into its typed config and opens the source.
struct ConnectorFactory {
  std::string name;
  std::string help;
  std::function<absl::StatusOr<std::unique_ptr<Connector>>(const ConnectorOptions&)> create;
};

class ConnectorRegistry {
 public:
  // Adds a factory. kAlreadyExists if the name is taken; kInvalidArgument if
  // the name is empty or the factory has no create function.
  absl::Status Register(ConnectorFactory factory);

  // Creates a connector by name. kNotFound (naming the known connectors) if
  // no such connector; otherwise whatever the factory returns.
  absl::StatusOr<std::unique_ptr<Connector>> Create(std::string_view name,
                                                    const ConnectorOptions& options) const;

  // The registered factory, or nullptr.
  const ConnectorFactory* Find(std::string_view name) const;

  // Registered names, sorted.
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, ConnectorFactory, std::less<>> factories_;
};

// Registers every connector built into gridhub (connectors/register_all.cc).
// Explicit, so a linker can never drop one.
void RegisterAll(ConnectorRegistry* registry);

// The connector name for a file path by its extension (".csv", ".tsv",
// ".txt" -> "csv"), or kInvalidArgument naming the file when unknown.
absl::StatusOr<std::string> ConnectorForPath(std::string_view path);

}  // namespace gridhub::connectors

#endif  // GRIDHUB_CONNECTORS_CONNECTOR_H_
