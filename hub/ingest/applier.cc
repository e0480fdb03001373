#include "hub/ingest/applier.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "hub/resolve/blocking.h"
#include "hub/resolve/golden.h"
#include "hub/store/codec.h"
#include "schema/fields.h"
#include "schema/status.h"

namespace gridhub::hub {
namespace {


// Hex SHA-256 over the record as received: fields, attributes and numeric
// markers (sorted containers), each part length-prefixed so no two records
// collide by concatenation.
std::string ContentHash(const wire::SourceRecord& in) {
  std::string buf;
  buf.reserve(1024);  // most records' text fits: one allocation
  auto add = [&buf](const std::string& s) {
    absl::StrAppend(&buf, s.size(), ":", s);
  };
  // A new normalizer version makes every record "changed" once, so a
  // re-import stores values normalized the current way.
  absl::StrAppend(&buf, "v", schema::kNormalizerVersion, ";");
  add(in.source);
  add(in.record_id);
  buf.push_back('F');
  for (const auto& [k, v] : in.fields) { add(k); add(v); }
  buf.push_back('A');
  for (const auto& [k, v] : in.attributes) { add(k); add(v); }
  buf.push_back('N');
  for (const auto& f : in.numeric_fields) add(f);
  return HexSha256(buf);
}

// The content hash of a stored record (keys::Record in the raw family).
absl::StatusOr<std::string> StoredHash(std::string_view bytes) {
  wire::StoredRecord old;
  GRIDHUB_RETURN_IF_ERROR(Decode(bytes, &old, "stored record"));
  return std::move(old.content_hash);
}

// Normalizes and cross-checks every field of a record.
FlatMap<schema::Normalized> NormalizeFields(const wire::SourceRecord& in,
                                            const schema::NormalizeOptions& base) {
  FlatMap<schema::Normalized> out;
  out.reserve(in.fields.size());
  schema::NormalizeOptions options = base;
  for (const auto& [field, raw] : in.fields) {
    options.spreadsheet_number = in.numeric_fields.count(field) > 0;
    // In order: each field goes last.
    out.emplace_hint(out.end(), field, schema::NormalizeField(field, raw, options));
  }
  schema::CrossCheck(&out);
  return out;
}

// Reason codes when a record has no usable identity, else empty.
std::vector<std::string> UnusableReasons(const FlatMap<schema::Normalized>& fields) {
  auto usable = [&](std::string_view f) {
    auto it = fields.find(f);
    return it != fields.end() && it->second.valid;
  };
  if (usable(schema::kIdNumber) || usable(schema::kName)) return {};
  std::vector<std::string> reasons = {"no_identity"};
  for (std::string_view f : {schema::kIdNumber, schema::kName}) {
    auto it = fields.find(std::string(f));
    if (it == fields.end()) {
      reasons.push_back(absl::StrCat(std::string(f), ":missing"));
    } else if (!it->second.flags.empty()) {
      // The reason is the first flag that is not a repair.
      const std::string* reason = &it->second.flags.back();
      for (const auto& flag : it->second.flags) {
        if (!schema::IsRepairFlag(flag)) {
          reason = &flag;
          break;
        }
      }
      reasons.push_back(absl::StrCat(std::string(f), ":", *reason));
    } else {
      reasons.push_back(absl::StrCat(std::string(f), ":invalid"));
    }
  }
  return reasons;
}

wire::StoredRecord ToStoredRecord(const wire::SourceRecord& in,
                                  FlatMap<schema::Normalized> fields,
                                  std::string hash, int64_t now) {
  wire::StoredRecord rec;
  rec.source = in.source;
  rec.record_id = in.record_id;
  // The normalized fields move, in order, to the end of the record's map.
  rec.fields.reserve(fields.size());
  for (auto& [field, n] : fields) {
    wire::NormalizedValue nv;
    nv.value = std::move(n.value);
    nv.valid = n.valid;
    nv.flags = std::move(n.flags);
    nv.__isset.flags = !nv.flags.empty();
    nv.raw = in.fields.at(field);
    nv.__isset.raw = true;
    // Only the parts resolution reads are stored: the others were a quarter
    // of a stored record's bytes, written, flushed and compacted for
    // nothing (nothing reads them back).
    // (One pass over the sorted entries: erasing them one by one would move
    // the rest each time.)
    auto parts = n.parts.extract_sequence();
    parts.erase(std::remove_if(parts.begin(), parts.end(),
                               [](const auto& part) { return !IsComparedPart(part.first); }),
                parts.end());
    nv.parts.adopt_sequence(boost::container::ordered_unique_range, std::move(parts));
    nv.__isset.parts = !nv.parts.empty();
    rec.fields.emplace_hint(rec.fields.end(), std::move(field), std::move(nv));
  }
  rec.attributes = in.attributes;
  rec.__isset.attributes = !rec.attributes.empty();
  rec.content_hash = std::move(hash);
  rec.imported_at_ms = now;
  if (in.__isset.line) {
    rec.line = in.line;
    rec.__isset.line = true;
  }
  return rec;
}


// Normalizes `in` into `out` (fields and reasons, or the stored record).
void NormalizeInto(const wire::SourceRecord& in, const schema::NormalizeOptions& normalize,
                   int64_t now, PreparedRecord* out) {
  FlatMap<schema::Normalized> fields = NormalizeFields(in, normalize);
  out->reasons = UnusableReasons(fields);
  if (out->reasons.empty()) {
    out->record = ToStoredRecord(in, std::move(fields), out->hash, now);
    out->encoded_record = Encode(out->record);
  } else {
    out->fields = std::move(fields);
  }
  out->normalized = true;
}

// Reads the committed postings of each record's block keys and the residents
// they make candidates (as Applier::Resolve chooses them), and its current
// resident, for several records at once: one read of the index and one of
// the residents for all of them, so the engine overlaps their memory
// accesses (bloom filter probes) instead of taking them one record at a
// time. A record whose state cannot be read (a store error, an unreadable
// value) is left without postings and residents: Apply reads them itself.
void PrefetchCandidates(const KvStore* store, const std::vector<PreparedRecord*>& records) {
  if (records.empty()) return;
  std::vector<std::string> probes;
  std::vector<size_t> first(records.size() + 1, 0);
  for (size_t r = 0; r < records.size(); ++r) {
    PreparedRecord* out = records[r];
    if (out->block_keys.empty()) out->block_keys = BlockKeys(out->record);
    if (out->probe_keys.empty()) out->probe_keys = ProbeKeys(out->record, out->block_keys);
    first[r] = probes.size();
    probes.insert(probes.end(), out->probe_keys.begin(), out->probe_keys.end());
  }
  first[records.size()] = probes.size();
  std::vector<std::optional<std::string>> values;
  if (!store->MultiGet(Family::kIndex, probes, &values).ok()) return;
  // Few candidates per record (about one): vectors, sorted and made unique
  // at the end, cost less than a map's node per resident.
  // A record left unread: Apply reads its postings and residents itself.
  auto forget = [](PreparedRecord* out) {
    out->postings.clear();
    out->residents.clear();
  };
  std::vector<std::vector<std::string>> ids(records.size());
  std::vector<bool> readable(records.size(), true);
  std::vector<std::string> all_ids;
  for (size_t r = 0; r < records.size(); ++r) {
    PreparedRecord* out = records[r];
    out->postings.reserve(out->probe_keys.size());
    for (size_t i = first[r]; i < first[r + 1]; ++i) {
      keys::Posting posting;
      if (values[i] && !keys::DecodePosting(*values[i], &posting)) {
        readable[r] = false;
        break;
      }
      if (!posting.common() && FindsCandidates(probes[i])) {
        ids[r].insert(ids[r].end(), posting.residents.begin(), posting.residents.end());
      }
      out->postings.push_back(std::move(posting));
    }
    if (!readable[r]) {
      forget(out);
      continue;
    }
    std::vector<std::string>& mine = ids[r];
    std::sort(mine.begin(), mine.end());
    mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
    if (out->link && !std::binary_search(mine.begin(), mine.end(), *out->link)) {
      mine.insert(std::lower_bound(mine.begin(), mine.end(), *out->link), *out->link);
    }
    all_ids.insert(all_ids.end(), mine.begin(), mine.end());
  }
  std::sort(all_ids.begin(), all_ids.end());
  all_ids.erase(std::unique(all_ids.begin(), all_ids.end()), all_ids.end());
  if (!store->MultiGet(Family::kResident, all_ids, &values).ok()) {
    for (PreparedRecord* out : records) forget(out);
    return;
  }
  for (size_t r = 0; r < records.size(); ++r) {
    if (!readable[r]) continue;
    PreparedRecord* out = records[r];
    for (const std::string& id : ids[r]) {
      const size_t at = static_cast<size_t>(
          std::lower_bound(all_ids.begin(), all_ids.end(), id) - all_ids.begin());
      if (!values[at]) continue;
      wire::Resident resident;
      if (!DecodeResident(*values[at], &resident, "resident").ok()) {
        forget(out);
        break;
      }
      out->residents.emplace(id, std::move(resident));
    }
  }
}

// Fills `out` for `in` (see PreparedRecord). Store errors leave the
// committed state unread; Apply then reads it itself.
// `quarantine_empty`: the source has no record in quarantine (no lookup);
// `none_stored`: none of the batch's records is stored (MayBeStored; no
// lookup).
// true when the record needs its candidates read (PrefetchCandidates).
bool Prepare(const KvStore* store, const wire::SourceRecord& in, bool quarantine_empty,
             bool none_stored, const schema::NormalizeOptions& normalize, int64_t now,
             PreparedRecord* out) {
  if (out->hash.empty()) out->hash = ContentHash(in);
  const std::string rkey = keys::Record(in.source, in.record_id);
  absl::StatusOr<std::optional<std::string>> raw = std::optional<std::string>();
  if (!none_stored) raw = store->Get(Family::kRaw, rkey);
  // A link is written with its raw record and never without one: a record
  // not stored yet (most of a first import) has none to look up.
  absl::StatusOr<std::optional<std::string>> link = std::optional<std::string>();
  if (raw.ok() && raw->has_value()) link = store->Get(Family::kLink, rkey);
  absl::StatusOr<std::optional<std::string>> quarantined = std::optional<std::string>();
  if (!quarantine_empty) {
    quarantined = store->Get(Family::kQuarantine, keys::QuarantineRecord(in.source, in.record_id));
  }
  if (raw.ok() && link.ok() && quarantined.ok()) {
    bool readable = true;
    if (*raw) {
      absl::StatusOr<std::string> stored = StoredHash(**raw);
      readable = stored.ok();
      if (readable) out->stored_hash = *std::move(stored);
    }
    if (readable) {
      out->looked_up = true;
      out->link = std::move(*link);
      out->quarantined = quarantined->has_value();
    }
  }
  if (out->looked_up && out->stored_hash == out->hash) return false;  // unchanged
  if (!out->normalized) NormalizeInto(in, normalize, now, out);
  return out->looked_up && out->reasons.empty();
}

}  // namespace

absl::StatusOr<bool> AnyKeyWithPrefix(const KvStore* store, Family family, std::string_view prefix) {
  bool found = false;
  GRIDHUB_RETURN_IF_ERROR(store->Scan(family, prefix, "", [&found](std::string_view, std::string_view) {
    found = true;
    return false;
  }));
  return found;
}

absl::StatusOr<bool> MayBeStored(const KvStore* store,
                                 const std::vector<wire::SourceRecord>& records) {
  if (records.empty()) return false;
  const std::string& source = records.front().source;
  const std::string* lo = &records.front().record_id;
  const std::string* hi = lo;
  for (const auto& r : records) {
    if (r.source != source) return true;  // not asked across sources
    if (r.record_id < *lo) lo = &r.record_id;
    if (*hi < r.record_id) hi = &r.record_id;
  }
  // Keys of one source sort by record id (keys::Record).
  const std::string last = keys::Record(source, *hi);
  bool found = false;
  GRIDHUB_RETURN_IF_ERROR(store->Scan(Family::kRaw, keys::Record(source, ""),
                                      keys::Record(source, *lo),
                                      [&](std::string_view key, std::string_view) {
                                        found = key <= last;
                                        return false;
                                      }));
  return found;
}

schema::NormalizeOptions ImportNormalizeOptions(const IngestOptions& options) {
  schema::NormalizeOptions normalize;
  normalize.home_county = options.home_county;
  // Today's date once per batch: from the system clock, a local-time
  // conversion per record and field.
  normalize.today_yyyymmdd = schema::TodayYyyymmdd(normalize);
  return normalize;
}

void PreNormalize(const KvStore* store, const wire::SourceRecord& in,
                  const schema::NormalizeOptions& normalize, int64_t now, PreparedRecord* out) {
  out->hash = ContentHash(in);
  // A record stored unchanged (most of a repeated import) needs no
  // normalization. Only a hint: a batch being applied meanwhile may change
  // the stored record, and Prepare reads it again.
  if (store != nullptr) {
    auto raw = store->Get(Family::kRaw, keys::Record(in.source, in.record_id));
    if (raw.ok() && raw->has_value()) {
      absl::StatusOr<std::string> stored = StoredHash(**raw);
      if (stored.ok() && *stored == out->hash) return;
    }
  }
  NormalizeInto(in, normalize, now, out);
  if (out->reasons.empty()) {
    out->block_keys = BlockKeys(out->record);
    out->probe_keys = ProbeKeys(out->record, out->block_keys);
  }
}

namespace {

wire::RecordRef Ref(const std::string& source, const std::string& record_id) {
  wire::RecordRef ref;
  ref.source = source;
  ref.record_id = record_id;
  return ref;
}

constexpr size_t kMaxHistory = 200;
// How much better (bits) the best of two candidates that cannot be one
// person must score to be linked without a steward: 2^6 = 64 times likelier.
constexpr double kClearMargin = 6.0;
constexpr std::string_view kMetaJudgements = "judgements";
// How many records ApplyBatch's helpers prepare ahead of the resolution.
constexpr size_t kPrepareAhead = 256;
// How many records ApplyBatch's helpers prepare together (one read of the
// index and one of the residents for all of them).
constexpr size_t kPrepareGroup = 32;
// Fewest changed residents Finish encodes on two threads.
constexpr size_t kParallelEncodeMin = 256;
// How often (records) the resolving thread tells them how far it is.
constexpr size_t kPrepareNotify = 32;

}  // namespace

keys::Posting* PreparedRecord::FindPosting(std::string_view key) {
  if (postings.size() != probe_keys.size()) return nullptr;  // not read
  auto it = std::lower_bound(probe_keys.begin(), probe_keys.end(), key);
  if (it == probe_keys.end() || *it != key) return nullptr;
  return &postings[static_cast<size_t>(it - probe_keys.begin())];
}

Applier::Applier(const KvStore* store, const IngestOptions& options, const Model& model,
                 int64_t now)
    : store_(store),
      overlay_(store),
      options_(options),
      model_(model),
      normalize_(ImportNormalizeOptions(options)),
      now_(now) {}

absl::Status Applier::Begin() {
  GRIDHUB_ASSIGN_OR_RETURN(auto next, overlay_.Get(Family::kMeta, keys::kMetaNextResident));
  next_id_ = 1;
  if (next && !absl::SimpleAtoi(*next, &next_id_)) {
    return absl::DataLossError("meta next_resident_id is not a number");
  }
  first_id_ = next_id_;
  GRIDHUB_ASSIGN_OR_RETURN(auto shape, overlay_.Get(Family::kMeta, keys::kMetaIndexShape));
  const std::string current = absl::StrCat(kBlockKeysVersion);
  if (next_id_ == 1 && !shape) {
    // A new store: stamped with this version's block keys (blocking.h).
    overlay_.Put(Family::kMeta, std::string(keys::kMetaIndexShape), current);
  } else if (shape.value_or("1") != current) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the store's index has block keys of shape ", shape.value_or("1"), " and this version uses ",
        current, ": new records would not find its residents; rebuild the store by importing the "
        "sources into an empty data directory"));
  }
  GRIDHUB_ASSIGN_OR_RETURN(auto judged, overlay_.Get(Family::kMeta, kMetaJudgements));
  has_judgements_ = judged.has_value();
  return absl::OkStatus();
}

