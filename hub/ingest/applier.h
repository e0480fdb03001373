// hub/ingest/applier.h: one atomic unit of change to the resident store: a
// batch of imported records, or a steward's merge, split or judgement.
//
// Private to hub/ingest (ingest.cc, steward.cc). Everything goes through an
// Overlay, so later steps of the unit read earlier ones, and Finish() hands
// back one WriteSet: raw records, links, residents, index postings, review
// items, judgements, quarantine entries and counters together.
//
// Resolving one record (Apply):
//   1. Candidates: residents listed under the record's probe keys
//      (blocking.h: its block keys and those it only looks under) that are
//      not common values, its current resident, and
//      the residents of records a steward judged about it.
//   2. For each candidate, the record is scored against every member record
//      (resolver.h); the best member decides: a steward's "match" links, a
//      "no_match" keeps apart, the same valid ID number links, different
//      valid ID numbers never link, else the score against the model's
//      thresholds (link, review, nothing).
//   3. The record joins every linked resident; when it links several they
//      are merged (the oldest id survives, the others keep a merged-into
//      pointer and a history entry), except that residents with different
//      valid ID numbers or with a steward's "no_match" between them are
//      never merged: the strongest link wins and the rest go to review.
//   4. A record that no longer links to its resident's other members leaves
//      it for a resident of its own.
//   5. Pairs scored between the thresholds are queued for review unless
//      the two records ended up together.
// Candidates that cannot be one person (different valid ID numbers, a
// steward's no_match) are never chosen between by a narrow score: unless
// one is kClearMargin bits ahead, nothing links and a steward decides, and
// a member without an ID number that turns out to fit a newcomer as well as
// its own resident is taken out again (DetachIfAmbiguous). So which of two
// similar people arrived first does not decide where a third record goes.
//
// Not thread-safe: one unit at a time under the Ingestor's lock.
#ifndef GRIDHUB_HUB_INGEST_APPLIER_H_
#define GRIDHUB_HUB_INGEST_APPLIER_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gridhub_types.h"
#include "hub/ingest/ingest.h"
#include "hub/ingest/overlay.h"
#include "hub/ingest/workers.h"
#include "hub/resolve/model.h"
#include "hub/resolve/resolver.h"
#include "hub/store/keys.h"
#include "schema/normalize.h"

namespace gridhub::hub {

// The record key (keys::Record) of a reference.
inline std::string RecordKey(const wire::RecordRef& ref) {
  return keys::Record(ref.source, ref.record_id);
}

// Term frequencies are relative to at least this many residents, so the
// first records of a new hub do not count every name as unique-and-common
// (1 / kMinFrequencyBase equals the model's frequency floor).
inline constexpr double kMinFrequencyBase = 1.0 / kTermFrequencyFloor;

// What resolution needs of a record that does not depend on other records
// of the unit: its content hash, its normalized form, and the committed
// state of the keys it will read (raw record's hash, link, quarantine entry,
// the postings of its block keys and the residents they list). Pure
// functions and store reads, so records are prepared on several threads
// ahead of the sequential resolution (Applier::ApplyBatch); Apply uses the
// committed state only for keys this unit has not read or written yet.
struct PreparedRecord {
  std::string hash;                        // "" until computed (PreNormalize or Prepare)
  bool looked_up = false;                  // the committed state below was read
  std::optional<std::string> stored_hash;  // content hash of the stored record
  std::optional<std::string> link;
  bool quarantined = false;
  bool normalized = false;             // the four below are set (not when unchanged)
  std::vector<std::string> reasons;    // UnusableReasons: quarantined when not empty
  FlatMap<schema::Normalized> fields;  // when `reasons` is not empty
  wire::StoredRecord record;           // when `reasons` is empty
  std::string encoded_record;          // `record`, encoded (idem)
  // The record's block keys (BlockKeys: sorted), the keys it finds its
  // candidates under (ProbeKeys: sorted, a superset), their committed
  // postings in the order of probe_keys (absent keys: empty; none when they
  // could not be read) and the residents they make candidates, decoded.
  std::vector<std::string> block_keys;
  std::vector<std::string> probe_keys;
  std::vector<keys::Posting> postings;
  std::map<std::string, wire::Resident> residents;

