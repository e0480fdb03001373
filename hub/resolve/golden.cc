#include "hub/resolve/golden.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gridhub_types.h"
#include "schema/fields.h"
#include "schema/id_number.h"
#include "schema/status.h"
#include "hub/resolve/blocking.h"
#include "hub/store/codec.h"
#include "hub/store/keys.h"

namespace gridhub::hub {

bool IsComparedPart(std::string_view part) {
  static constexpr std::array<std::string_view, 9> kCompared = {
      "pinyin", "key", "region_key", "province", "city", "county", "town", "road", "village"};
  return std::find(kCompared.begin(), kCompared.end(), part) != kCompared.end();
}

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

// Splits "a|b|c" on '|'.
std::vector<std::string_view> Slots(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '|') {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

// Two values of a field agree when their comparison keys agree (addresses:
// the same "key" part, and the province|city|county slots of "region_key"
// equal where both name them, so "西安市长安区…" and "石家庄市长安区…" differ while
// "长安区…" agrees with either), else when the values are equal.
bool SameValue(const wire::ProvenancedValue& a, const wire::ProvenancedValue& b) {
  const auto ka = a.parts.find("key"), kb = b.parts.find("key");
  if (ka == a.parts.end() || kb == b.parts.end()) return a.value == b.value;
  if (ka->second != kb->second) return false;
  const auto rga = a.parts.find("region_key"), rgb = b.parts.find("region_key");
  if (rga == a.parts.end() || rgb == b.parts.end()) return true;
  const auto ra = Slots(rga->second);
  const auto rb = Slots(rgb->second);
  for (size_t i = 0; i < ra.size() && i < rb.size(); ++i) {
    if (!ra[i].empty() && !rb[i].empty() && ra[i] != rb[i]) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<GoldenOptions> ParseSourcePriority(std::string_view spec_in) {
  // Debian's Abseil has its own string_view.
  const absl::string_view spec(spec_in.data(), spec_in.size());
  GoldenOptions options;
  for (absl::string_view entry : absl::StrSplit(spec, ';', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    const std::string text(entry);
    const size_t eq = entry.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("source priority \"", text, "\": expected FIELD=SOURCE,SOURCE"));
    }
    const std::string field(absl::StripAsciiWhitespace(entry.substr(0, eq)));
    const bool known = field == "default" ||
                       std::find(schema::kCanonicalFields.begin(), schema::kCanonicalFields.end(),
                                 field) != schema::kCanonicalFields.end();
    if (!known) {
      std::vector<std::string> names(schema::kCanonicalFields.begin(), schema::kCanonicalFields.end());
      return absl::InvalidArgumentError(absl::StrCat("source priority \"", text, "\": ", field,
                                                     " is neither \"default\" nor a canonical field (",
                                                     absl::StrJoin(names, ", "), ")"));
    }
    std::vector<std::string> sources;
    for (absl::string_view src : absl::StrSplit(entry.substr(eq + 1), ',')) {
      std::string name(absl::StripAsciiWhitespace(src));
      if (name.empty() || std::find(sources.begin(), sources.end(), name) != sources.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("source priority \"", text, "\": empty or repeated source name"));
      }
      sources.push_back(std::move(name));
    }
    if (field == "default") {
      options.default_priority = std::move(sources);
    } else {
      options.field_priority[field] = std::move(sources);
    }
  }
  return options;
}

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
    bool conflicting = false;
    for (size_t i = 1; i < values.size() && !conflicting; ++i) {
      conflicting = !SameValue(*values[0], *values[i]);
    }
    if (conflicting) {
      wire::FieldConflict conflict;
      conflict.field = field;
      for (const auto* v : values) conflict.values.push_back(*v);
      resident->conflicts.push_back(std::move(conflict));
    }
  }
  resident->__isset.conflicts = !resident->conflicts.empty();
}

void StripGolden(wire::Resident* resident) {
  resident->fields.clear();
  resident->conflicts.clear();
  resident->__isset.conflicts = false;
  resident->attributes.clear();
  resident->__isset.attributes = false;
}

