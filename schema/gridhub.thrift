// gridhub wire and storage schema, version 1.
//
// One schema serves the wire (Thrift calls between hubctl/clients and hubd)
// and the disk (values in RocksDB are these structs in Thrift's compact
// protocol). Field ids are forever: add fields with new ids, never reuse one.

// Small string maps read and built once per imported record are sorted
// vectors in C++ (cpp_type StringMap / FlatMap, schema/wire_map.h): one
// allocation instead of one per entry; the bytes on the wire are the same.
cpp_include "schema/wire_map.h"

namespace cpp gridhub.wire
namespace py gridhub

const i32 SCHEMA_VERSION = 1

// Canonical field names (also in schema/fields.h):
//   id_number, name, gender, birth_date, phone, household_address,
//   current_address, grid_code, ethnicity

// Why a caller reads resident data. Carried by every call that reads it.
struct RequestContext {
  1: required string purpose,        // e.g. "investigation", "benefit_review"
  2: optional string case_ref,       // required for some purposes (policy)
}

// One column value as it arrived, mapped to a canonical field or kept as an
// attribute of the source.
struct SourceRecord {
  1: required string source,                 // source name, e.g. "police"
  2: required string record_id,              // the source's own key
  3: required map cpp_type "StringMap" <string, string> fields,    // canonical field -> raw value
  4: optional map cpp_type "StringMap" <string, string> attributes,// other columns, verbatim
  5: optional i64 line,                      // line in the source file
  6: optional set<string> numeric_fields,    // fields read from numeric spreadsheet cells
}

// A row that could not be turned into a record, kept with its reason.
struct RejectedRow {
  1: required string source,
  2: required i64 line,
  3: required string reason_code,  // e.g. "column_count", "bad_encoding"
  4: required string message,
  5: optional binary raw,          // the row's bytes as read
}

// A value after normalization, with the repairs and doubts that explain it.
struct NormalizedValue {
  1: required string value,
  2: required bool valid,
  3: optional list<string> flags,
  4: optional string raw,
  5: optional map cpp_type "StringMap" <string, string> parts,  // derived: pinyin key, address parts, ...
}

// Stored in the `raw` family: the latest normalized record of a source.
struct StoredRecord {
  1: required string source,
  2: required string record_id,
  3: required map cpp_type "FlatMap<NormalizedValue>" <string, NormalizedValue> fields,
  4: optional map cpp_type "StringMap" <string, string> attributes,
  5: required string content_hash,     // hex SHA-256 of the record as received
  6: required i64 imported_at_ms,
  7: optional i64 line,
}

struct RecordRef {
  1: required string source,
  2: required string record_id,
}

// One field value of a resident with its provenance.
struct ProvenancedValue {
  1: required string field,
  2: required string value,
  3: required string source,
  4: required string record_id,
  5: required i64 observed_at_ms,
  6: optional list<string> flags,
  7: optional string match_key,   // not written since 6563b7f (conflicts compare the key/region_key parts); stores written before may hold it
  8: optional map cpp_type "StringMap" <string, string> parts,  // derived parts used to compare (pinyin, address parts); never shown
  // Only in the `resident` family, where a value's provenance would repeat
  // its member's (a fifth of a resident's bytes): the value belongs to
  // records[member], so source and record_id are stored empty and
  // observed_at_ms 0 except on the member's first value, and a canonical
  // field is named by field_code with `field` empty. Readers restore them
  // (RestoreProvenance, hub/resolve/golden.h); never set in an answer.
  9: optional i16 member,
  10: optional byte field_code,
}

// A field on which member records disagree.
struct FieldConflict {
  1: required string field,
  2: required list<ProvenancedValue> values,
}

// The unified record of one resident (the `resident` family).
// Something that happened to a resident: kept so links can be audited.
struct ResidentEvent {
  1: required i64 at_ms,
  // "merged_from" (other_resident folded in), "merged_into", "split_from"
  // (records taken out into other_resident), "split_to", "record_left"
  2: required string kind,
  3: optional string other_resident,
  4: optional list<RecordRef> records,
  5: optional string user,             // steward, or absent for automatic resolution
  6: optional string reason,           // "score", "same_id_number", "judged_match", "steward_merge", ...
}

struct Resident {
  1: required string entity_id,                  // stable, never reused
  2: required list<RecordRef> records,           // member source records
  3: required map cpp_type "StringMap" <string, string> fields,        // golden value per field
  4: required list<ProvenancedValue> values,     // every value, with provenance
  5: optional list<FieldConflict> conflicts,
  6: optional map cpp_type "StringMap" <string, string> attributes,    // "source.column" -> value
  7: optional string merged_into,                // set when merged away
  8: required i64 created_at_ms,
  9: required i64 updated_at_ms,
  10: optional list<string> masked_fields,       // fields shown masked (views)
  11: optional list<ResidentEvent> history,      // merges, splits, steward decisions (newest last)
}