void Applier::Reject(const wire::RejectedRow& row) {
  wire::QuarantineEntry entry;
  entry.source = row.source;
  entry.line = row.line;
  entry.__isset.line = true;
  entry.reasons = {row.reason_code};
  entry.message = row.message;
  entry.raw = row.raw;
  entry.__isset.raw = row.__isset.raw;
  entry.quarantined_at_ms = now_;
  overlay_.Put(Family::kQuarantine,
               keys::QuarantineRow(row.source, row.line, HexSha256(row.raw, 16)), Encode(entry));
  ++result_.rejected;
  ++result_.reasons[row.reason_code];
  result_.__isset.reasons = true;
}

void Applier::Checkpoint(const std::string& source, const std::string& checkpoint) {
  overlay_.Put(Family::kMeta, keys::MetaCheckpoint(source), checkpoint);
}

void Applier::QuarantineRecord(const wire::SourceRecord& in,
                               const std::vector<std::string>& reasons) {
  wire::QuarantineEntry entry;
  entry.source = in.source;
  entry.record_id = in.record_id;
  entry.__isset.record_id = true;
  if (in.__isset.line) {
    entry.line = in.line;
    entry.__isset.line = true;
  }
  entry.reasons = reasons;
  entry.message = "no usable identity: neither a valid ID number nor a valid name";
  entry.record = in;
  entry.__isset.record = true;
  entry.quarantined_at_ms = now_;
  overlay_.Put(Family::kQuarantine, keys::QuarantineRecord(in.source, in.record_id),
               Encode(entry));
  result_.quarantined = result_.quarantined + 1;
  result_.__isset.quarantined = true;
  for (const auto& r : reasons) ++result_.reasons[r];
  result_.__isset.reasons = true;
}

