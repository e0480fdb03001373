#include "schema/mapping.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/ascii.h"
#include "schema/fields.h"

namespace gridhub::schema {
namespace {

std::string Trimmed(const std::string& s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

}  // namespace

SourceMapping OverrideMapping(SourceMapping base, const SourceMapping& overrides) {
  if (!overrides.record_id_column.empty()) base.record_id_column = overrides.record_id_column;
  for (const auto& entry : overrides.column_fields) {
    auto& pairs = base.column_fields;
    pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                               [&entry](const auto& p) {
                                 return p.first == entry.first || p.second == entry.second;
                               }),
                pairs.end());
    pairs.push_back(entry);
  }
  // The record-id column is the source's key, not a field (unless mapped explicitly).
  return base;
}

absl::StatusOr<std::pair<std::string, std::string>> ParseMapEntry(const std::string& text) {
  const size_t eq = text.rfind('=');
  if (eq == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("--map \"", text, "\": expected COLUMN=FIELD"));
  }
  std::string column = Trimmed(text.substr(0, eq));
  std::string field = Trimmed(text.substr(eq + 1));
  if (column.empty() || field.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--map \"", text, "\": column and field must not be empty"));
  }
  if (!IsCanonicalField(field)) {
    std::string known;
    for (auto f : kCanonicalFields) absl::StrAppend(&known, known.empty() ? "" : ", ", std::string(f));
    return absl::InvalidArgumentError(absl::StrCat("--map \"", text, "\": unknown field \"",
                                                   field, "\" (known: ", known, ")"));
  }
  return std::make_pair(std::move(column), std::move(field));
}

absl::StatusOr<ColumnPlan> ColumnPlan::Create(const SourceMapping& mapping,
                                              const std::vector<std::string>& header) {
  ColumnPlan plan;
  plan.header_ = header;
  plan.field_of_column_.assign(header.size(), "");
  // A safety net: the file connectors already rename a repeated header name
  // "X" to "X_2", "X_3", ... (connectors/header_row.h), so this only fires
  // for headers that come from elsewhere.
  std::set<std::string> seen;
  for (size_t i = 0; i < header.size(); ++i) {
    if (!seen.insert(Trimmed(header[i])).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "column \"", header[i], "\" appears twice in the header (column ", i + 1, ")"));
    }
  }
  auto index_of = [&](const std::string& column) -> int {
    for (size_t i = 0; i < header.size(); ++i) {
      if (Trimmed(header[i]) == Trimmed(column)) return static_cast<int>(i);
    }
    return -1;
  };
  const int rid = index_of(mapping.record_id_column);
  if (mapping.record_id_column == kLineRecordId) {
    plan.record_id_index_ = kByLine;
  } else if (mapping.record_id_column.empty() || rid < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "record-id column \"", mapping.record_id_column, "\" is not in the header"));
  } else {
    plan.record_id_index_ = static_cast<size_t>(rid);
  }
  // Columns already named by a canonical field map to themselves.
  for (size_t i = 0; i < header.size(); ++i) {
    if (IsCanonicalField(Trimmed(header[i]))) plan.field_of_column_[i] = Trimmed(header[i]);
  }
  for (const auto& [column, field] : mapping.column_fields) {
    const int idx = index_of(column);
    if (idx < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("mapped column \"", column, "\" is not in the header"));
    }
    if (!IsCanonicalField(field)) {
      return absl::InvalidArgumentError(
          absl::StrCat("column \"", column, "\" maps to unknown field \"", field, "\""));
    }
    plan.field_of_column_[idx] = field;
  }
  std::set<std::string> fields;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string& f = plan.field_of_column_[i];
    if (!f.empty() && !fields.insert(f).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "two columns map to field \"", f, "\" (the second is \"", header[i], "\")"));
    }
  }
  // A repeated header name is ambiguous for a field or the record id: when
  // "X" is mapped while "X_2" (the connectors' name for the second "X") is
  // in the header too, nothing tells which of them is meant. Mapping "X_2"
  // (or "X_3", ...) explicitly is a choice and is accepted.
  for (size_t i = 0; i < header.size(); ++i) {
    const bool is_record_id = plan.record_id_index_ == i;
    const std::string& f = plan.field_of_column_[i];
    if (f.empty() && !is_record_id) continue;
    const std::string name = Trimmed(header[i]);
    const std::string twin = absl::StrCat(name, "_2");
    if (index_of(twin) < 0) continue;
    const std::string role =
        f.empty() ? std::string("the record id") : absl::StrCat("field \"", f, "\"");
    const std::string choice = f.empty() ? absl::StrCat("record id \"", twin, "\"")
                                         : absl::StrCat("\"", twin, "=", f, "\"");
    return absl::InvalidArgumentError(absl::StrCat(
        "column \"", name, "\" is ambiguous for ", role,
        ": the header names more than one column \"", name, "\" (the second is read as \"",
        twin, "\"); choose one explicitly (e.g. ", choice, ") or rename them in the file"));
  }
  return plan;
}

absl::Status ColumnPlan::Apply(const std::vector<std::string>& cells, int64_t line,
                               MappedRow* out) const {
  if (cells.size() != header_.size()) {
    return absl::InvalidArgumentError(absl::StrCat("expected ", header_.size(),
                                                   " columns, found ", cells.size()));
  }
  out->record_id = record_id_index_ == kByLine ? absl::StrCat("L", line)
                                               : Trimmed(cells[record_id_index_]);
  out->fields.clear();
  out->attributes.clear();
  if (out->record_id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "record-id column \"", header_[record_id_index_], "\" is empty"));
  }
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i == record_id_index_ && field_of_column_[i].empty()) continue;
    if (Trimmed(cells[i]).empty()) continue;
    if (field_of_column_[i].empty()) {
      out->attributes.emplace_back(Trimmed(header_[i]), cells[i]);
    } else {
      out->fields.emplace_back(field_of_column_[i], cells[i]);
    }
  }
  return absl::OkStatus();
}

}  // namespace gridhub::schema
