// hub/resolve/golden.h: the golden record of a resident, and the index keys
// that find it.
//
// A resident keeps every value of every member record with its provenance
// (source, record id, time). The golden value of a field is chosen from the
// valid values: first by source priority for that field (configurable:
// police first for identity fields, grid members first for the current
// address and phone), then by recency, then by source and record id so the
// choice is deterministic whatever the order of import. Fields on which
// valid values disagree are listed as conflicts.
//
// Thread-safe: pure functions over their arguments.
#ifndef GRIDHUB_HUB_RESOLVE_GOLDEN_H_
#define GRIDHUB_HUB_RESOLVE_GOLDEN_H_

#include <map>
#include <string_view>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gridhub::wire {
class Resident;
class StoredRecord;
}  // namespace gridhub::wire

namespace gridhub::hub {

// Flag stored on a provenanced value that failed normalization; such values
// are kept for stewards but never chosen as golden nor indexed.
inline constexpr char kFlagInvalid[] = "invalid";

// Source columns that map to no canonical field are kept among a resident's
// provenanced values under the field name kAttributePrefix + column (so
// they follow their record when it moves), and summarized in
// Resident.attributes as "source.column" -> newest value.
inline constexpr char kAttributePrefix = '@';
inline bool IsAttributeField(const std::string& field) {
  return !field.empty() && field[0] == kAttributePrefix;
}

struct GoldenOptions {
  // Source names in priority order, per canonical field. A field not listed
  // uses `default_priority`. Sources not listed rank after listed ones.
  // Default: police, civil, grid for identity fields; grid, police, civil for
  // current_address, phone and grid_code.
  std::map<std::string, std::vector<std::string>> field_priority = {
      {"current_address", {"grid", "police", "civil"}},
      {"phone", {"grid", "police", "civil"}},
      {"grid_code", {"grid", "police", "civil"}},
  };
  std::vector<std::string> default_priority = {"police", "civil", "grid"};
};

// Parses source priorities, e.g.
//   "default=police,civil,grid; current_address=grid,police; phone=grid"
// ("default" or a canonical field, '=', source names in priority order;
// entries separated by ';'). Fields not named keep GoldenOptions' defaults.
// kInvalidArgument naming the entry for an unknown field, an empty or
// repeated source, or a missing '='.
absl::StatusOr<GoldenOptions> ParseSourcePriority(std::string_view spec);

// Replaces the values, attributes and member entry of `record` in
// `resident` (adding the member if new). Golden fields are not touched:
// they are derived on read (RebuildGolden, StripGolden).
void UpsertMember(const wire::StoredRecord& record, wire::Resident* resident);

// Removes a member and its values. Returns false when the record was not a
// member.
bool RemoveMember(const std::string& source, const std::string& record_id,
                  wire::Resident* resident);

// Recomputes `fields`, `conflicts` and `attributes` from `values`.
void RebuildGolden(const GoldenOptions& options, wire::Resident* resident);

// Clears what RebuildGolden derives. The resident family stores residents
// so: the derived part is a fifth of a resident's bytes, rewritten whenever
// a record joins, and readers (ResidentQuery) rebuild it with the source
// priorities configured when they read, so a change of priorities applies
// to every resident at once.
void StripGolden(wire::Resident* resident);

// Residents are stored with each value's provenance given by its member's
// position in `records` (ProvenancedValue.member in schema/gridhub.thrift):
// source and record id once per member instead of on every value, a
// canonical field name as a one-byte code, and an address's province,
// city and county only as the slots of its region_key part (a value whose
// form would not come back exactly keeps its full form).
// StripProvenance writes that form
// (values whose record is not a member keep theirs); RestoreProvenance,
// after every decode from the resident family, brings back the full form
// and leaves values stored in it (older stores) as they are. The
// two are inverse: Restore(Strip(r)) == r. Storing residents a quarter
// smaller cut an import's CPU by 3-5% (README, "Performance").
void StripProvenance(wire::Resident* resident);
void RestoreProvenance(wire::Resident* resident);
// Decodes a value of the resident family into its full form (Decode, then
// RestoreProvenance): how every reader of the family reads a resident.
absl::Status DecodeResident(std::string_view bytes, wire::Resident* resident,
                            std::string_view what);

// Whether resolution reads `part` of a normalized value (compare.h,
// blocking.h): pinyin, and an address's key, region key and region, town,
// road and village. The others (house numbers, rooms, an ID number's or a
// date's pieces, a phone's kind, ...) are derived detail that nothing reads
// back: residents and stored records keep only the compared parts (a
// normalizer run, e.g. `hubctl normalize`, shows them all).
bool IsComparedPart(std::string_view part);

// The member records of `resident` as far as resolution needs them
// (normalized values, validity, flags and parts of every canonical field;
// no attributes, raw text or content hash), in the order of `records`.
std::vector<wire::StoredRecord> MemberRecords(const wire::Resident& resident);
// GbIdNumber of each member record, in the order of `records`: what
// GbIdNumber(MemberRecords(resident)[i]) gives, without building the
// records ("" for a member without a valid 18-character number).
std::vector<std::string> MemberGbIdNumbers(const wire::Resident& resident);

// Index keys (blocking.h) whose postings must list this resident: the block
// keys of every member record. None for a merged-away or empty resident.
std::set<std::string> IndexKeysOf(const wire::Resident& resident);

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_RESOLVE_GOLDEN_H_