// Codes of canonical field names in stored residents. Stored data depends
// on them: append, never reorder or reuse (0 is no code). (Codes for the
// names of compared parts were tried: no measurable gain.)
constexpr std::array<std::string_view, 11> kStoredFieldCodes = {
    "",           schema::kIdNumber,    schema::kName,      schema::kGender,
    schema::kBirthDate, schema::kPhone, schema::kHouseholdAddress, schema::kCurrentAddress,
    schema::kGridCode,  schema::kEthnicity, schema::kOtherId};

size_t FieldCode(std::string_view name) {
  for (size_t c = 1; c < kStoredFieldCodes.size(); ++c) {
    if (name == kStoredFieldCodes[c]) return c;
  }
  return 0;
}

// An address's province, city and county parts repeat the slots of its
// "region_key" part ("province|city|county", schema/address.cc): a stored
// value keeps only region_key, and readers take the three back from it.
constexpr std::array<std::string_view, 3> kRegionParts = {"province", "city", "county"};

// The three slots of `parts`' region_key, when it has exactly three. (Not
// Slots: this runs for every address value of every resident decoded, and
// views need no vector.)
std::optional<std::array<std::string_view, 3>> RegionSlots(
    const StringMap& parts) {
  auto it = parts.find("region_key");
  if (it == parts.end()) return std::nullopt;
  const std::string_view key = it->second;
  const size_t a = key.find('|');
  const size_t b = a == std::string_view::npos ? a : key.find('|', a + 1);
  if (b == std::string_view::npos || key.find('|', b + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return std::array<std::string_view, 3>{key.substr(0, a), key.substr(a + 1, b - a - 1),
                                         key.substr(b + 1)};
}

// Whether the value's province, city and county parts are exactly what
// RestoreRegionParts gives back from its region_key: each present with its
// slot's text when that slot is not empty, absent when it is.
bool RegionPartsDerivable(const wire::ProvenancedValue& v,
                          const std::array<std::string_view, 3>& slots) {
  for (size_t i = 0; i < kRegionParts.size(); ++i) {
    auto it = v.parts.find(std::string(kRegionParts[i]));
    if (slots[i].empty() ? it != v.parts.end()
                         : it == v.parts.end() || it->second != slots[i]) {
      return false;
    }
  }
  return true;
}

// Only address values carry a region_key (schema/address.cc): the field
// test spares the other values the map search (2% of an import's CPU when
// every value of every changed resident was searched).
bool HasRegionParts(const wire::ProvenancedValue& v) {
  return !v.parts.empty() &&
         (v.field == schema::kHouseholdAddress || v.field == schema::kCurrentAddress);
}

// Leaves out the value's region parts when RestoreRegionParts gives them
// back exactly; false when it would not (the value must then keep its full
// form). A value without a region_key of three slots keeps its parts (a grid
// code's "county" is not an address's).
bool StripRegionParts(wire::ProvenancedValue* v) {
  if (!HasRegionParts(*v)) return true;
  const auto slots = RegionSlots(v->parts);
  if (!slots) return true;
  if (!RegionPartsDerivable(*v, *slots)) return false;
  for (std::string_view p : kRegionParts) v->parts.erase(std::string(p));
  return true;
}

void RestoreRegionParts(wire::ProvenancedValue* v) {
  if (!HasRegionParts(*v)) return;
  const auto slots = RegionSlots(v->parts);
  if (!slots) return;
  // The slots view region_key's text inside the map, and an insertion moves
  // the map's entries (a sorted vector): a short key's text moves with its
  // string. Copied out first.
  std::array<std::string, 3> texts;
  for (size_t i = 0; i < texts.size(); ++i) texts[i] = std::string((*slots)[i]);
  for (size_t i = 0; i < kRegionParts.size(); ++i) {
    if (!texts[i].empty()) v->parts.emplace(std::string(kRegionParts[i]), std::move(texts[i]));
  }
}

void StripProvenance(wire::Resident* resident) {
  const std::vector<wire::RecordRef>& records = resident->records;
  constexpr size_t kMaxMember = 32767;  // i16
  std::vector<std::optional<int64_t>> time(records.size());
  for (wire::ProvenancedValue& v : resident->values) {
    if (v.__isset.member) continue;
    // `records` is sorted by source, then record id (UpsertMember).
    auto it = std::lower_bound(records.begin(), records.end(), v,
                               [](const wire::RecordRef& r, const wire::ProvenancedValue& x) {
                                 return r.source != x.source ? r.source < x.source
                                                             : r.record_id < x.record_id;
                               });
    if (it == records.end() || it->source != v.source || it->record_id != v.record_id) continue;
    const size_t k = static_cast<size_t>(it - records.begin());
    if (k > kMaxMember) continue;
    // Only what RestoreProvenance gives back exactly: a member's values
    // share its import time (UpsertMember), else the value keeps its own.
    if (time[k] && *time[k] != v.observed_at_ms) continue;
    if (!StripRegionParts(&v)) continue;
    v.member = static_cast<int16_t>(k);
    v.__isset.member = true;
    v.source.clear();
    v.record_id.clear();
    if (time[k]) {
      v.observed_at_ms = 0;
    } else {
      time[k] = v.observed_at_ms;
    }
    if (const size_t c = FieldCode(v.field); c != 0) {
      v.field.clear();
      v.field_code = static_cast<int8_t>(c);
      v.__isset.field_code = true;
    }
  }
}

void RestoreProvenance(wire::Resident* resident) {
  const std::vector<wire::RecordRef>& records = resident->records;
  std::vector<const wire::ProvenancedValue*> first(records.size(), nullptr);
  for (wire::ProvenancedValue& v : resident->values) {
    if (!v.__isset.member) continue;
    const size_t k = static_cast<size_t>(v.member);
    if (v.member < 0 || k >= records.size()) continue;  // not ours to guess: left as stored
    v.source = records[k].source;
    v.record_id = records[k].record_id;
    if (first[k] == nullptr) {
      first[k] = &v;
    } else {
      v.observed_at_ms = first[k]->observed_at_ms;
    }
    v.member = 0;
    v.__isset.member = false;
    if (v.__isset.field_code) {
      const size_t c = static_cast<size_t>(v.field_code);
      if (v.field_code > 0 && c < kStoredFieldCodes.size()) v.field = kStoredFieldCodes[c];
      v.field_code = 0;
      v.__isset.field_code = false;
    }
    RestoreRegionParts(&v);  // after the field's name, which it tests
  }
}

absl::Status DecodeResident(std::string_view bytes, wire::Resident* resident,
                            std::string_view what) {
  GRIDHUB_RETURN_IF_ERROR(Decode(bytes, resident, what));
  RestoreProvenance(resident);
  return absl::OkStatus();
}

bool RemoveMember(const std::string& source, const std::string& record_id,
                  wire::Resident* resident) {
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
  return true;
}

void UpsertMember(const wire::StoredRecord& record, wire::Resident* resident) {
  RemoveMember(record.source, record.record_id, resident);
  wire::RecordRef ref;
  ref.source = record.source;
  ref.record_id = record.record_id;
  resident->records.push_back(ref);
  std::sort(resident->records.begin(), resident->records.end(),
            [](const wire::RecordRef& a, const wire::RecordRef& b) {
              return a.source != b.source ? a.source < b.source : a.record_id < b.record_id;
            });
  // Room for the member's values, growing geometrically: a resident that
  // gains several members in one batch is not moved for each.
  auto& values = resident->values;
  const size_t need = values.size() + record.fields.size() + record.attributes.size();
  if (need > values.capacity()) values.reserve(std::max(need, 2 * values.capacity()));
  for (const auto& [field, nv] : record.fields) {
    wire::ProvenancedValue& v = values.emplace_back();
    v.field = field;
    v.value = nv.value;
    v.source = record.source;
    v.record_id = record.record_id;
    v.observed_at_ms = record.imported_at_ms;
    v.flags = nv.flags;
    if (!nv.valid) v.flags.push_back(kFlagInvalid);
    v.__isset.flags = !v.flags.empty();
    v.parts.reserve(nv.parts.size());
    for (const auto& [part, text] : nv.parts) {  // in order: each goes last
      if (IsComparedPart(part)) v.parts.emplace_hint(v.parts.end(), part, text);
    }
    v.__isset.parts = !v.parts.empty();
  }
  for (const auto& [column, value] : record.attributes) {
    wire::ProvenancedValue& v = values.emplace_back();
    v.field = std::string(1, kAttributePrefix) + column;
    v.value = value;
    v.source = record.source;
    v.record_id = record.record_id;
    v.observed_at_ms = record.imported_at_ms;
  }
}

namespace {

// The position in `records` of the member a value came from (the first with
// its source and record id); records.size() when it is no member's.
size_t MemberIndex(const std::vector<wire::RecordRef>& records, const wire::ProvenancedValue& v) {
  size_t k = 0;
  while (k < records.size() &&
         !(records[k].record_id == v.record_id && records[k].source == v.source)) {
    ++k;
  }
  return k;
}

}  // namespace

std::vector<wire::StoredRecord> MemberRecords(const wire::Resident& resident) {
  std::vector<wire::StoredRecord> out;
  out.reserve(resident.records.size());
  // Room for a member's fields: about its share of the values (the maps are
  // sorted vectors that would otherwise grow by moving their entries).
  const size_t share = resident.values.size() / std::max<size_t>(1, resident.records.size()) + 2;
  for (const auto& ref : resident.records) {
    out.emplace_back();
    out.back().source = ref.source;
    out.back().record_id = ref.record_id;
    out.back().fields.reserve(share);
  }
  for (const auto& v : resident.values) {
    if (IsAttributeField(v.field)) continue;
    const size_t k = MemberIndex(resident.records, v);
    if (k == out.size()) continue;
    wire::StoredRecord* rec = &out[k];
    rec->imported_at_ms = std::max(rec->imported_at_ms, v.observed_at_ms);
    // A member's values come in field order (UpsertMember): each goes last.
    wire::NormalizedValue& nv = rec->fields.try_emplace(rec->fields.end(), v.field)->second;
    nv.value = v.value;
    nv.valid = !IsInvalid(v);
    for (const auto& flag : v.flags) {
      if (flag != kFlagInvalid) nv.flags.push_back(flag);
    }
    nv.__isset.flags = !nv.flags.empty();
    nv.parts = v.parts;
    nv.__isset.parts = !nv.parts.empty();
  }
  return out;
}

std::vector<std::string> MemberGbIdNumbers(const wire::Resident& resident) {
  // As MemberRecords builds a member's id_number: its last value of the
  // field, valid unless that one is flagged invalid, with the flags of all.
  const size_t n = resident.records.size();
  std::vector<const std::string*> value(n, nullptr);
  std::vector<char> valid(n, 0), other(n, 0);
  for (const auto& v : resident.values) {
    if (v.field != schema::kIdNumber) continue;
    const size_t k = MemberIndex(resident.records, v);
    if (k == n) continue;
    value[k] = &v.value;
    valid[k] = !IsInvalid(v);
    if (std::find(v.flags.begin(), v.flags.end(), schema::kFlagOtherIdentifier) != v.flags.end()) {
      other[k] = 1;
    }
  }
  std::vector<std::string> out(n);
  for (size_t k = 0; k < n; ++k) {
    if (value[k] != nullptr && valid[k] && !other[k] && value[k]->size() == 18) out[k] = *value[k];
  }
  return out;
}

std::set<std::string> IndexKeysOf(const wire::Resident& resident) {
  std::set<std::string> out;
  if (resident.records.empty() || resident.__isset.merged_into) return out;
  for (const auto& rec : MemberRecords(resident)) {
    for (auto& key : BlockKeys(rec)) out.insert(std::move(key));
  }
  return out;
}

}  // namespace gridhub::hub
