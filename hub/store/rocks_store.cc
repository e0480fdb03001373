// The embedded store: RocksDB with one column family per Family. This is the
// only file in gridhub that includes RocksDB headers.
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/slice.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/statistics.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "absl/strings/str_cat.h"
#include "hub/store/kv_store.h"

namespace gridhub::hub {
namespace {

constexpr std::array<std::string_view, kFamilyCount> kFamilyNames = {
    "raw", "link", "resident", "index", "review", "judgement", "audit", "meta", "quarantine"};

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string msg = absl::StrCat(std::string(what), ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsIOError()) {
    if (s.ToString().find("lock") != std::string::npos) return absl::FailedPreconditionError(msg);
    return absl::UnavailableError(msg);
  }
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(msg);
  return absl::InternalError(msg);
}

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

class RocksStore final : public KvStore {
 public:
  RocksStore(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles,
             std::string path, std::shared_ptr<rocksdb::Statistics> statistics)
      : db_(std::move(db)),
        handles_(std::move(handles)),
        path_(std::move(path)),
        statistics_(std::move(statistics)) {}

  ~RocksStore() override {
    for (auto* h : handles_) {
      db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    }
    db_->Close().PermitUncheckedError();
  }

  absl::StatusOr<std::optional<std::string>> Get(Family family,
                                                 std::string_view key) const override {
    NoPerf();
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handle(family), ToSlice(key), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return FromRocks(s, absl::StrCat("get from ", std::string(FamilyName(family))));
    return std::optional<std::string>(std::move(value));
  }

  absl::Status MultiGet(Family family, const std::vector<std::string>& keys,
                        std::vector<std::optional<std::string>>* values) const override {
    values->assign(keys.size(), std::nullopt);
    if (keys.empty()) return absl::OkStatus();
    NoPerf();
    std::vector<rocksdb::Slice> slices;
    slices.reserve(keys.size());
    for (const std::string& k : keys) slices.emplace_back(k);
    std::vector<rocksdb::PinnableSlice> found(keys.size());
    std::vector<rocksdb::Status> statuses(keys.size());
    db_->MultiGet(rocksdb::ReadOptions(), handle(family), keys.size(), slices.data(), found.data(),
                  statuses.data());
    for (size_t i = 0; i < keys.size(); ++i) {
      if (statuses[i].IsNotFound()) continue;
      if (!statuses[i].ok()) {
        return FromRocks(statuses[i], absl::StrCat("get from ", std::string(FamilyName(family))));
      }
      (*values)[i].emplace(found[i].data(), found[i].size());
    }
    return absl::OkStatus();
  }

  absl::Status Write(const WriteSet& writes, bool sync) override {
    // In key order per family: a memtable insert then starts its skiplist
    // search from the previous one instead of from the top (an import's
    // writes took a third less time; the insert hint set in OpenRocksStore
    // makes that hold for keys that are not neighbours too). Stable, so a
    // key written twice keeps its last value.
    // Callers that write in that order already (Import) spare the sort.
    NoPerf();
    const std::vector<WriteSet::Op>& ops = writes.ops();
    std::vector<const WriteSet::Op*> sorted(ops.size());
    for (size_t i = 0; i < ops.size(); ++i) sorted[i] = &ops[i];
    auto before = [](const WriteSet::Op* a, const WriteSet::Op* b) {
      return a->family != b->family ? a->family < b->family : a->key < b->key;
    };
    if (!std::is_sorted(sorted.begin(), sorted.end(), before)) {
      std::stable_sort(sorted.begin(), sorted.end(), before);
    }
    // Room for every record up front: growing a batch of several megabytes
    // by doubling copied it over and over.
    size_t bytes = 64;
    for (const WriteSet::Op& op : ops) bytes += op.key.size() + (op.value ? op.value->size() : 0) + 16;
    std::unique_ptr<rocksdb::WriteBatch> batch = TakeBatch(bytes);
    for (const WriteSet::Op* op_ptr : sorted) {
      const WriteSet::Op& op = *op_ptr;
      rocksdb::Status s = op.value ? batch->Put(handle(op.family), ToSlice(op.key), ToSlice(*op.value))
                                   : batch->Delete(handle(op.family), ToSlice(op.key));
      if (!s.ok()) return FromRocks(s, "building write batch");
    }
    rocksdb::WriteOptions options;
    options.sync = sync;
    absl::Status written = FromRocks(db_->Write(options, batch.get()), absl::StrCat("write to ", path_));
    KeepBatch(std::move(batch));
    return written;
  }