// ---- residents and postings ----

absl::StatusOr<Applier::Loaded*> Applier::Load(const std::string& id) {
  auto it = loaded_.find(id);
  if (it != loaded_.end()) return &it->second;
  if (prepared_ != nullptr && !overlay_.Pending(Family::kResident, id)) {
    if (auto p = prepared_->residents.find(id); p != prepared_->residents.end()) {
      Loaded out;
      out.resident = std::move(p->second);
      prepared_->residents.erase(p);
      return &loaded_.emplace(id, std::move(out)).first->second;
    }
  }
  GRIDHUB_ASSIGN_OR_RETURN(auto bytes, overlay_.Get(Family::kResident, id));
  if (!bytes) return absl::NotFoundError(absl::StrCat("resident ", id, " does not exist"));
  Loaded out;
  GRIDHUB_RETURN_IF_ERROR(DecodeResident(*bytes, &out.resident, absl::StrCat("resident ", id)));
  return &loaded_.emplace(id, std::move(out)).first->second;
}

Applier::Loaded* Applier::Create() {
  const std::string id = keys::ResidentId(static_cast<uint64_t>(next_id_++));
  Loaded& l = loaded_[id];
  l.resident.entity_id = id;
  l.resident.created_at_ms = now_;
  l.resident.updated_at_ms = now_;
  l.index_known = true;  // a new resident has no keys yet
  dirty_.insert(id);
  return &l;
}

absl::StatusOr<Applier::CachedPosting*> Applier::GetPosting(const std::string& key) {
  auto it = postings_.find(key);
  if (it != postings_.end()) return &it->second;
  CachedPosting posting;
  if (prepared_ != nullptr && !overlay_.Pending(Family::kIndex, key)) {
    if (keys::Posting* p = prepared_->FindPosting(key)) {
      posting.posting = std::move(*p);  // postings_ is asked first from now on
      return &postings_.emplace(key, std::move(posting)).first->second;
    }
  }
  GRIDHUB_ASSIGN_OR_RETURN(auto bytes, overlay_.Get(Family::kIndex, key));
  if (bytes && !keys::DecodePosting(*bytes, &posting.posting)) {
    return absl::DataLossError("an index posting is unreadable");
  }
  return &postings_.emplace(key, std::move(posting)).first->second;
}

absl::StatusOr<const keys::Posting*> Applier::PeekPosting(const std::string& key) {
  if (auto it = postings_.find(key); it != postings_.end()) return &it->second.posting;
  if (prepared_ != nullptr && !overlay_.Pending(Family::kIndex, key)) {
    if (const keys::Posting* p = prepared_->FindPosting(key)) return p;
  }
  GRIDHUB_ASSIGN_OR_RETURN(CachedPosting * cached, GetPosting(key));
  return &cached->posting;
}

