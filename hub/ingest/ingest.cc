#include "hub/ingest/ingest.h"

#include <openssl/evp.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gridhub_types.h"
#include "hub/ingest/overlay.h"
#include "hub/store/codec.h"
#include "hub/store/keys.h"
#include "schema/fields.h"
#include "schema/normalize.h"
#include "schema/status.h"

namespace gridhub::hub {
namespace {

// Hex SHA-256 of `bytes`, truncated to `hex_chars`.
std::string HexSha256(std::string_view bytes, size_t hex_chars = 64) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xF]);
  }
  return hex.substr(0, hex_chars);
}

// Hex SHA-256 over the record as received: fields, attributes and numeric
// markers (sorted containers), each part length-prefixed so no two records
// collide by concatenation.
std::string ContentHash(const wire::SourceRecord& in) {
  std::string buf;
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

// Normalizes and cross-checks every field of a record.
std::map<std::string, schema::Normalized> NormalizeFields(const wire::SourceRecord& in,
                                                          const schema::NormalizeOptions& base) {
  std::map<std::string, schema::Normalized> out;
  for (const auto& [field, raw] : in.fields) {
    schema::NormalizeOptions options = base;
    options.spreadsheet_number = in.numeric_fields.count(field) > 0;
    out[field] = schema::NormalizeField(field, raw, options);
  }
  schema::CrossCheck(&out);
  return out;
}

// Reason codes when a record has no usable identity, else empty.
std::vector<std::string> UnusableReasons(const std::map<std::string, schema::Normalized>& fields) {
  auto usable = [&](std::string_view f) {
    auto it = fields.find(std::string(f));
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
                                  std::map<std::string, schema::Normalized> fields,
                                  std::string hash, int64_t now) {
  wire::StoredRecord rec;
  rec.source = in.source;
  rec.record_id = in.record_id;
  for (auto& [field, n] : fields) {
    wire::NormalizedValue nv;
    nv.value = std::move(n.value);
    nv.valid = n.valid;
    nv.flags = std::move(n.flags);
    nv.__isset.flags = !nv.flags.empty();
    nv.raw = in.fields.at(field);
    nv.__isset.raw = true;
    nv.parts = std::move(n.parts);
    nv.__isset.parts = !nv.parts.empty();
    rec.fields[field] = std::move(nv);
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

std::string ValidIdNumber(const wire::StoredRecord& rec) {
  auto it = rec.fields.find(std::string(schema::kIdNumber));
  return it != rec.fields.end() && it->second.valid ? it->second.value : "";
}

// State of one batch: pending writes, the id counter, the running result.
class BatchApplier {
 public:
  BatchApplier(const KvStore* store, const IngestOptions& options, int64_t now)
      : overlay_(store), golden_(options.golden), now_(now) {
    normalize_.home_county = options.home_county;
  }

  absl::Status Begin() {
    GRIDHUB_ASSIGN_OR_RETURN(auto next, overlay_.Get(Family::kMeta, keys::kMetaNextResident));
    next_id_ = 1;
    if (next && !absl::SimpleAtoi(*next, &next_id_)) {
      return absl::DataLossError("meta next_resident_id is not a number");
    }
    first_id_ = next_id_;
    return absl::OkStatus();
  }

  absl::Status Apply(const wire::SourceRecord& in);

  // Keeps a row that could not be read.
  void Reject(const wire::RejectedRow& row) {
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

  // Releases a record-level quarantine entry (its record is now imported).
  void Release(const std::string& key) { overlay_.Delete(Family::kQuarantine, key); }

  void Checkpoint(const std::string& source, const std::string& checkpoint) {
    overlay_.Put(Family::kMeta, keys::MetaCheckpoint(source), checkpoint);
  }

  WriteSet Finish() {
    if (next_id_ != first_id_) {
      overlay_.Put(Family::kMeta, std::string(keys::kMetaNextResident), absl::StrCat(next_id_));
    }
    return overlay_.ToWriteSet();
  }

  wire::ImportResult& result() { return result_; }

 private:
  struct Loaded {
    wire::Resident resident;
    std::set<std::string> index_before;
  };

  absl::StatusOr<Loaded> Load(const std::string& id) {
    Loaded out;
    GRIDHUB_ASSIGN_OR_RETURN(auto bytes, overlay_.Get(Family::kResident, id));
    if (!bytes) return absl::DataLossError(absl::StrCat("resident ", id, " is linked but missing"));
    GRIDHUB_RETURN_IF_ERROR(Decode(*bytes, &out.resident, absl::StrCat("resident ", id)));
    out.index_before = IndexKeysOf(out.resident);
    return out;
  }

  void Save(const Loaded& loaded) {
    const std::set<std::string> after = IndexKeysOf(loaded.resident);
    for (const auto& k : loaded.index_before) {
      if (!after.count(k)) overlay_.Delete(Family::kIndex, k);
    }
    for (const auto& k : after) {
      if (!loaded.index_before.count(k)) overlay_.Put(Family::kIndex, k, "");
    }
    overlay_.Put(Family::kResident, loaded.resident.entity_id, Encode(loaded.resident));
  }

  // Live residents indexed under a valid ID number, oldest first.
  absl::StatusOr<std::vector<std::string>> ResidentsWithId(const std::string& id) {
    GRIDHUB_ASSIGN_OR_RETURN(auto found, overlay_.KeysWithPrefix(
                                             Family::kIndex,
                                             keys::IndexPrefix(keys::kIndexIdNumber, id)));
    std::vector<std::string> out;
    for (const auto& k : found) out.emplace_back(keys::ResidentOfIndexKey(k));
    std::sort(out.begin(), out.end());
    return out;
  }

  // Moves every member of `other` into `survivor`; `other` keeps a pointer.
  absl::Status Merge(Loaded* survivor, const std::string& other_id) {
    GRIDHUB_ASSIGN_OR_RETURN(Loaded other, Load(other_id));
    for (const auto& ref : other.resident.records) {
      const std::string rkey = keys::Record(ref.source, ref.record_id);
      GRIDHUB_ASSIGN_OR_RETURN(auto bytes, overlay_.Get(Family::kRaw, rkey));
      if (!bytes) return absl::DataLossError(absl::StrCat("member record of ", other_id, " is missing"));
      wire::StoredRecord rec;
      GRIDHUB_RETURN_IF_ERROR(Decode(*bytes, &rec, "stored record"));
      UpsertMember(rec, golden_, &survivor->resident);
      overlay_.Put(Family::kLink, rkey, survivor->resident.entity_id);
    }
    other.resident.records.clear();
    other.resident.values.clear();
    other.resident.fields.clear();
    other.resident.conflicts.clear();
    other.resident.attributes.clear();
    other.resident.merged_into = survivor->resident.entity_id;
    other.resident.__isset.merged_into = true;
    other.resident.updated_at_ms = now_;
    Save(other);
    return absl::OkStatus();
  }

  // Keeps a record whose values are unusable, retryable later.
  void QuarantineRecord(const wire::SourceRecord& in, const std::vector<std::string>& reasons) {
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

  Overlay overlay_;
  const GoldenOptions& golden_;
  schema::NormalizeOptions normalize_;
  const int64_t now_;
  int64_t next_id_ = 1;
  int64_t first_id_ = 1;
  wire::ImportResult result_;
};

absl::Status BatchApplier::Apply(const wire::SourceRecord& in) {
  ++result_.received;
  const std::string rkey = keys::Record(in.source, in.record_id);
  std::string hash = ContentHash(in);
  GRIDHUB_ASSIGN_OR_RETURN(auto old_bytes, overlay_.Get(Family::kRaw, rkey));
  std::optional<wire::StoredRecord> old;
  if (old_bytes) {
    old.emplace();
    GRIDHUB_RETURN_IF_ERROR(Decode(*old_bytes, &*old, "stored record"));
    if (old->content_hash == hash) {
      ++result_.unchanged;
      // A newer version of this record may sit in quarantine; the source has
      // gone back to the stored one, so that entry is obsolete.
      const std::string qkey = keys::QuarantineRecord(in.source, in.record_id);
      GRIDHUB_ASSIGN_OR_RETURN(auto quarantined, overlay_.Get(Family::kQuarantine, qkey));
      if (quarantined) Release(qkey);
      return absl::OkStatus();
    }
  }
  std::map<std::string, schema::Normalized> fields = NormalizeFields(in, normalize_);
  const std::string qkey = keys::QuarantineRecord(in.source, in.record_id);
  if (std::vector<std::string> reasons = UnusableReasons(fields); !reasons.empty()) {
    QuarantineRecord(in, reasons);
    return absl::OkStatus();
  }
  for (const auto& [field, n] : fields) {
    for (const auto& flag : n.flags) ++result_.flags[absl::StrCat(field, ":", flag)];
  }
  result_.__isset.flags = !result_.flags.empty();
  GRIDHUB_ASSIGN_OR_RETURN(auto quarantined, overlay_.Get(Family::kQuarantine, qkey));
  if (quarantined) Release(qkey);
  wire::StoredRecord rec = ToStoredRecord(in, std::move(fields), std::move(hash), now_);
  GRIDHUB_ASSIGN_OR_RETURN(auto link, overlay_.Get(Family::kLink, rkey));
  const std::string current = link.value_or("");
  const std::string id_number = ValidIdNumber(rec);

  std::string target;
  std::optional<Loaded> target_loaded;
  if (!id_number.empty()) {
    GRIDHUB_ASSIGN_OR_RETURN(auto owners, ResidentsWithId(id_number));
    if (!owners.empty()) {
      target = owners.front();
      GRIDHUB_ASSIGN_OR_RETURN(Loaded t, Load(target));
      target_loaded = std::move(t);
      // The same valid ID number is the same person: fold any others in.
      for (size_t i = 1; i < owners.size(); ++i) {
        GRIDHUB_RETURN_IF_ERROR(Merge(&*target_loaded, owners[i]));
      }
    }
  }
  if (target.empty() && !current.empty()) {
    // A record whose valid ID number changed leaves a resident it shares
    // with others; otherwise it stays where it is.
    GRIDHUB_ASSIGN_OR_RETURN(Loaded cur, Load(current));
    const std::string old_id = old ? ValidIdNumber(*old) : "";
    const bool leaves = !id_number.empty() && id_number != old_id && cur.resident.records.size() > 1;
    if (!leaves) {
      target = current;
      target_loaded = std::move(cur);
    }
  }
  bool created = false;
  if (target.empty()) {
    target = keys::ResidentId(static_cast<uint64_t>(next_id_++));
    target_loaded.emplace();
    target_loaded->resident.entity_id = target;
    target_loaded->resident.created_at_ms = now_;
    created = true;
  }
  if (!current.empty() && current != target) {
    GRIDHUB_ASSIGN_OR_RETURN(Loaded cur, Load(current));
    if (RemoveMember(in.source, in.record_id, golden_, &cur.resident) &&
        cur.resident.records.empty() && !cur.resident.__isset.merged_into) {
      // Its last record left for `target`: the id keeps finding that person.
      cur.resident.merged_into = target;
      cur.resident.__isset.merged_into = true;
    }
    cur.resident.updated_at_ms = now_;
    Save(cur);
  }
  wire::Resident& resident = target_loaded->resident;
  const bool was_member = std::any_of(
      resident.records.begin(), resident.records.end(), [&](const wire::RecordRef& r) {
        return r.source == in.source && r.record_id == in.record_id;
      });
  const size_t others = resident.records.size() - (was_member ? 1 : 0);
  UpsertMember(rec, golden_, &resident);
  resident.updated_at_ms = now_;
  Save(*target_loaded);
  overlay_.Put(Family::kRaw, rkey, Encode(rec));
  overlay_.Put(Family::kLink, rkey, target);

  ++result_.imported;
  if (created) {
    ++result_.residents_created;
  } else if (!was_member && others > 0) {
    ++result_.records_linked;
  }
  return absl::OkStatus();
}

absl::Status ValidateBatch(const wire::ImportBatch& batch, size_t max_batch) {
  auto bad_text = [](const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  };
  if (batch.source.empty() || batch.source.size() > 64 || bad_text(batch.source)) {
    return absl::InvalidArgumentError(
        "batch source name must be 1-64 bytes without control characters");
  }
  if (batch.records.size() + batch.rejected.size() > max_batch) {
    return absl::InvalidArgumentError(absl::StrCat("batch of ", batch.records.size(),
                                                   " records exceeds the limit of ", max_batch));
  }
  for (size_t i = 0; i < batch.records.size(); ++i) {
    const auto& r = batch.records[i];
    if (r.source != batch.source) {
      return absl::InvalidArgumentError(absl::StrCat("record ", i, " has source \"", r.source,
                                                     "\", batch is \"", batch.source, "\""));
    }
    if (r.record_id.empty() || bad_text(r.record_id)) {
      return absl::InvalidArgumentError(
          absl::StrCat("record ", i, " (line ", r.line, ") has an empty record id or contains NUL"));
    }
  }
  for (const auto& row : batch.rejected) {
    if (row.source != batch.source) {
      return absl::InvalidArgumentError(absl::StrCat("rejected row at line ", row.line,
                                                     " names another source"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

Ingestor::Ingestor(KvStore* store, const Clock* clock, IngestOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

absl::StatusOr<wire::ImportResult> Ingestor::Import(const wire::ImportBatch& batch) {
  GRIDHUB_RETURN_IF_ERROR(ValidateBatch(batch, options_.max_batch));
  std::lock_guard<std::mutex> lock(mu_);
  BatchApplier applier(store_, options_, clock_->NowMs());
  GRIDHUB_RETURN_IF_ERROR(applier.Begin());
  for (const auto& rec : batch.records) {
    GRIDHUB_RETURN_IF_ERROR(applier.Apply(rec));
  }
  for (const auto& row : batch.rejected) applier.Reject(row);
  if (batch.__isset.checkpoint) applier.Checkpoint(batch.source, batch.checkpoint);
  WriteSet writes = applier.Finish();
  if (!writes.empty()) GRIDHUB_RETURN_IF_ERROR(store_->Write(writes, options_.sync));
  return applier.result();
}

}  // namespace gridhub::hub

namespace gridhub::hub {

absl::StatusOr<std::vector<wire::QuarantineEntry>> Ingestor::ListQuarantine(
    const std::string& source, const std::string& cursor, int limit, std::string* next) const {
  std::vector<wire::QuarantineEntry> out;
  next->clear();
  if (limit <= 0) return absl::InvalidArgumentError("limit must be positive");
  absl::Status decoded;
  std::string last;
  GRIDHUB_RETURN_IF_ERROR(store_->Scan(
      Family::kQuarantine, keys::QuarantinePrefix(source), cursor,
      [&](std::string_view k, std::string_view v) {
        if (k == cursor) return true;
        if (static_cast<int>(out.size()) == limit) {
          *next = last;
          return false;
        }
        wire::QuarantineEntry entry;
        decoded = Decode(v, &entry, "quarantine entry");
        if (!decoded.ok()) return false;
        last = std::string(k);
        out.push_back(std::move(entry));
        return true;
      }));
  GRIDHUB_RETURN_IF_ERROR(decoded);
  return out;
}

absl::StatusOr<wire::RetryResult> Ingestor::RetryQuarantine(const std::string& source) {
  std::lock_guard<std::mutex> lock(mu_);
  wire::RetryResult result;
  std::vector<wire::SourceRecord> records;
  absl::Status decoded;
  GRIDHUB_RETURN_IF_ERROR(store_->Scan(
      Family::kQuarantine, keys::QuarantinePrefix(source), "",
      [&](std::string_view, std::string_view v) {
        wire::QuarantineEntry entry;
        decoded = Decode(v, &entry, "quarantine entry");
        if (!decoded.ok()) return false;
        if (entry.__isset.record) {
          records.push_back(std::move(entry.record));
        } else {
          ++result.needs_reimport;
        }
        return true;
      }));
  GRIDHUB_RETURN_IF_ERROR(decoded);
  constexpr size_t kChunk = 1000;
  for (size_t start = 0; start < records.size(); start += kChunk) {
    BatchApplier applier(store_, options_, clock_->NowMs());
    GRIDHUB_RETURN_IF_ERROR(applier.Begin());
    const size_t end = std::min(records.size(), start + kChunk);
    for (size_t i = start; i < end; ++i) GRIDHUB_RETURN_IF_ERROR(applier.Apply(records[i]));
    WriteSet writes = applier.Finish();
    if (!writes.empty()) GRIDHUB_RETURN_IF_ERROR(store_->Write(writes, options_.sync));
    const wire::ImportResult& r = applier.result();
    result.retried += static_cast<int64_t>(end - start);
    result.imported += r.imported;
    result.still_quarantined += r.quarantined;
    for (const auto& [k, v] : r.reasons) result.reasons[k] += v;
  }
  result.__isset.reasons = !result.reasons.empty();
  return result;
}

}  // namespace gridhub::hub