struct ImportBatch {
  1: required string source,
  2: required list<SourceRecord> records,
  3: optional list<RejectedRow> rejected,
  4: optional string checkpoint,     // connector position after this batch
}

struct ImportResult {
  1: required i64 received,
  2: required i64 imported,          // new or changed records
  3: required i64 unchanged,
  4: required i64 rejected,
  5: required i64 residents_created,
  6: required i64 records_linked,    // records joined to an existing resident
  7: optional map<string, i64> reasons,  // rejection/quarantine reason code -> count
  8: optional i64 quarantined,           // records kept in quarantine (unusable values)
  9: optional map<string, i64> flags,    // "field:flag" -> count: repairs and doubts seen
  10: optional i64 review_queued,        // pairs queued for a steward's review
}

// A row or record kept out of the residents, with why (the `quarantine` family).
struct QuarantineEntry {
  1: required string source,
  2: optional i64 line,
  3: optional string record_id,
  4: required list<string> reasons,   // reason codes, e.g. "no_identity", "id_number:scientific_notation"
  5: required string message,
  6: optional SourceRecord record,    // record-level entries: the record as received (retryable)
  7: optional binary raw,             // row-level entries: the bytes as read
  8: required i64 quarantined_at_ms,
}

struct QuarantinePage {
  1: required list<QuarantineEntry> entries,
  2: optional string next_cursor,
}

struct RetryResult {
  1: required i64 retried,            // record-level entries tried again
  2: required i64 imported,           // now usable: imported and released
  3: required i64 still_quarantined,
  4: required i64 needs_reimport,     // row-level entries: fix the file and import again
  5: optional map<string, i64> reasons,
}

struct ExportPage {
  1: required list<Resident> residents,
  2: optional string next_cursor,    // absent at the end
}

struct ServerInfo {
  1: required string version,
  2: required i32 schema_version,
  3: required string user,
  4: required string department,
  5: required string role,
}

// Fellegi-Sunter match model (issue: identity resolution). Stored in `meta`.
// For each field, one entry per comparison level: m = P(level | same person),
// u = P(level | different people); weight = log2(m / u).
struct LevelProbability {
  1: required string level,   // "exact", "homophone", "typo", "partial", "different", "missing", ...
  2: required double m,
  3: required double u,
}

struct FieldModel {
  1: required string field,
  2: required list<LevelProbability> levels,
  3: optional bool term_frequency,   // exact matches weighted by how common the value is
}

struct MatchModel {
  1: required i32 version,
  2: required double prior,          // lambda: P(same person) among candidate pairs
  3: required list<FieldModel> fields,
  4: required double link_threshold, // total weight (log2) at or above which records link
  5: required double review_threshold, // between the two: queued for a steward
  6: optional i64 trained_at_ms,
  7: optional i64 training_pairs,
  8: optional i32 em_iterations,
}

// One field's part in a pair's score.
struct FieldEvidence {
  1: required string field,
  2: required string level,          // "exact", "homophone", "typo", "partial", "different", "missing"
  3: required double weight,         // bits (log2 of m/u); 0 for missing
  4: optional bool tf_adjusted,      // exact weight adjusted for how common the value is
}

// Why two source records are (or are not) the same person.
struct PairExplanation {
  1: required RecordRef a,
  2: required RecordRef b,
  3: required list<FieldEvidence> fields,
  4: required double prior_weight,
  5: required double total_weight,
  6: required double probability,
  7: required string decision,       // "link", "review", "no_link"
  // a rule that beat the score: "same_id_number", "different_id_numbers",
  // "judged_match", "judged_no_match"
  8: optional string rule,
  9: optional string resident_a,     // where each record is now
  10: optional string resident_b,
  // <= 0: phone, addresses and grid agree together for a whole household, so
  // their joint agreement is capped (included in total_weight)
  11: optional double household_adjustment,
}

struct MemberExplanation {
  1: required RecordRef record,
  // The strongest tie to another member (absent for a lone record).
  2: optional PairExplanation best,
}

struct ResidentExplanation {
  1: required string entity_id,
  2: required list<MemberExplanation> members,
  3: optional list<ResidentEvent> history,
}

// A pair scored between the review and link thresholds (or above the link
// threshold but with different valid ID numbers), awaiting a steward.
struct ReviewItem {
  1: required string pair_id,        // 16 hex characters
  2: required PairExplanation pair,
  3: required i64 queued_at_ms,
}

