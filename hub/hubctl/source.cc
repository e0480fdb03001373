#include "hub/hubctl/source.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "hub/hubctl/text.h"

namespace gridhub::hubctl {

absl::StatusOr<OpenedSource> OpenSource(const Args& args, const std::string& path) {
  OpenedSource out;
  out.path = path;
  schema::SourceMapping overrides;
  overrides.record_id_column = args.Get("record-id");
  for (const std::string& entry : args.All("map")) {
    auto pair = schema::ParseMapEntry(entry);
    if (!pair.ok()) return pair.status();
    overrides.column_fields.push_back(*std::move(pair));
  }
  connectors::ConnectorRegistry registry;
  connectors::RegisterAll(&registry);
  auto kind = connectors::ConnectorForPath(path);
  if (!kind.ok()) return kind.status();
  out.connector_name = *kind;
  connectors::ConnectorOptions options = {{"path", path}};
  const bool spreadsheet = *kind == "xlsx";
  if (args.options.count("encoding")) {
    if (spreadsheet) return absl::InvalidArgumentError("--encoding applies to text files, not .xlsx");
    options["encoding"] = args.Get("encoding");
  }
  if (args.options.count("header-row")) options["header_row"] = args.Get("header-row");
  if (args.options.count("sheet")) {
    if (!spreadsheet) return absl::InvalidArgumentError("--sheet applies to .xlsx files only");
    options["sheet"] = args.Get("sheet");
  }
  auto connector = registry.Create(*kind, options);
  if (!connector.ok()) return connector.status();
  out.connector = *std::move(connector);
  out.detection = schema::DetectHeaders(out.connector->columns());
  out.mapping = schema::OverrideMapping(out.detection.mapping, overrides);
  if (!out.mapping.record_id_column.empty()) {
    auto plan = schema::ColumnPlan::Create(out.mapping, out.connector->columns());
    if (!plan.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", plan.status().message()));
    }
    out.plan = *std::move(plan);
  }
  return out;
}

std::string DescribeMapping(const OpenedSource& source) {
  std::string out;
  const auto& columns = source.connector->columns();
  for (const auto& column : columns) {
    std::string role = "(attribute)";
    for (const auto& [c, f] : source.mapping.column_fields) {
      if (c == column) role = f;
    }
    if (column == source.mapping.record_id_column) role = "(record id)";
    bool detected = false;
    for (const auto& d : source.detection.columns) {
      if (d.header == column && (d.record_id ? role == "(record id)" : d.field == role)) detected = true;
    }
    absl::StrAppend(&out, "    ", PadDisplay(column, 20), " -> ", role,
                    detected || role == "(attribute)" ? "" : "   [given]", "\n");
  }
  return out;
}

}  // namespace gridhub::hubctl
