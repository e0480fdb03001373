// hub/hubctl/source.h: opening a source file for import or inspection:
// the connector for its type, and the column mapping (detected from the
// headers, with --record-id and --map overriding).
#ifndef GRIDHUB_HUB_HUBCTL_SOURCE_H_
#define GRIDHUB_HUB_HUBCTL_SOURCE_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "connectors/connector.h"
#include "hub/hubctl/args.h"
#include "schema/headers.h"
#include "schema/mapping.h"

namespace gridhub::hubctl {

struct OpenedSource {
  std::string path;
  std::string connector_name;
  std::unique_ptr<connectors::Connector> connector;
  schema::HeaderDetection detection;  // what the headers alone suggest
  schema::SourceMapping mapping;      // effective: detection + overrides
  std::optional<schema::ColumnPlan> plan;  // absent when no record-id column is known
};

// Opens `path` with the options in `args` (--encoding, --sheet, --record-id,
// --map). kInvalidArgument (usage) for a bad --map or unknown file type;
// the connector's error (naming the file) when it cannot be read; a plan
// error naming the column when the mapping does not fit the header.
absl::StatusOr<OpenedSource> OpenSource(const Args& args, const std::string& path);

// Columns that the record-id and mapping leave as attributes, for display.
std::string DescribeMapping(const OpenedSource& source);

}  // namespace gridhub::hubctl

#endif  // GRIDHUB_HUB_HUBCTL_SOURCE_H_