struct ReviewPage {
  1: required list<ReviewItem> items,
  2: optional string next_cursor,
}

// A steward's decision on a pair of records; later imports obey it.
struct Judgement {
  1: required RecordRef a,
  2: required RecordRef b,
  3: required string decision,       // "match" or "no_match"
  4: required string user,
  5: required i64 decided_at_ms,
  6: optional string note,
}

struct StewardResult {
  1: required list<string> residents,  // residents changed, survivor first
  2: optional string message,
}

// The caller is not known (no usable identity in its certificate).
exception Unauthenticated { 1: string message }
// A known caller may not do this (role, purpose, case reference, scope).
exception AccessDenied { 1: string message }
exception NotFound { 1: string message }
// The request is malformed; `field` names the offending argument.
exception InvalidRequest { 1: string message, 2: string field }
// The server failed; details are in the server log.
exception InternalError { 1: string message }

service GridHub {
  ServerInfo ping()
      throws (1: Unauthenticated unauth, 2: InternalError internal),

  ImportResult importBatch(1: ImportBatch batch)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: InvalidRequest invalid, 4: InternalError internal),

  // key: a resident id (R...) or an ID number in any accepted spelling.
  Resident getResident(1: RequestContext ctx, 2: string key)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: NotFound not_found, 4: InvalidRequest invalid,
              5: InternalError internal),

  // Quarantined rows and records, oldest key first; source "" = all.
  QuarantinePage listQuarantine(1: RequestContext ctx, 2: string source, 3: string cursor, 4: i32 limit)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: InvalidRequest invalid, 4: InternalError internal),

  // Normalizes quarantined records again (after a normalizer fix) and
  // imports those now usable; source "" = all.
  RetryResult retryQuarantine(1: RequestContext ctx, 2: string source)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: InvalidRequest invalid, 4: InternalError internal),

  // Pages through all live residents in id order; cursor "" starts.
  ExportPage exportResidents(1: RequestContext ctx, 2: string cursor, 3: i32 limit)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: InvalidRequest invalid, 4: InternalError internal),

  // --- Stewards: identity resolution (policy action "resolve") ---
  // Replies carry record refs, resident ids, comparison levels and weights,
  // never field values; record ids are redacted as in resident views. The
  // caller's certificate CN is recorded as the user of every decision.
  // InvalidRequest.field names the offending argument; a request the data
  // cannot support yet (e.g. too few pairs to train on) is InvalidRequest
  // with the reason.

  // Pairs awaiting a steward, by pair id after `cursor` ("" = from the
  // start), at most `limit` (1-10000).
  ReviewPage listReview(1: RequestContext ctx, 2: string cursor, 3: i32 limit)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: NotFound not_found, 4: InvalidRequest invalid,
              5: InternalError internal),

  // decision: "match" (merge the pair's residents, the older id survives)
  // or "no_match" (keep or move them apart); later imports obey it.
  StewardResult decideReview(1: RequestContext ctx, 2: string pair_id, 3: string decision,
                             4: string note)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: NotFound not_found, 4: InvalidRequest invalid,
              5: InternalError internal),

  // Folds resident `other` into `keep` (the older id survives whichever is
  // named first); residents = [survivor, merged-away].
  StewardResult mergeResidents(1: RequestContext ctx, 2: string keep, 3: string other,
                               4: string note)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: NotFound not_found, 4: InvalidRequest invalid,
              5: InternalError internal),

  // Moves `records` (members of `resident`) into a new resident;
  // residents = [resident, new id].
  StewardResult splitResident(1: RequestContext ctx, 2: string resident,
                              3: list<RecordRef> records, 4: string note)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: NotFound not_found, 4: InvalidRequest invalid,
              5: InternalError internal),

  // Why each member record belongs to `resident` (a resident id).
  ResidentExplanation explainResident(1: RequestContext ctx, 2: string resident)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: NotFound not_found, 4: InvalidRequest invalid,
              5: InternalError internal),

  // The score of two stored records, linked or not.
  PairExplanation explainPair(1: RequestContext ctx, 2: RecordRef a, 3: RecordRef b)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: NotFound not_found, 4: InvalidRequest invalid,
              5: InternalError internal),

  // The match model in use (the stored one, else the built-in default).
  MatchModel getModel(1: RequestContext ctx)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: NotFound not_found, 4: InvalidRequest invalid,
              5: InternalError internal),

  // Re-estimates the model by EM from the stored data and uses it for later
  // imports.
  MatchModel trainModel(1: RequestContext ctx)
      throws (1: Unauthenticated unauth, 2: AccessDenied denied,
              3: NotFound not_found, 4: InvalidRequest invalid,
              5: InternalError internal),
}