  std::string EngineStatistics() const override {
    if (!statistics_) return "";
    std::map<std::string, uint64_t> tickers;
    statistics_->getTickerMap(&tickers);
    std::string out;
    for (const auto& [name, value] : tickers) {
      if (value != 0) absl::StrAppend(&out, name, " ", value, "\n");
    }
    return out;
  }

  absl::Status Scan(Family family, std::string_view prefix, std::string_view start,
                    const std::function<bool(std::string_view, std::string_view)>& visit)
      const override {
    rocksdb::ReadOptions options;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, handle(family)));
    const std::string_view seek = start.empty() || start < prefix ? prefix : start;
    for (it->Seek(ToSlice(seek)); it->Valid(); it->Next()) {
      const rocksdb::Slice k = it->key();
      const std::string_view key(k.data(), k.size());
      if (key.substr(0, prefix.size()) != prefix) break;
      const rocksdb::Slice v = it->value();
      if (!visit(key, std::string_view(v.data(), v.size()))) break;
    }
    return FromRocks(it->status(), absl::StrCat("scan of ", std::string(FamilyName(family))));
  }

 private:
  // RocksDB counts into a thread-local perf context by default (every key
  // comparison in a memtable search, for instance), and from a shared library
  // each access is a __tls_get_addr call: 4-5% of an import's writing thread.
  // gridhub reads RocksDB's statistics, never its perf context. The level is
  // per thread, so it is set on whichever thread calls.
  static void NoPerf() { rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable); }
  rocksdb::ColumnFamilyHandle* handle(Family f) const { return handles_[static_cast<int>(f)]; }

  // An import's batches are megabytes each, one after the other: a fresh
  // buffer per batch was page-faulted in anew every time (about 1% of an
  // import's CPU), so the last batch's buffer is kept for the next write.
  // Writes that overlap take a fresh one. At most one buffer is kept, and
  // none larger than kMaxKeptBatch, so the memory kept is bounded.
  std::unique_ptr<rocksdb::WriteBatch> TakeBatch(size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(spare_mu_);
      if (spare_ != nullptr) return std::move(spare_);
    }
    return std::make_unique<rocksdb::WriteBatch>(bytes);
  }
  void KeepBatch(std::unique_ptr<rocksdb::WriteBatch> batch) {
    constexpr size_t kMaxKeptBatch = 64 << 20;
    if (batch->GetDataSize() > kMaxKeptBatch) return;
    batch->Clear();  // keeps the buffer's capacity
    std::lock_guard<std::mutex> lock(spare_mu_);
    spare_ = std::move(batch);
  }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::string path_;
  std::shared_ptr<rocksdb::Statistics> statistics_;  // null unless StoreOptions::statistics
  std::mutex spare_mu_;
  std::unique_ptr<rocksdb::WriteBatch> spare_;  // see TakeBatch
};

}  // namespace

std::string_view FamilyName(Family family) { return kFamilyNames[static_cast<int>(family)]; }

