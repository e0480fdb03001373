// hub/store/kv_store.h: the ordered key-value store gridhub keeps everything
// in, split into column families.
//
// This interface is the seam between gridhub's core and its storage engine.
// The embedded implementation (rocks_store.cc) is RocksDB with one column
// family per Family below; a distributed one would map families to key
// prefixes on TiKV. Only the implementation includes RocksDB headers, and it
// converts rocksdb::Status to absl::Status at this boundary.
//
// Thread-safety: every method may be called from several threads at once.
// A Write is atomic: all of its operations become visible together or none
// do, even across a crash.
#ifndef GRIDHUB_HUB_STORE_KV_STORE_H_
#define GRIDHUB_HUB_STORE_KV_STORE_H_

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gridhub::hub {

// Column families (see ../shared/DESIGN.md, "Storage").
enum class Family : int {
  kRaw = 0,     // source \0 record id -> StoredRecord
  kLink,        // source \0 record id -> resident id
  kResident,    // resident id -> Resident
  kIndex,       // kind \0 value \0 resident id -> ""
  kReview,      // pair -> uncertain pair awaiting a steward
  kJudgement,   // pair -> human decision
  kAudit,       // sequence -> audit event
  kMeta,        // name -> counters, checkpoints, schema version
  kQuarantine,  // source \0 line -> RejectedRow
};
inline constexpr size_t kFamilyCount = 9;

// The family's column-family name on disk ("raw", "link", ...).
std::string_view FamilyName(Family family);

// A set of writes applied atomically by KvStore::Write.
class WriteSet {
 public:
  struct Op {
    Family family;
    std::string key;
    std::optional<std::string> value;  // nullopt = delete
  };

  void Put(Family family, std::string key, std::string value) {
    ops_.push_back({family, std::move(key), std::move(value)});
  }
  void Delete(Family family, std::string key) {
    ops_.push_back({family, std::move(key), std::nullopt});
  }
  void Reserve(size_t ops) { ops_.reserve(ops); }
  const std::vector<Op>& ops() const { return ops_; }
  bool empty() const { return ops_.empty(); }

 private:
  std::vector<Op> ops_;
};

struct StoreOptions {
  // Directory of the database. Required.
  std::string path;
  // Create the database when the directory holds none. Default: true.
  bool create_if_missing = true;
  // Shared block cache for all families, in bytes. Default: 256 MiB.
  size_t block_cache_bytes = 256u << 20;
  // Memtables of all families together, in bytes (past it the largest is
  // flushed). Default: 256 MiB.
  size_t memtable_bytes = 256u << 20;
  // Open read-only (tools). Default: false.
  bool read_only = false;
  // Count the engine's work (cache hits and misses, reads by level) for
  // KvStore::EngineStatistics; costs a little on every operation, so off
  // unless a benchmark asks. Default: false.
  bool statistics = false;
};

class KvStore {
 public:
  virtual ~KvStore() = default;

  // Reads one key. OK(nullopt) when absent; kInternal / kDataLoss on engine
  // errors (message names the family).
  virtual absl::StatusOr<std::optional<std::string>> Get(Family family,
                                                         std::string_view key) const = 0;

  // Reads several keys of one family: (*values)[i] is keys[i]'s value, as
  // Get would return it. An engine error on any key fails the whole call
  // (then *values holds nothing to rely on). The embedded store looks them
  // up together (one snapshot, shared filter and block lookups), which
  // costs less than as many Gets.
  virtual absl::Status MultiGet(Family family, const std::vector<std::string>& keys,
                                std::vector<std::optional<std::string>>* values) const {
    values->assign(keys.size(), std::nullopt);
    for (size_t i = 0; i < keys.size(); ++i) {
      absl::StatusOr<std::optional<std::string>> v = Get(family, keys[i]);
      if (!v.ok()) return v.status();
      (*values)[i] = *std::move(v);
    }
    return absl::OkStatus();
  }

  // Applies `writes` atomically. With `sync`, returns only once the writes
  // are durable (fsync'd WAL). kInternal / kIOError-like kUnavailable on
  // engine errors; nothing is applied then.
  virtual absl::Status Write(const WriteSet& writes, bool sync) = 0;

  // Visits keys of `family` that start with `prefix` and are >= `start`
  // (start "" = from the prefix), in key order, until `visit` returns false.
  virtual absl::Status Scan(
      Family family, std::string_view prefix, std::string_view start,
      const std::function<bool(std::string_view key, std::string_view value)>& visit) const = 0;

  // The engine's counters as "name value" lines (StoreOptions::statistics);
  // "" when not collected.
  virtual std::string EngineStatistics() const { return ""; }
};

// Opens (or creates) the embedded RocksDB store. kInvalidArgument for an
// empty path; kFailedPrecondition when another process holds the database
// lock; kInternal / kDataLoss (naming the path) for other engine errors.
absl::StatusOr<std::unique_ptr<KvStore>> OpenRocksStore(const StoreOptions& options);

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_STORE_KV_STORE_H_
