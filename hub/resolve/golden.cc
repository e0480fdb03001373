#include "hub/resolve/golden.h"

#include <algorithm>

#include "gridhub_types.h"
#include "hub/store/keys.h"
#include "schema/fields.h"
#include "schema/id_number.h"

namespace gridhub::hub {
namespace {

bool IsInvalid(const wire::ProvenancedValue& v) {
  return std::find(v.flags.begin(), v.flags.end(), kFlagInvalid) != v.flags.end();
}

size_t Rank(const GoldenOptions& options, const std::string& field, const std::string& source) {
  auto it = options.field_priority.find(field);
  const std::vector<std::string>& order =
      it == options.field_priority.end() ? options.default_priority : it->second;
  auto pos = std::find(order.begin(), order.end(), source);
  return static_cast<size_t>(pos - order.begin());
}

}  // namespace

void RebuildGolden(const GoldenOptions& options, wire::Resident* resident) {
  resident->fields.clear();
  resident->conflicts.clear();
  resident->attributes.clear();
  std::map<std::string, std::vector<const wire::ProvenancedValue*>> by_field;
  std::map<std::string, const wire::ProvenancedValue*> newest_attribute;  // "source.column"
  for (const auto& v : resident->values) {
    if (IsAttributeField(v.field)) {
      const std::string key = v.source + "." + v.field.substr(1);
      const wire::ProvenancedValue*& best = newest_attribute[key];
      if (best == nullptr || v.observed_at_ms > best->observed_at_ms ||
          (v.observed_at_ms == best->observed_at_ms && v.record_id < best->record_id)) {
        best = &v;
      }
      continue;
    }
    if (!IsInvalid(v)) by_field[v.field].push_back(&v);
  }
  for (const auto& [key, v] : newest_attribute) resident->attributes[key] = v->value;
  resident->__isset.attributes = !resident->attributes.empty();
  for (auto& [field, values] : by_field) {
    // Best first: priority, then newest, then a stable tiebreak.
    std::sort(values.begin(), values.end(), [&](const auto* a, const auto* b) {
      const size_t ra = Rank(options, field, a->source), rb = Rank(options, field, b->source);
      if (ra != rb) return ra < rb;
      if (a->observed_at_ms != b->observed_at_ms) return a->observed_at_ms > b->observed_at_ms;
      if (a->source != b->source) return a->source < b->source;
      return a->record_id < b->record_id;
    });
    resident->fields[field] = values.front()->value;
    // Values that compare equal (same address key) are not a conflict.
    std::set<std::string> distinct;
    for (const auto* v : values) distinct.insert(v->__isset.match_key ? v->match_key : v->value);
    if (distinct.size() > 1) {
      wire::FieldConflict conflict;
      conflict.field = field;
      for (const auto* v : values) conflict.values.push_back(*v);
      resident->conflicts.push_back(std::move(conflict));
    }
  }
  resident->__isset.conflicts = !resident->conflicts.empty();
}

bool RemoveMember(const std::string& source, const std::string& record_id,
                  const GoldenOptions& options, wire::Resident* resident) {
  auto& records = resident->records;
  auto it = std::find_if(records.begin(), records.end(), [&](const wire::RecordRef& r) {
    return r.source == source && r.record_id == record_id;
  });
  if (it == records.end()) return false;
  records.erase(it);
  auto& values = resident->values;
  values.erase(std::remove_if(values.begin(), values.end(),
                              [&](const wire::ProvenancedValue& v) {
                                return v.source == source && v.record_id == record_id;
                              }),
               values.end());
  RebuildGolden(options, resident);
  return true;
}

void UpsertMember(const wire::StoredRecord& record, const GoldenOptions& options,
                  wire::Resident* resident) {
  RemoveMember(record.source, record.record_id, options, resident);
  wire::RecordRef ref;
  ref.source = record.source;
  ref.record_id = record.record_id;
  resident->records.push_back(ref);
  std::sort(resident->records.begin(), resident->records.end(),
            [](const wire::RecordRef& a, const wire::RecordRef& b) {
              return a.source != b.source ? a.source < b.source : a.record_id < b.record_id;
            });
  for (const auto& [field, nv] : record.fields) {
    wire::ProvenancedValue v;
    v.field = field;
    v.value = nv.value;
    v.source = record.source;
    v.record_id = record.record_id;
    v.observed_at_ms = record.imported_at_ms;
    v.flags = nv.flags;
    if (!nv.valid) v.flags.push_back(kFlagInvalid);
    if (auto key = nv.parts.find("key"); key != nv.parts.end()) {
      v.match_key = key->second;
      v.__isset.match_key = true;
    }
    v.__isset.flags = !v.flags.empty();
    resident->values.push_back(std::move(v));
  }
  for (const auto& [column, value] : record.attributes) {
    wire::ProvenancedValue v;
    v.field = std::string(1, kAttributePrefix) + column;
    v.value = value;
    v.source = record.source;
    v.record_id = record.record_id;
    v.observed_at_ms = record.imported_at_ms;
    resident->values.push_back(std::move(v));
  }
  RebuildGolden(options, resident);
}

std::set<std::string> IndexKeysOf(const wire::Resident& resident) {
  std::set<std::string> out;
  if (resident.records.empty() || resident.__isset.merged_into) return out;
  for (const auto& v : resident.values) {
    if (IsInvalid(v) || IsAttributeField(v.field)) continue;
    // Passports and permits are kept but not linked on: their shapes are
    // loose enough for placeholders (G00000000) to join strangers.
    if (v.field == schema::kIdNumber &&
        std::find(v.flags.begin(), v.flags.end(), schema::kFlagOtherIdentifier) == v.flags.end()) {
      out.insert(keys::Index(keys::kIndexIdNumber, v.value, resident.entity_id));
    }
  }
  return out;
}

}  // namespace gridhub::hub
