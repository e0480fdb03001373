// Rendering residents for people (text) and scripts (JSON lines).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gridhub_types.h"
#include "hub/hubctl/commands.h"
#include "hub/hubctl/json.h"
#include "hub/hubctl/text.h"
#include "schema/ethnicity.h"
#include "schema/fields.h"
#include "schema/normalize.h"

namespace gridhub::hubctl {
namespace {

// A code shown with its meaning: gender 1 -> "1 (男)", ethnicity 01 -> "01 (汉族)".
std::string WithLabel(std::string_view field, const std::string& value) {
  if (field == schema::kGender) {
    if (value == "1") return "1 (男)";
    if (value == "2") return "2 (女)";
  }
  if (field == schema::kEthnicity) {
    const schema::Normalized n = schema::NormalizeEthnicity(value);
    auto name = n.parts.find("name");
    if (n.valid && name != n.parts.end()) return value + " (" + name->second + ")";
  }
  return value;
}

bool IsMasked(const wire::Resident& r, const std::string& field) {
  return std::find(r.masked_fields.begin(), r.masked_fields.end(), field) != r.masked_fields.end();
}

void WriteValue(JsonWriter* w, const wire::ProvenancedValue& v) {
  w->BeginObject();
  w->Key("value");
  w->String(v.value);
  w->Key("source");
  w->String(v.source);
  w->Key("record_id");
  w->String(v.record_id);
  w->Key("observed_at_ms");
  w->Int(v.observed_at_ms);
  if (!v.flags.empty()) {
    w->Key("flags");
    w->BeginArray();
    for (const auto& f : v.flags) w->String(f);
    w->EndArray();
  }
  w->EndObject();
}

}  // namespace

std::string ResidentJson(const wire::Resident& r) {
  JsonWriter w;
  w.BeginObject();
  w.Key("entity_id");
  w.String(r.entity_id);
  if (r.__isset.merged_into && !r.merged_into.empty()) {
    w.Key("merged_into");
    w.String(r.merged_into);
  }
  w.Key("records");
  w.BeginArray();
  for (const auto& ref : r.records) {
    w.BeginObject();
    w.Key("source");
    w.String(ref.source);
    w.Key("record_id");
    w.String(ref.record_id);
    w.EndObject();
  }
  w.EndArray();
  for (auto field : schema::kCanonicalFields) {
    auto it = r.fields.find(std::string(field));
    if (it == r.fields.end()) continue;
    w.Key(field);
    w.String(it->second);
  }
  w.Key("masked_fields");
  w.BeginArray();
  for (const auto& f : r.masked_fields) w.String(f);
  w.EndArray();
  w.Key("conflicts");
  w.BeginObject();
  for (const auto& c : r.conflicts) {
    w.Key(c.field);
    w.BeginArray();
    for (const auto& v : c.values) WriteValue(&w, v);
    w.EndArray();
  }
  w.EndObject();
  w.Key("attributes");
  w.BeginObject();
  for (const auto& [k, v] : r.attributes) {
    w.Key(k);
    w.String(v);
  }
  w.EndObject();
  w.Key("values");
  w.BeginObject();
  for (auto field : schema::kCanonicalFields) {
    bool any = false;
    for (const auto& v : r.values) {
      if (v.field != field) continue;
      if (!any) {
        w.Key(field);
        w.BeginArray();
        any = true;
      }
      WriteValue(&w, v);
    }
    if (any) w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return w.str();
}

std::string ResidentText(const wire::Resident& r) {
  std::string out = absl::StrCat("Resident ", r.entity_id, "\n");
  if (r.__isset.merged_into && !r.merged_into.empty()) {
    absl::StrAppend(&out, "  merged into ", r.merged_into, "\n");
  }
  for (auto field : schema::kCanonicalFields) {
    auto it = r.fields.find(std::string(field));
    if (it == r.fields.end()) continue;
    std::vector<std::string> from;
    for (const auto& v : r.values) {
      if (v.field == field && v.value == it->second) from.push_back(absl::StrCat(v.source, "/", v.record_id));
    }
    absl::StrAppend(&out, "  ", PadDisplay(field, 18), " ", WithLabel(field, it->second),
                    IsMasked(r, std::string(field)) ? " (masked)" : "", "   [",
                    absl::StrJoin(from, ", "), "]\n");
  }
  std::vector<std::string> refs;
  for (const auto& ref : r.records) refs.push_back(absl::StrCat(ref.source, "/", ref.record_id));
  absl::StrAppend(&out, "  records (", refs.size(), "): ", absl::StrJoin(refs, ", "), "\n");
  if (!r.conflicts.empty()) {
    absl::StrAppend(&out, "  conflicts between sources:\n");
    for (const auto& c : r.conflicts) {
      std::vector<std::string> parts;
      for (const auto& v : c.values) parts.push_back(absl::StrCat(v.value, " (", v.source, "/", v.record_id, ")"));
      absl::StrAppend(&out, "    ", PadDisplay(c.field, 18), " ", absl::StrJoin(parts, " | "), "\n");
    }
  }
  if (!r.attributes.empty()) {
    absl::StrAppend(&out, "  source attributes:\n");
    for (const auto& [k, v] : r.attributes) absl::StrAppendFormat(&out, "    %s = %s\n", k, v);
  }
  return out;
}

}  // namespace gridhub::hubctl
