// schema/mapping.h: how a source's columns become canonical fields.
//
// A source declares which column holds its own record id and, optionally, a
// column -> canonical field map. Columns whose header already is a canonical
// field name (see schema/fields.h) map to it without being listed. Every other
// column is kept as an attribute of the source record under its header name.
//
// Thread-safe: immutable after construction.
//
// Example:
//   SourceMapping m{.record_id_column = "档案号",
//                   .column_fields = {{"身份证号", "id_number"}, {"姓名", "name"}}};
//   auto plan = ColumnPlan::Create(m, header);   // errors name the column
//   MappedRow row;
//   absl::Status s = plan->Apply(cells, &row);
#ifndef GRIDHUB_SCHEMA_MAPPING_H_
#define GRIDHUB_SCHEMA_MAPPING_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gridhub::schema {

// A record-id "column" meaning: the record id is the row's line number
// ("L" + line). For spreadsheets without a key column; a row that moves to
// another line becomes a new record, so prefer a real key column.
inline constexpr char kLineRecordId[] = "@line";

struct SourceMapping {
  std::string record_id_column;  // required: a header, or kLineRecordId
  // Explicit column -> canonical field pairs, in the order given.
  std::vector<std::pair<std::string, std::string>> column_fields;
};

// `base` (e.g. detected from headers) with `overrides` applied: an override's
// record-id column replaces base's when set; each override pair replaces any
// base pair with the same column or the same field.
SourceMapping OverrideMapping(SourceMapping base, const SourceMapping& overrides);

// Parses "COLUMN=FIELD" (as given to `hubctl import --map`). The column may
// itself contain '=' only if the field follows the last '='.
// kInvalidArgument naming the text when there is no '=', either side is
// empty, or FIELD is not canonical.
absl::StatusOr<std::pair<std::string, std::string>> ParseMapEntry(const std::string& text);

// A row after mapping: the record id, canonical fields and attributes, each in
// column order. Empty cells are left out.
struct MappedRow {
  std::string record_id;
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::pair<std::string, std::string>> attributes;
};

class ColumnPlan {
 public:
  // Resolves `mapping` against a header. kInvalidArgument (naming the column)
  // when the record-id column or a mapped column is missing from the header,
  // a header name is repeated, a mapped field is not canonical, or two
  // columns map to the same field.
  static absl::StatusOr<ColumnPlan> Create(const SourceMapping& mapping,
                                           const std::vector<std::string>& header);

  // Maps one row's cells (one per header column) found at `line`.
  // kInvalidArgument when the cell count differs from the header's, or the
  // record id cell is empty (message names the record-id column).
  absl::Status Apply(const std::vector<std::string>& cells, int64_t line, MappedRow* out) const;

 private:
  static constexpr size_t kByLine = static_cast<size_t>(-1);
  std::vector<std::string> header_;
  size_t record_id_index_ = 0;  // kByLine: the line number is the record id
  std::vector<std::string> field_of_column_;  // "" = attribute
};

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_MAPPING_H_