  // The committed posting of `key` if it is one of probe_keys and was read.
  keys::Posting* FindPosting(std::string_view key);
};

// Whether `family` holds any key starting with `prefix`.
absl::StatusOr<bool> AnyKeyWithPrefix(const KvStore* store, Family family, std::string_view prefix);

// Whether any of `records` (all of one source) may be stored already: false
// when the raw family holds no record of their source between the
// smallest and the largest of their record ids (one seek). Records read
// from a file in the order of their ids, as a first import's are, then need
// no lookup each; records in no order mostly do.
absl::StatusOr<bool> MayBeStored(const KvStore* store,
                                 const std::vector<wire::SourceRecord>& records);

// The options an import normalizes with: the home county, and today's date (once
// per batch, not a local-time conversion per record and field).
schema::NormalizeOptions ImportNormalizeOptions(const IngestOptions& options);

// The part of preparing a record that depends on no other record: its
// content hash, and unless the store already holds the record unchanged
// (a hint: Apply decides again), its normalized form and block keys. No
// lock needed: run for the next batch while the previous one is applied
// (Ingestor::Preprocess). Sets out->hash. `store` may be null: no hint,
// the record is normalized (nothing of its source is stored yet).
void PreNormalize(const KvStore* store, const wire::SourceRecord& in,
                  const schema::NormalizeOptions& normalize, int64_t now, PreparedRecord* out);

class Applier {
 public:
  Applier(const KvStore* store, const IngestOptions& options, const Model& model, int64_t now);

  // Reads the id counter and whether any judgement exists.
  absl::Status Begin();

  // Normalizes, stores and resolves one source record. `prepared`, when
  // given, is PrepareRecord's result for `in` (consumed).
  absl::Status Apply(const wire::SourceRecord& in, PreparedRecord* prepared = nullptr);
  // Applies `records` in order, preparing them on the caller's thread and
  // on `helpers` (nullptr: none) ahead of the resolution, which stays on the
  // caller's thread.
  // `pre`, when given, holds PreNormalize's result for each of `records`
  // (consumed).
  absl::Status ApplyBatch(const std::vector<wire::SourceRecord>& records, Workers* helpers,
                          std::vector<PreparedRecord>* pre = nullptr);
  // Keeps a row that could not be read.
  void Reject(const wire::RejectedRow& row);
  void Checkpoint(const std::string& source, const std::string& checkpoint);

  // --- steward operations (steward.cc) ---
  // The live resident `id` follows merged-into pointers; kNotFound if none.
  absl::StatusOr<std::string> LiveResident(const std::string& id);
  // Merges `b` into `a` (or the other way: the older survives); returns the
  // survivor. Both must be live and different.
  absl::StatusOr<std::string> MergeResidents(const std::string& a, const std::string& b,
                                             const std::string& user, const std::string& reason);
  // Moves member records into a new resident; returns its id.
  absl::StatusOr<std::string> MoveToNewResident(const std::string& resident,
                                                const std::vector<wire::RecordRef>& records,
                                                const std::string& user, const std::string& reason);
  // Stores a judgement (both directions) and drops the pair's review item.
  absl::Status Judge(const wire::Judgement& judgement);
  // The resident a stored record belongs to ("" when not stored).
  absl::StatusOr<std::string> ResidentOf(const wire::RecordRef& ref);
  // A stored record, or kNotFound.
  absl::StatusOr<wire::StoredRecord> StoredRecordOf(const wire::RecordRef& ref);
  // The steward's decision on a pair of records ("match", "no_match"), or "".
  absl::StatusOr<std::string> JudgementBetween(const wire::RecordRef& a, const wire::RecordRef& b);
  // Term frequency of a field value, as resolution uses it.
  FrequencyFn Frequency();

  // Everything pending, as one WriteSet; resident and posting writes are
  // flushed first. Residents are stored without their golden fields,
  // conflicts and attribute summary (StripGolden): only result() may be
  // used after it. Many changed residents are encoded on `helpers` too.
  absl::StatusOr<WriteSet> Finish(Workers* helpers = nullptr);

  wire::ImportResult& result() { return result_; }

 private:
  struct Loaded {
    wire::Resident resident;
    std::vector<std::string> index_before;  // sorted, unique; valid when index_known
    bool index_known = false;
    // Block keys of members (by record key) as computed since the resident
    // was loaded: a member's values change only when the member is upserted,
    // which replaces its entry. Spares IndexKeys rebuilding every member.
    std::map<std::string, std::vector<std::string>> member_keys;
  };
  struct CachedPosting {
    keys::Posting posting;
    bool changed = false;
  };
  struct Verdict {
    std::string resident;
    bool link = false;       // would link on its own
    bool review = false;     // between thresholds (or link over an ID conflict)
    int strength = 0;        // 3 judged match, 2 same ID, 1 score
    double weight = 0;
    std::string member_key;  // the best member (keys::Record)
    wire::StoredRecord member;
    PairScore score;
    bool ambiguous_member = false;  // see DetachIfAmbiguous
  };