std::vector<std::string> Applier::IndexKeys(Loaded* l) {
  std::vector<std::string> out;
  const wire::Resident& r = l->resident;
  if (r.records.empty() || r.__isset.merged_into) return out;
  // Each member's keys, found by its record key (built once per member).
  std::vector<const std::vector<std::string>*> known(r.records.size(), nullptr);
  bool all_known = true;
  for (size_t i = 0; i < r.records.size(); ++i) {
    auto it = l->member_keys.find(RecordKey(r.records[i]));
    if (it == l->member_keys.end()) {
      all_known = false;
    } else {
      known[i] = &it->second;
    }
  }
  if (!all_known) {
    for (const wire::StoredRecord& m : MemberRecords(r)) {
      std::string key = keys::Record(m.source, m.record_id);
      if (!l->member_keys.count(key)) l->member_keys.emplace(std::move(key), BlockKeys(m));
    }
    for (size_t i = 0; i < r.records.size(); ++i) {
      if (known[i] == nullptr) known[i] = &l->member_keys.at(RecordKey(r.records[i]));
    }
  }
  for (const std::vector<std::string>* keys : known) out.insert(out.end(), keys->begin(), keys->end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

absl::Status Applier::Touch(Loaded* l) {
  if (!l->index_known) {
    l->index_before = IndexKeys(l);
    l->index_known = true;
  }
  dirty_.insert(l->resident.entity_id);
  return absl::OkStatus();
}

absl::Status Applier::TouchToAppend(Loaded* l, const std::vector<std::string>& keys) {
  if (l->index_known) return Touch(l);
  // A common posting counts residents without listing them: whether this
  // one is counted already depends on the members before, so those keys
  // take the full way.
  for (const std::string& key : keys) {
    GRIDHUB_ASSIGN_OR_RETURN(const keys::Posting* posting, PeekPosting(key));
    if (posting->common()) return Touch(l);
  }
  // The committed postings list the resident under its members' keys, and
  // a posting that lists it already is not changed. Done now, right after
  // the check, so nothing can make a posting common in between.
  for (const std::string& key : keys) {
    GRIDHUB_ASSIGN_OR_RETURN(CachedPosting * p, GetPosting(key));
    const int64_t count = p->posting.count;
    p->posting.Add(l->resident.entity_id);
    if (p->posting.count != count) p->changed = true;
  }
  dirty_.insert(l->resident.entity_id);
  return absl::OkStatus();
}

absl::Status Applier::UpdatePostings(const std::string& id,
                                     const std::vector<std::string>& before,
                                     const std::vector<std::string>& after) {
  // One pass over both sorted lists: keys only in `before` lose the
  // resident, keys only in `after` gain it.
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    const bool removed = a == after.end() || (b != before.end() && *b < *a);
    const bool added = !removed && (b == before.end() || *a < *b);
    if (!removed && !added) {  // in both
      ++a;
      ++b;
      continue;
    }
    const std::string& key = removed ? *b++ : *a++;
    GRIDHUB_ASSIGN_OR_RETURN(CachedPosting * p, GetPosting(key));
    if (removed) {
      p->posting.Remove(id);
    } else {
      p->posting.Add(id);
    }
    p->changed = true;
  }
  return absl::OkStatus();
}

// Brings the postings of every changed resident up to date, so the next
// record of the unit finds them; residents themselves are encoded once, at
// Finish.
absl::Status Applier::SaveAll() {
  for (const auto& id : dirty_) {
    Loaded& l = loaded_.at(id);
    changed_.insert(id);
    l.resident.updated_at_ms = now_;
    if (!l.index_known) continue;  // only appended to: postings done (TouchToAppend)
    std::vector<std::string> after = IndexKeys(&l);
    GRIDHUB_RETURN_IF_ERROR(UpdatePostings(id, l.index_before, after));
    l.index_before = std::move(after);
  }
  dirty_.clear();
  return absl::OkStatus();
}

absl::StatusOr<WriteSet> Applier::Finish(Workers* helpers) {
  GRIDHUB_RETURN_IF_ERROR(SaveAll());
  // Many residents are encoded on two threads: the other core has nothing
  // else to do while a batch is finished and written.
  std::vector<std::pair<const std::string*, Loaded*>> changed;
  changed.reserve(changed_.size());
  for (const auto& id : changed_) changed.emplace_back(&id, &loaded_.at(id));
  std::vector<std::string> encoded(changed.size());
  // An exception (out of memory) is caught where it happens, so neither
  // thread ends the process, and comes back as a Status.
  std::array<std::string, 2> failure;
  auto encode = [&](int slot, size_t from, size_t to) {
    try {
      for (size_t i = from; i < to; ++i) {
        wire::Resident& r = changed[i].second->resident;
        StripGolden(&r);  // derived from the values on every read (ResidentQuery)
        StripProvenance(&r);  // and provenance from the members
        encoded[i] = Encode(r);
      }
    } catch (const std::exception& e) {
      failure[slot] = e.what();
    }
  };
  // This thread also encodes the changed postings into the overlay (about
  // as much work as encoding 40% of the residents): the helper takes the
  // larger share of the residents.
  auto put_postings = [&] {
    for (const auto& [key, p] : postings_) {
      if (!p.changed) continue;
      if (p.posting.count == 0) {
        overlay_.Delete(Family::kIndex, key);
      } else {
        overlay_.Put(Family::kIndex, key, keys::EncodePosting(p.posting));
      }
    }
  };
  const bool parallel = changed.size() >= kParallelEncodeMin && helpers != nullptr;
  const size_t mine = parallel ? changed.size() * 3 / 10 : changed.size();
  absl::Status posted;
  RunAlongside(parallel ? helpers : nullptr, [&] { encode(1, mine, changed.size()); }, [&] {
    try {
      put_postings();
    } catch (const std::exception& e) {
      posted = absl::InternalError(absl::StrCat("encoding postings: ", e.what()));
    }
    encode(0, 0, mine);
  });
  GRIDHUB_RETURN_IF_ERROR(posted);
  for (const std::string& f : failure) {
    if (!f.empty()) return absl::InternalError(absl::StrCat("encoding residents: ", f));
  }
  for (size_t i = 0; i < changed.size(); ++i) {
    overlay_.Put(Family::kResident, *changed[i].first, std::move(encoded[i]));
  }
  if (next_id_ != first_id_) {
    overlay_.Put(Family::kMeta, std::string(keys::kMetaNextResident), absl::StrCat(next_id_));
  }
  return overlay_.TakeWriteSet(helpers);
}

void Applier::AddEvent(wire::Resident* r, const std::string& kind, const std::string& other,
                       std::vector<wire::RecordRef> records, const std::string& user,
                       const std::string& reason) {
  wire::ResidentEvent e;
  e.at_ms = now_;
  e.kind = kind;
  if (!other.empty()) {
    e.other_resident = other;
    e.__isset.other_resident = true;
  }
  e.records = std::move(records);
  e.__isset.records = !e.records.empty();
  if (!user.empty()) {
    e.user = user;
    e.__isset.user = true;
  }
  if (!reason.empty()) {
    e.reason = reason;
    e.__isset.reason = true;
  }
  r->history.push_back(std::move(e));
  if (r->history.size() > kMaxHistory) r->history.erase(r->history.begin());
  r->__isset.history = true;
}

absl::Status Applier::MergeInto(Loaded* survivor, Loaded* other, const std::string& user,
                                const std::string& reason) {
  GRIDHUB_RETURN_IF_ERROR(Touch(survivor));
  GRIDHUB_RETURN_IF_ERROR(Touch(other));
  wire::Resident& s = survivor->resident;
  wire::Resident& o = other->resident;
  for (const auto& ref : o.records) overlay_.Put(Family::kLink, RecordKey(ref), s.entity_id);
  std::vector<wire::RecordRef> moved = o.records;
  s.records.insert(s.records.end(), o.records.begin(), o.records.end());
  std::sort(s.records.begin(), s.records.end(), [](const wire::RecordRef& a, const wire::RecordRef& b) {
    return a.source != b.source ? a.source < b.source : a.record_id < b.record_id;
  });
  for (auto& v : o.values) s.values.push_back(std::move(v));
  survivor->member_keys.merge(other->member_keys);
  other->member_keys.clear();
  AddEvent(&s, "merged_from", o.entity_id, moved, user, reason);
  o.records.clear();
  o.values.clear();
  StripGolden(&o);
  o.merged_into = s.entity_id;
  o.__isset.merged_into = true;
  AddEvent(&o, "merged_into", s.entity_id, std::move(moved), user, reason);
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, std::string>> Applier::JudgementsOf(
    const std::string& record_key) {
  std::map<std::string, std::string> out;
  if (!has_judgements_) return out;
  const std::string prefix = keys::JudgementPrefix(record_key);
  GRIDHUB_ASSIGN_OR_RETURN(auto found, overlay_.KeysWithPrefix(Family::kJudgement, prefix));
  for (const auto& k : found) {
    GRIDHUB_ASSIGN_OR_RETURN(auto bytes, overlay_.Get(Family::kJudgement, k));
    if (!bytes) continue;
    wire::Judgement j;
    GRIDHUB_RETURN_IF_ERROR(Decode(*bytes, &j, "judgement"));
    out[k.substr(prefix.size())] = j.decision;
  }
  return out;
}

absl::StatusOr<bool> Applier::KeptApart(const wire::Resident& a, const wire::Resident& b) {
  if (!has_judgements_) return false;
  std::set<std::string> members_b;
  for (const auto& ref : b.records) members_b.insert(RecordKey(ref));
  for (const auto& ref : a.records) {
    GRIDHUB_ASSIGN_OR_RETURN(auto judged, JudgementsOf(RecordKey(ref)));
    for (const auto& [other, decision] : judged) {
      if (decision == "no_match" && members_b.count(other)) return true;
    }
  }
  return false;
}

FrequencyFn Applier::Frequency() {
  const double base = std::max(kMinFrequencyBase, static_cast<double>(next_id_ - 1));
  return [this, base](std::string_view field, std::string_view value) -> double {
    std::string_view kind;
    if (field == schema::kName) {
      kind = kBlockName;
    } else if (field == schema::kPhone) {
      kind = kBlockPhone;
    } else {
      return 0;
    }
    auto posting = PeekPosting(keys::Index(kind, value));
    if (!posting.ok() || (*posting)->count == 0) return 0;
    return static_cast<double>((*posting)->count) / base;
  };
}

// ---- resolution ----

absl::StatusOr<std::optional<std::string>> Applier::Read(
    Family family, const std::string& key, const PreparedRecord* prepared,
    const std::optional<std::string>& committed) {
  if (prepared != nullptr && prepared->looked_up && !overlay_.Pending(family, key)) return committed;
  return overlay_.Get(family, key);
}

absl::Status Applier::ApplyBatch(const std::vector<wire::SourceRecord>& records,
                                Workers* helpers, std::vector<PreparedRecord>* pre) {
  const size_t n = records.size();
  if (pre != nullptr && pre->size() != n) {
    return absl::InvalidArgumentError("pre-processed records do not match the batch");
  }
  if (helpers == nullptr || helpers->size() == 0 || n < 64) {
    for (size_t i = 0; i < n; ++i) {
      GRIDHUB_RETURN_IF_ERROR(Apply(records[i], pre != nullptr ? &(*pre)[i] : nullptr));
      if (pre != nullptr) (*pre)[i] = PreparedRecord();  // freed as soon as used
    }
    return absl::OkStatus();
  }
  // Each record writes its raw record and link, a resident, and about four
  // changed postings (1M-record import: 4.3 per record).
  for (Family f : {Family::kRaw, Family::kLink, Family::kResident}) overlay_.Reserve(f, n);
  overlay_.Reserve(Family::kIndex, 5 * n);
  // Records of a source with nothing in quarantine (the usual case) need
  // no quarantine lookup each, and records none of which is stored (most
  // batches of a first import) no lookup of their stored record and link
  // (records of one batch share their source; the store changes only under
  // our lock).
  const bool one_source = std::all_of(records.begin(), records.end(), [&](const auto& r) {
    return r.source == records.front().source;
  });
  bool quarantine_empty = false;
  if (one_source) {
    GRIDHUB_ASSIGN_OR_RETURN(
        const bool quarantined, AnyKeyWithPrefix(store_, Family::kQuarantine,
                                                 keys::QuarantineRecordPrefix(records.front().source)));
    quarantine_empty = !quarantined;
  }
  GRIDHUB_ASSIGN_OR_RETURN(const bool may_be_stored, MayBeStored(store_, records));
  // Records are claimed for preparation in order from a shared counter by
  // the helpers and by the resolving thread, which prepares the next
  // unclaimed record instead of waiting whenever the one it needs is not
  // ready yet: both cores stay busy whichever of preparing and resolving is
  // the slower. ready[i] turns 1 when record i is prepared.
  std::vector<PreparedRecord> own;
  if (pre == nullptr) own.resize(n);
  std::vector<PreparedRecord>& prepared = pre != nullptr ? *pre : own;
  std::unique_ptr<std::atomic<int>[]> ready(new std::atomic<int>[n]);
  for (size_t i = 0; i < n; ++i) ready[i].store(0, std::memory_order_relaxed);
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::atomic<size_t> applying{0};
  // Claims and prepares the next kPrepareGroup records; false when all are
  // claimed.
  auto prepare_next = [&] {
    const size_t j = next.fetch_add(kPrepareGroup, std::memory_order_acq_rel);
    if (j >= n) return false;
    const size_t end = std::min(n, j + kPrepareGroup);
    std::vector<PreparedRecord*> lookups;
    lookups.reserve(end - j);
    for (size_t k = j; k < end; ++k) {
      if (Prepare(store_, records[k], quarantine_empty, !may_be_stored, normalize_, now_,
                  &prepared[k])) {
        lookups.push_back(&prepared[k]);
      }
    }
    PrefetchCandidates(store_, lookups);
    for (size_t k = j; k < end; ++k) {
      ready[k].store(1, std::memory_order_release);
      ready[k].notify_all();
    }
    return true;
  };
  TaskGroup helping(helpers->size());
  for (int t = 0; t < helpers->size(); ++t) {
    helpers->Post([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        // At most kPrepareAhead records wait prepared (their residents
        // decoded): per-batch memory stays small. A helper that is that far
        // ahead sleeps until half of them are used, not one: a wake-up per
        // record cost more than the waiting saved.
        const size_t j = next.load(std::memory_order_relaxed);
        if (size_t at = applying.load(std::memory_order_acquire); j > at + kPrepareAhead) {
          for (; j > at + kPrepareAhead / 2 && !stop.load(std::memory_order_relaxed);
               at = applying.load(std::memory_order_acquire)) {
            applying.wait(at, std::memory_order_acquire);
          }
          continue;
        }
        if (!prepare_next()) break;
      }
      helping.Done();
    });
  }
  absl::Status status;
  for (size_t i = 0; i < n && status.ok(); ++i) {
    while (ready[i].load(std::memory_order_acquire) == 0) {
      if (next.load(std::memory_order_relaxed) <= i + kPrepareAhead && prepare_next()) continue;
      ready[i].wait(0, std::memory_order_acquire);  // a helper is preparing it
    }
    if (i % kPrepareNotify == 0) {
      applying.store(i, std::memory_order_release);
      applying.notify_all();
    }
    status = Apply(records[i], &prepared[i]);
    // Per-record state is freed as soon as it is used.
    prepared[i] = PreparedRecord();
  }
  stop.store(true);
  applying.store(n + kPrepareAhead, std::memory_order_release);  // wakes waiting helpers
  applying.notify_all();
  helping.Wait();
  return status;
}

absl::Status Applier::Apply(const wire::SourceRecord& in, PreparedRecord* prepared) {
  ++result_.received;
  const std::string rkey = keys::Record(in.source, in.record_id);
  PreparedRecord local;
  if (prepared == nullptr) prepared = &local;
  // Not pre-processed (no PreNormalize, or a job taken before it got here).
  if (prepared->hash.empty()) prepared->hash = ContentHash(in);
  const std::string& hash = prepared->hash;
  std::optional<std::string> old_hash;
  if (prepared->looked_up && !overlay_.Pending(Family::kRaw, rkey)) {
    old_hash = prepared->stored_hash;
  } else {
    GRIDHUB_ASSIGN_OR_RETURN(auto old_bytes, overlay_.Get(Family::kRaw, rkey));
    if (old_bytes) {
      GRIDHUB_ASSIGN_OR_RETURN(old_hash, StoredHash(*old_bytes));
    }
  }
  const std::string qkey = keys::QuarantineRecord(in.source, in.record_id);
  const std::optional<std::string> committed_quarantine =
      prepared->quarantined ? std::optional<std::string>("") : std::nullopt;
  if (old_hash && *old_hash == hash) {
    ++result_.unchanged;
    // A newer version of this record may sit in quarantine; the source has
    // gone back to the stored one, so that entry is obsolete.
    GRIDHUB_ASSIGN_OR_RETURN(auto quarantined,
                             Read(Family::kQuarantine, qkey, prepared, committed_quarantine));
    if (quarantined) overlay_.Delete(Family::kQuarantine, qkey);
    return absl::OkStatus();
  }
  if (!prepared->normalized) NormalizeInto(in, normalize_, now_, prepared);
  if (!prepared->reasons.empty()) {
    QuarantineRecord(in, prepared->reasons);
    return absl::OkStatus();
  }
  const wire::StoredRecord& rec = prepared->record;
  for (const auto& [field, n] : rec.fields) {
    for (const auto& flag : n.flags) ++result_.flags[absl::StrCat(field, ":", flag)];
  }
  result_.__isset.flags = !result_.flags.empty();
  GRIDHUB_ASSIGN_OR_RETURN(auto quarantined,
                           Read(Family::kQuarantine, qkey, prepared, committed_quarantine));
  if (quarantined) overlay_.Delete(Family::kQuarantine, qkey);
  GRIDHUB_ASSIGN_OR_RETURN(auto link, Read(Family::kLink, rkey, prepared, prepared->link));
  overlay_.Put(Family::kRaw, rkey, std::move(prepared->encoded_record));
  ++result_.imported;
  // The prepared committed state serves the postings SaveAll changes too.
  prepared_ = prepared->looked_up ? prepared : nullptr;
  absl::Status resolved = Resolve(rec, rkey, link.value_or(""));
  if (resolved.ok()) resolved = SaveAll();
  prepared_ = nullptr;
  return resolved;
}

absl::Status Applier::Resolve(const wire::StoredRecord& rec, const std::string& rkey,
                              const std::string& current) {
  // 1. Candidates.
  std::set<std::string> candidates;  // resident ids, in order
  // The keys computed while preparing, when the record was prepared.
  std::vector<std::string> computed_keys, computed_probe;
  const bool keyed = prepared_ != nullptr && !prepared_->block_keys.empty();
  const std::vector<std::string>& block_keys =
      keyed ? prepared_->block_keys : (computed_keys = BlockKeys(rec));
  const std::vector<std::string>& probe_keys =
      keyed && !prepared_->probe_keys.empty() ? prepared_->probe_keys
                                              : (computed_probe = ProbeKeys(rec, block_keys));
  for (const std::string& key : probe_keys) {
    GRIDHUB_ASSIGN_OR_RETURN(const keys::Posting* posting, PeekPosting(key));
    if (posting->common() || !FindsCandidates(key)) continue;
    candidates.insert(posting->residents.begin(), posting->residents.end());
  }
  if (!current.empty()) candidates.insert(current);
  GRIDHUB_ASSIGN_OR_RETURN(auto judged, JudgementsOf(rkey));
  for (const auto& [other_key, decision] : judged) {
    GRIDHUB_ASSIGN_OR_RETURN(auto owner, overlay_.Get(Family::kLink, other_key));
    if (owner) candidates.insert(*owner);
  }

  // 2. Verdicts, strongest first.
  const FrequencyFn frequency = Frequency();
  const std::string own_id = GbIdNumber(rec);
  std::vector<Verdict> verdicts;
  bool current_has_others = false;
  for (const std::string& id : candidates) {
    auto loaded = Load(id);
    if (absl::IsNotFound(loaded.status())) continue;  // a stale posting
    GRIDHUB_RETURN_IF_ERROR(loaded.status());
    const wire::Resident& r = (*loaded)->resident;
    if (r.__isset.merged_into || r.records.empty()) continue;
    Verdict v;
    v.resident = id;
    v.weight = -INFINITY;
    bool judged_match = false, judged_no_match = false, same_id = false, id_conflict = false;
    for (wire::StoredRecord& member : MemberRecords(r)) {
      const std::string mkey = keys::Record(member.source, member.record_id);
      if (mkey == rkey) continue;
      if (id == current) current_has_others = true;
      if (auto j = judged.find(mkey); j != judged.end()) {
        (j->second == "match" ? judged_match : judged_no_match) = true;
      }
      const std::string member_id = GbIdNumber(member);
      if (!own_id.empty() && !member_id.empty()) {
        (member_id == own_id ? same_id : id_conflict) = true;
      }
      PairScore score = ScorePair(model_, rec, member, frequency);
      if (score.scored.total_weight > v.weight) {
        v.weight = score.scored.total_weight;
        v.member_key = mkey;
        v.member = std::move(member);
        v.score = std::move(score);
      }
    }
    if (v.member_key.empty()) continue;  // the record's own resident, alone
    if (judged_match) {
      v.link = true;
      v.strength = 3;
    } else if (judged_no_match) {
      continue;
    } else if (same_id) {
      v.link = true;
      v.strength = 2;
    } else if (id_conflict) {
      v.review = v.weight >= model_.link_threshold();
      // A member without a number of its own that would link to this
      // record as well as it does to its resident is ambiguous between
      // two people (see below).
      v.ambiguous_member = v.review && GbIdNumber(v.member).empty();
    } else if (v.score.scored.decision == Decision::kLink) {
      v.link = true;
      v.strength = 1;
    } else {
      v.review = v.score.scored.decision == Decision::kReview;
    }
    if (v.link || v.review) verdicts.push_back(std::move(v));
  }
  std::vector<Verdict> claimed;  // members taken out for this record
  for (Verdict& v : verdicts) {
    if (!v.ambiguous_member) continue;
    GRIDHUB_ASSIGN_OR_RETURN(std::optional<Verdict> moved, DetachIfAmbiguous(v));
    if (moved) claimed.push_back(*std::move(moved));
  }
  for (Verdict& v : claimed) verdicts.push_back(std::move(v));
  std::sort(verdicts.begin(), verdicts.end(), [](const Verdict& a, const Verdict& b) {
    if (a.link != b.link) return a.link;
    if (a.strength != b.strength) return a.strength > b.strength;
    if (a.weight != b.weight) return a.weight > b.weight;
    return a.resident < b.resident;
  });

  // 3. Residents to join: linked ones that can live together.
  std::vector<Loaded*> join;
  std::vector<Verdict*> joined;  // the verdicts behind `join`, strongest first
  double best_rejected = -INFINITY;
  std::set<std::string> ids_joined;
  if (!own_id.empty()) ids_joined.insert(own_id);
  for (Verdict& v : verdicts) {
    if (!v.link) break;
    GRIDHUB_ASSIGN_OR_RETURN(Loaded * l, Load(v.resident));
    std::set<std::string> ids = ids_joined;
    const std::vector<std::string> member_ids = MemberGbIdNumbers(l->resident);
    for (size_t k = 0; k < member_ids.size(); ++k) {
      if (member_ids[k].empty() || RecordKey(l->resident.records[k]) == rkey) continue;
      ids.insert(member_ids[k]);
    }
    bool compatible = ids.size() <= 1 || v.strength == 3;
    for (Loaded* other : join) {
      if (!compatible) break;
      GRIDHUB_ASSIGN_OR_RETURN(bool apart, KeptApart(l->resident, other->resident));
      compatible = !apart;
    }
    if (compatible) {
      join.push_back(l);
      ids_joined = std::move(ids);
      joined.push_back(&v);
    } else {
      v.link = false;
      v.review = true;  // a bridge that cannot be crossed: a steward decides
      if (v.strength == 1) best_rejected = std::max(best_rejected, v.weight);
    }
  }
  // The score alone chose between people who cannot be one (different ID
  // numbers, a steward's no_match): unless the choice is clear, nobody is
  // linked and a steward decides. Which candidate came first must not matter.
  if (!joined.empty() && joined.front()->strength == 1 &&
      joined.front()->weight < best_rejected + kClearMargin) {
    std::vector<Loaded*> kept;  // `join` and `joined` are parallel
    for (size_t i = 0; i < joined.size(); ++i) {
      if (joined[i]->strength != 1) {
        kept.push_back(join[i]);
        continue;
      }
      joined[i]->link = false;
      joined[i]->review = true;
    }
    join = std::move(kept);
  }

  // 4. Where the record goes.
  Loaded* cur = nullptr;
  if (!current.empty()) {
    auto loaded = Load(current);
    if (loaded.ok()) {
      cur = *loaded;
    } else if (!absl::IsNotFound(loaded.status())) {
      return loaded.status();
    }
  }
  const bool cur_alone = cur != nullptr && !current_has_others &&
                         !cur->resident.__isset.merged_into;
  if (cur_alone && std::find(join.begin(), join.end(), cur) == join.end()) join.push_back(cur);
  Loaded* target = nullptr;
  if (join.empty()) {
    target = Create();
    ++result_.residents_created;
  } else {
    std::sort(join.begin(), join.end(), [](const Loaded* a, const Loaded* b) {
      return a->resident.entity_id < b->resident.entity_id;
    });
    target = join.front();
    for (size_t i = 1; i < join.size(); ++i) {
      GRIDHUB_RETURN_IF_ERROR(MergeInto(target, join[i], "", "score"));
    }
    const bool joined_others =
        std::any_of(target->resident.records.begin(), target->resident.records.end(),
                    [&](const wire::RecordRef& r) { return RecordKey(r) != rkey; });
    if (joined_others && !(cur != nullptr && cur == target && current_has_others)) {
      ++result_.records_linked;
    }
  }
  if (cur != nullptr && cur != target && !cur->resident.__isset.merged_into) {
    // The record leaves its old resident.
    GRIDHUB_RETURN_IF_ERROR(Touch(cur));
    cur->member_keys.erase(rkey);
    if (RemoveMember(rec.source, rec.record_id, &cur->resident)) {
      AddEvent(&cur->resident, "record_left", target->resident.entity_id,
               {Ref(rec.source, rec.record_id)}, "", "no_longer_links");
      if (cur->resident.records.empty()) {
        cur->resident.merged_into = target->resident.entity_id;
        cur->resident.__isset.merged_into = true;
      }
    }
  }
  const bool member_already =
      std::any_of(target->resident.records.begin(), target->resident.records.end(),
                  [&](const wire::RecordRef& r) { return RecordKey(r) == rkey; });
  if (member_already) {
    GRIDHUB_RETURN_IF_ERROR(Touch(target));
  } else {
    GRIDHUB_RETURN_IF_ERROR(TouchToAppend(target, block_keys));
  }
  UpsertMember(rec, &target->resident);
  target->member_keys[rkey] = block_keys;  // BlockKeys(rec), as IndexKeys would compute them
  overlay_.Put(Family::kLink, rkey, target->resident.entity_id);

  // 5. Pairs for stewards.
  for (const Verdict& v : verdicts) {
    if (v.link || !v.review) continue;
    GRIDHUB_ASSIGN_OR_RETURN(auto owner, overlay_.Get(Family::kLink, v.member_key));
    if (owner && *owner == target->resident.entity_id) continue;
    QueueReview(rec, rkey, v.member, v.member_key, v.score);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Applier::Verdict>> Applier::DetachIfAmbiguous(const Verdict& v) {
  GRIDHUB_ASSIGN_OR_RETURN(Loaded * from, Load(v.resident));
  const FrequencyFn frequency = Frequency();
  GRIDHUB_ASSIGN_OR_RETURN(auto judged, JudgementsOf(v.member_key));
  double tie = -INFINITY;
  std::optional<std::pair<wire::StoredRecord, PairScore>> best_tie;
  for (wire::StoredRecord& other : MemberRecords(from->resident)) {
    const std::string okey = keys::Record(other.source, other.record_id);
    if (okey == v.member_key) continue;
    if (auto j = judged.find(okey); j != judged.end() && j->second == "match") return std::nullopt;
    PairScore score = ScorePair(model_, v.member, other, frequency);
    if (score.scored.total_weight > tie) {
      tie = score.scored.total_weight;
      best_tie.emplace(std::move(other), std::move(score));
    }
  }
  if (!best_tie || tie >= v.weight + kClearMargin) return std::nullopt;
  // The member leaves: for the record under resolution when it clearly fits
  // it better, else for a resident of its own, both of its pairs waiting
  // for a steward, whichever of the two people came first.
  wire::RecordRef ref = Ref(v.member.source, v.member.record_id);
  GRIDHUB_ASSIGN_OR_RETURN(wire::StoredRecord full, StoredRecordOf(ref));
  GRIDHUB_RETURN_IF_ERROR(Touch(from));
  RemoveMember(ref.source, ref.record_id, &from->resident);
  from->member_keys.erase(v.member_key);
  Loaded* alone = Create();
  ++result_.residents_created;
  UpsertMember(full, &alone->resident);
  overlay_.Put(Family::kLink, v.member_key, alone->resident.entity_id);
  AddEvent(&from->resident, "split_to", alone->resident.entity_id, {ref}, "", "ambiguous");
  AddEvent(&alone->resident, "split_from", from->resident.entity_id, {ref}, "", "ambiguous");
  if (v.weight >= tie + kClearMargin) {
    Verdict claimed = v;
    claimed.resident = alone->resident.entity_id;
    claimed.link = true;
    claimed.review = false;
    claimed.strength = 1;
    claimed.ambiguous_member = false;
    return claimed;
  }
  QueueReview(v.member, v.member_key, best_tie->first,
              keys::Record(best_tie->first.source, best_tie->first.record_id), best_tie->second);
  return std::nullopt;
}

void Applier::QueueReview(const wire::StoredRecord& a, const std::string& key_a,
                          const wire::StoredRecord& b, const std::string& key_b,
                          const PairScore& score) {
  wire::ReviewItem item;
  item.pair_id = PairId(key_a, key_b);
  item.pair = Explain(a, b, score);
  item.queued_at_ms = now_;
  overlay_.Put(Family::kReview, item.pair_id, Encode(item));
  result_.review_queued = result_.review_queued + 1;
  result_.__isset.review_queued = true;
}

// ---- steward operations ----

absl::StatusOr<std::string> Applier::LiveResident(const std::string& id) {
  std::string at = id;
  for (int hops = 0; hops < 64; ++hops) {
    GRIDHUB_ASSIGN_OR_RETURN(Loaded * l, Load(at));
    if (!l->resident.__isset.merged_into) {
      if (l->resident.records.empty()) return absl::NotFoundError(absl::StrCat("resident ", id, " has no records"));
      return at;
    }
    at = l->resident.merged_into;
  }
  return absl::DataLossError(absl::StrCat("merged-into chain from ", id, " does not end"));
}

absl::StatusOr<std::string> Applier::MergeResidents(const std::string& a, const std::string& b,
                                                    const std::string& user,
                                                    const std::string& reason) {
  GRIDHUB_ASSIGN_OR_RETURN(std::string live_a, LiveResident(a));
  GRIDHUB_ASSIGN_OR_RETURN(std::string live_b, LiveResident(b));
  if (live_a == live_b) return live_a;
  if (live_b < live_a) std::swap(live_a, live_b);
  GRIDHUB_ASSIGN_OR_RETURN(Loaded * survivor, Load(live_a));
  GRIDHUB_ASSIGN_OR_RETURN(Loaded * other, Load(live_b));
  GRIDHUB_RETURN_IF_ERROR(MergeInto(survivor, other, user, reason));
  GRIDHUB_RETURN_IF_ERROR(SaveAll());
  return live_a;
}

absl::StatusOr<std::string> Applier::MoveToNewResident(const std::string& resident,
                                                       const std::vector<wire::RecordRef>& records,
                                                       const std::string& user,
                                                       const std::string& reason) {
  GRIDHUB_ASSIGN_OR_RETURN(Loaded * from, Load(resident));
  Loaded* to = Create();
  const std::string to_id = to->resident.entity_id;
  GRIDHUB_RETURN_IF_ERROR(Touch(from));  // std::map nodes are stable: `from` stays valid after Create
  for (const auto& ref : records) {
    const std::string rkey = RecordKey(ref);
    GRIDHUB_ASSIGN_OR_RETURN(auto bytes, overlay_.Get(Family::kRaw, rkey));
    if (!bytes) return absl::NotFoundError(absl::StrCat("record ", ref.source, ":", ref.record_id, " is not stored"));
    wire::StoredRecord rec;
    GRIDHUB_RETURN_IF_ERROR(Decode(*bytes, &rec, "stored record"));
    from->member_keys.erase(rkey);
    if (!RemoveMember(ref.source, ref.record_id, &from->resident)) {
      return absl::InvalidArgumentError(absl::StrCat("record ", ref.source, ":", ref.record_id,
                                                     " is not a member of ", resident));
    }
    UpsertMember(rec, &to->resident);
    overlay_.Put(Family::kLink, rkey, to_id);
  }
  AddEvent(&from->resident, "split_to", to_id, records, user, reason);
  AddEvent(&to->resident, "split_from", resident, records, user, reason);
  GRIDHUB_RETURN_IF_ERROR(SaveAll());
  return to_id;
}

absl::Status Applier::Judge(const wire::Judgement& judgement) {
  const std::string a = RecordKey(judgement.a), b = RecordKey(judgement.b);
  const std::string bytes = Encode(judgement);
  overlay_.Put(Family::kJudgement, keys::Judgement(a, b), bytes);
  overlay_.Put(Family::kJudgement, keys::Judgement(b, a), bytes);
  overlay_.Delete(Family::kReview, PairId(a, b));
  overlay_.Put(Family::kMeta, std::string(kMetaJudgements), "1");
  has_judgements_ = true;
  return absl::OkStatus();
}

absl::StatusOr<std::string> Applier::JudgementBetween(const wire::RecordRef& a,
                                                     const wire::RecordRef& b) {
  GRIDHUB_ASSIGN_OR_RETURN(auto bytes,
                           overlay_.Get(Family::kJudgement, keys::Judgement(RecordKey(a), RecordKey(b))));
  if (!bytes) return std::string();
  wire::Judgement j;
  GRIDHUB_RETURN_IF_ERROR(Decode(*bytes, &j, "judgement"));
  return j.decision;
}

absl::StatusOr<std::string> Applier::ResidentOf(const wire::RecordRef& ref) {
  GRIDHUB_ASSIGN_OR_RETURN(auto owner, overlay_.Get(Family::kLink, RecordKey(ref)));
  return owner.value_or("");
}

absl::StatusOr<wire::StoredRecord> Applier::StoredRecordOf(const wire::RecordRef& ref) {
  GRIDHUB_ASSIGN_OR_RETURN(auto bytes, overlay_.Get(Family::kRaw, RecordKey(ref)));
  if (!bytes) {
    return absl::NotFoundError(absl::StrCat("record ", ref.source, ":", ref.record_id, " is not stored"));
  }
  wire::StoredRecord rec;
  GRIDHUB_RETURN_IF_ERROR(Decode(*bytes, &rec, "stored record"));
  return rec;
}

}  // namespace gridhub::hub