absl::StatusOr<std::unique_ptr<KvStore>> OpenRocksStore(const StoreOptions& options) {
  if (options.path.empty()) return absl::InvalidArgumentError("store path is empty");
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  if (options.statistics) db_options.statistics = rocksdb::CreateDBStatistics();
  db_options.keep_log_file_num = 5;
  // All families' memtables together: with the block cache, the bound on
  // the store's memory whatever the amount of data.
  db_options.db_write_buffer_size = options.memtable_bytes;

  // The block cache is RocksDB's lock-free clock cache (HyperClockCache,
  // marked production-ready in RocksDB 7.9; Debian's 7.8.3 has the same code
  // with its last safety fix). An LRU cache takes a shard mutex and moves the
  // entry in its list on every hit and release: 5% of a 1M-record import's
  // CPU, spent on the importing and preparing threads; side by side, the
  // clock cache took 2-5% less CPU in all. Its table is sized for entries of
  // about a data block (4 KiB, the default block size). Index and filter
  // blocks are cached at high priority (below), which a clock cache honours
  // by letting them go round more often before eviction: in a 1M import
  // they missed 32 times each, once per file, against 370,000 hits (an LRU
  // cache without a high-priority pool had let data blocks push them out,
  // 39,000 misses, each read hundreds of kilobytes).
  constexpr size_t kDataBlockBytes = 4096;
  std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::HyperClockCacheOptions(options.block_cache_bytes, kDataBlockBytes)
          .MakeSharedCache();
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (std::string_view name : kFamilyNames) {
    rocksdb::ColumnFamilyOptions cf;
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = cache;
    table.cache_index_and_filter_blocks = true;
    table.cache_index_and_filter_blocks_with_high_priority = true;
    table.pin_l0_filter_and_index_blocks_in_cache = true;
    if (name == "index" || name == "link" || name == "raw" || name == "resident" ||
        name == "quarantine") {
      table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
      // Import reads these key by key, and most reads of a growing store
      // miss (a new record, a new block key): a bloom filter over the
      // memtable answers those without walking its skiplist.
      cf.memtable_prefix_bloom_size_ratio = 0.02;
      cf.memtable_whole_key_filtering = true;
    }
    // Write() hands each family its keys in order, and a memtable insert
    // with a hint starts from where the previous insert of that prefix went
    // (climbing only as far as the new key needs); a plain insert starts
    // again from the top of the skiplist when the key is not right beside
    // the previous one, which it rarely is with 20,000 sorted keys per batch
    // spread over a memtable of millions. One empty prefix: the whole family
    // shares one hint.
    cf.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(0));
    // A flush waits for two full memtables and writes them as one file: a
    // resident or posting rewritten within that span reaches level 0 once,
    // and level 0 holds half as many files (each a bloom filter and an index
    // that a read missing the memtables may consult). 1M records side by
    // side, four rounds: 3.4% less CPU, peak RSS +60 MB (a family may hold
    // three memtables; db_write_buffer_size still bounds them all). Merging
    // three took as much CPU and 100 MB more.
    cf.max_write_buffer_number = 3;
    cf.min_write_buffer_number_to_merge = 2;
    // Level 0 is compacted into level 1 when it holds 8 files, not 4: each
    // compaction rewrites level 1's overlapping files once for twice as many
    // new ones. Reads missing the memtables consult up to twice as many
    // level-0 bloom filters, which costs less. 1M records side by side: 1.9%
    // less CPU in four rounds (1.7% in two of another day), the same peak RSS.
    // (Slowdowns start at 20 files, RocksDB's default.)
    cf.level0_file_num_compaction_trigger = 8;
    // A point read finds its key in a data block by binary search over the
    // block's restart points, then decodes keys one by one from there: with
    // a restart point every 4 keys instead of 16, an import's reads (8 per
    // record) decode a quarter as many (3% of its CPU was in that seek; 1M
    // side by side, four rounds: 3% less CPU in all). Index keys are hashes,
    // which share no prefix to compress between restarts anyway.
    table.block_restart_interval = 4;
    cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    descriptors.emplace_back(std::string(name), cf);
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status s =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, options.path, descriptors, &handles, &raw_db)
          : rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &raw_db);
  if (!s.ok()) return FromRocks(s, absl::StrCat("opening store at ", options.path));
  std::unique_ptr<rocksdb::DB> db(raw_db);
  // handles[0] is the default family, unused by gridhub.
  db->DestroyColumnFamilyHandle(handles[0]).PermitUncheckedError();
  handles.erase(handles.begin());
  return std::unique_ptr<KvStore>(
      new RocksStore(std::move(db), std::move(handles), options.path, db_options.statistics));
}

}  // namespace gridhub::hub