  absl::StatusOr<Loaded*> Load(const std::string& id);
  // IndexKeysOf(l->resident), from l->member_keys where they are known:
  // sorted, without repeats.
  std::vector<std::string> IndexKeys(Loaded* l);
  Loaded* Create();
  absl::Status SaveAll();
  // The posting of an index key, to change: read once per unit and
  // written at Finish if changed.
  absl::StatusOr<CachedPosting*> GetPosting(const std::string& key);
  // The posting of an index key, to read: as GetPosting, but a committed
  // posting the record being applied has prepared is not copied.
  absl::StatusOr<const keys::Posting*> PeekPosting(const std::string& key);
  // Marks a resident as about to change (call before changing it): its
  // index keys before the change are remembered for the posting update.
  absl::Status Touch(Loaded* l);
  // As Touch, before a record that is not yet a member joins `l` with
  // block keys `keys`. When l's keys before are not known and none of
  // `keys` is common, the change to the postings is only that those keys
  // gain the resident, and they are changed here: the keys of the members
  // before are not rebuilt (most links of an import are such an append),
  // and SaveAll leaves l's postings alone while its keys stay unknown.
  absl::Status TouchToAppend(Loaded* l, const std::vector<std::string>& keys);
  // `before` and `after` sorted, without repeats.
  absl::Status UpdatePostings(const std::string& id, const std::vector<std::string>& before,
                              const std::vector<std::string>& after);
  // Judgements about record `record_key`: other record key -> "match"/"no_match".
  absl::StatusOr<std::map<std::string, std::string>> JudgementsOf(const std::string& record_key);
  // Whether any member of `a` was judged no_match with a member of `b`.
  absl::StatusOr<bool> KeptApart(const wire::Resident& a, const wire::Resident& b);
  absl::Status MergeInto(Loaded* survivor, Loaded* other, const std::string& user,
                         const std::string& reason);
  void AddEvent(wire::Resident* r, const std::string& kind, const std::string& other,
                std::vector<wire::RecordRef> records, const std::string& user,
                const std::string& reason);
  absl::Status Resolve(const wire::StoredRecord& rec, const std::string& rkey,
                       const std::string& current);
  void QueueReview(const wire::StoredRecord& a, const std::string& key_a,
                   const wire::StoredRecord& b, const std::string& key_b, const PairScore& score);
  // The record under resolution links to v.member (no ID number of its own)
  // but not to v.resident (different ID numbers). Unless the member is
  // clearly (kClearMargin) more tied to its resident than to the record, it
  // leaves: when it clearly fits the record better, the returned verdict
  // links the record to the member's new resident; otherwise it is
  // ambiguous between two people, stays alone, and its strongest tie is
  // queued for review, as the record's pair is.
  absl::StatusOr<std::optional<Verdict>> DetachIfAmbiguous(const Verdict& v);
  void QuarantineRecord(const wire::SourceRecord& in, const std::vector<std::string>& reasons);

  // A key's value: the prepared committed one unless this unit wrote it.
  absl::StatusOr<std::optional<std::string>> Read(Family family, const std::string& key,
                                                  const PreparedRecord* prepared,
                                                  const std::optional<std::string>& committed);

  const KvStore* store_;
  Overlay overlay_;
  // The record being applied, when prepared: its committed postings and
  // residents serve GetPosting and Load.
  PreparedRecord* prepared_ = nullptr;
  const IngestOptions& options_;
  const Model& model_;
  schema::NormalizeOptions normalize_;
  const int64_t now_;
  int64_t next_id_ = 1;
  int64_t first_id_ = 1;
  bool has_judgements_ = false;
  // Residents read or changed by this unit (node map: pointers stay valid).
  absl::node_hash_map<std::string, Loaded> loaded_;
  std::set<std::string> dirty_;           // changed since the last SaveAll
  std::set<std::string> changed_;         // changed by this unit: written at Finish
  absl::node_hash_map<std::string, CachedPosting> postings_;
  wire::ImportResult result_;
};

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_INGEST_APPLIER_H_
