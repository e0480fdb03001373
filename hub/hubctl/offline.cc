// hubctl commands that need no server: normalize and inspect.
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "hub/hubctl/commands.h"
#include "hub/hubctl/json.h"
#include "hub/hubctl/source.h"
#include "schema/fields.h"
#include "schema/normalize.h"

namespace gridhub::hubctl {
namespace {

schema::NormalizeOptions OptionsFrom(const Args& args) {
  schema::NormalizeOptions options;
  options.home_county = args.Get("home-county");
  return options;
}

std::string NormalizedJson(const std::string& field, const std::string& input,
                           const schema::Normalized& n) {
  JsonWriter w;
  w.BeginObject();
  w.Key("field"); w.String(field);
  w.Key("input"); w.String(input);
  w.Key("value");
  if (n.valid) {
    w.String(n.value);
  } else {
    w.Null();
  }
  w.Key("valid"); w.Bool(n.valid);
  w.Key("flags");
  w.BeginArray();
  for (const auto& f : n.flags) w.String(f);
  w.EndArray();
  w.Key("parts");
  w.BeginObject();
  for (const auto& [k, v] : n.parts) { w.Key(k); w.String(v); }
  w.EndObject();
  w.EndObject();
  return w.str();
}

std::string NormalizedText(const schema::Normalized& n) {
  std::string out = n.valid ? n.value : "INVALID";
  if (!n.flags.empty()) absl::StrAppend(&out, "  [", absl::StrJoin(n.flags, ", "), "]");
  std::vector<std::string> parts;
  for (const auto& [k, v] : n.parts) {
    if (k != "raw") parts.push_back(absl::StrCat(k, "=", v));
  }
  if (!parts.empty()) absl::StrAppend(&out, "  {", absl::StrJoin(parts, "; "), "}");
  return out;
}

}  // namespace

int RunNormalize(const Args& args) {
  if (args.positional.size() < 3) {
    return Fail(kExitUsage, "usage: hubctl normalize [--json] [--home-county PREFIX] FIELD VALUE...");
  }
  const std::string& field = args.positional[1];
  if (!schema::IsCanonicalField(field)) {
    std::vector<std::string> known(schema::kCanonicalFields.begin(), schema::kCanonicalFields.end());
    return Fail(kExitUsage, absl::StrCat("unknown field \"", field, "\" (known: ",
                                         absl::StrJoin(known, ", "), ")"));
  }
  const schema::NormalizeOptions options = OptionsFrom(args);
  for (size_t i = 2; i < args.positional.size(); ++i) {
    const std::string& input = args.positional[i];
    const schema::Normalized n = schema::NormalizeField(field, input, options);
    if (args.Flag("json")) {
      std::cout << NormalizedJson(field, input, n) << "\n";
    } else {
      std::cout << input << "\t" << NormalizedText(n) << "\n";
    }
  }
  return kExitOk;
}

int RunInspect(const Args& args) {
  if (args.positional.size() != 2) {
    return Fail(kExitUsage,
                "usage: hubctl inspect [--rows N] [--record-id COLUMN] [--map COLUMN=FIELD]... "
                "[--encoding E] [--sheet NAME] FILE");
  }
  int rows = 5;
  if (!absl::SimpleAtoi(args.Get("rows", "5"), &rows) || rows < 0) {
    return Fail(kExitUsage, "--rows must be a number >= 0");
  }
  auto opened = OpenSource(args, args.positional[1]);
  if (!opened.ok()) {
    const bool usage = opened.status().code() == absl::StatusCode::kInvalidArgument;
    return Fail(usage ? kExitUsage : kExitFailure, std::string(opened.status().message()));
  }
  OpenedSource& src = *opened;
  const schema::NormalizeOptions options = OptionsFrom(args);
  std::cout << "file      " << src.path << "\n"
            << "reader    " << src.connector_name << ": " << src.connector->Describe() << "\n"
            << "record id " << (src.mapping.record_id_column.empty()
                                    ? std::string("(none recognized: give --record-id COLUMN)")
                                    : src.mapping.record_id_column)
            << "\n"
            << "mapping\n"
            << DescribeMapping(src);
  if (!src.plan || rows == 0) return kExitOk;
  std::cout << "sample (first " << rows << " rows, normalized)\n";
  connectors::SourceItem item;
  schema::MappedRow mapped;
  int shown = 0;
  while (shown < rows) {
    auto more = src.connector->Next(&item);
    if (!more.ok()) return Fail(kExitFailure, std::string(more.status().message()));
    if (!*more) break;
    ++shown;
    if (item.is_error) {
      std::cout << "  line " << item.error.line << ": rejected: " << item.error.message << " ["
                << item.error.reason_code << "]\n";
      continue;
    }
    if (absl::Status s = src.plan->Apply(item.row.cells, item.row.line, &mapped); !s.ok()) {
      std::cout << "  line " << item.row.line << ": rejected: " << s.message() << "\n";
      continue;
    }
    std::cout << "  line " << item.row.line << "  record " << mapped.record_id << "\n";
    for (const auto& [field, raw] : mapped.fields) {
      schema::NormalizeOptions cell = options;
      const auto& cols = src.connector->columns();
      for (size_t i = 0; i < item.row.kinds.size() && i < cols.size(); ++i) {
        for (const auto& [c, f] : src.mapping.column_fields) {
          if (c == cols[i] && f == field && item.row.kinds[i] == connectors::CellKind::kNumber) {
            cell.spreadsheet_number = true;
          }
        }
      }
      std::cout << absl::StrFormat("    %-18s %s  ->  %s\n", field, raw,
                                   NormalizedText(schema::NormalizeField(field, raw, cell)));
    }
  }
  return kExitOk;
}

}  // namespace gridhub::hubctl
