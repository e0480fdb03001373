// ingest_bench: import + resolve throughput and peak memory, in process.
//
//   ingest_bench [--batch N] [--ahead N] [--reader-nice N] [--threads N] [--no-sync] [--truth TRUTH_CSV]
//                [--cache-mb N] [--memtable-mb N] [--keep STORE_DIR] [--stats] DIR_OR_FILE...
//
// Reads each CSV/XLSX file (or every .csv in a directory) through the same
// connectors and header detection as `hubctl import`, and feeds batches to
// the Ingestor over a fresh RocksDB store in a temporary directory; the
// source name is the file's stem. Files are read on a second thread, at a
// low CPU priority (--reader-nice, default 19), up to --ahead N batches
// (default 3) ahead of the one imported; it pre-processes the waiting
// batches (Ingestor::StartPreprocess) in the time the import leaves idle,
// and the importing thread takes each as far as it got (TakeDone) without
// waiting (0 = read ahead only). Prints records/s for the whole run and
// peak resident memory, and progress every 100,000 records on stderr.
// --threads is IngestOptions::prepare_threads (default 2). With --truth (source,record_id,person_id, as
// ops/gen-county.py and ops/febrl-to-csv.py write), also prints pairwise
// precision, recall and F1 of the residents, read from the link family.
// Not a test: figures go to the README.
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>
#include <filesystem>
#include <fstream>
#include <map>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "connectors/connector.h"
#include "gridhub_types.h"
#include "hub/clock.h"
#include "hub/huge_pages.h"
#include "hub/ingest/ingest.h"
#include "hub/store/keys.h"
#include "hub/store/kv_store.h"
#include "schema/headers.h"
#include "schema/mapping.h"

namespace {

namespace fs = std::filesystem;
using gridhub::wire::ImportBatch;

long PeakRssMb() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

int64_t Pairs(int64_t n) { return n * (n - 1) / 2; }

// Usage error for an option that needs a positive number; the exit code.
int BadNumber(const std::string& option, const char* value) {
  std::cerr << "ingest_bench: " << option << " needs a positive number, not \"" << value
            << "\" (see --help)\n";
  return 2;
}

// Pairwise precision, recall and F1 of the link family against a truth file.
bool Evaluate(const gridhub::hub::KvStore* store, const std::string& truth_path) {
  std::ifstream in(truth_path);
  if (!in) {
    std::cerr << "ingest_bench: cannot read " << truth_path << "\n";
    return false;
  }
  std::map<std::string, std::string> person;  // source \0 record id -> person
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t a = line.find(','), b = line.rfind(',');
    if (a == std::string::npos || a == b) continue;
    person[gridhub::hub::keys::Record(line.substr(0, a), line.substr(a + 1, b - a - 1))] =
        line.substr(b + 1);
  }
  std::map<std::string, int64_t> by_resident, by_person;
  std::map<std::pair<std::string, std::string>, int64_t> both;
  auto s = store->Scan(gridhub::hub::Family::kLink, "", "", [&](std::string_view k, std::string_view v) {
    auto it = person.find(std::string(k));
    if (it == person.end()) return true;
    ++by_resident[std::string(v)];
    ++both[{std::string(v), it->second}];
    return true;
  });
  if (!s.ok()) {
    std::cerr << s << "\n";
    return false;
  }
  for (const auto& [k, p] : person) ++by_person[p];
  int64_t tp = 0, predicted = 0, actual = 0;
  for (const auto& [k, n] : both) tp += Pairs(n);
  for (const auto& [k, n] : by_resident) predicted += Pairs(n);
  for (const auto& [k, n] : by_person) actual += Pairs(n);
  const double precision = predicted ? static_cast<double>(tp) / predicted : 1;
  const double recall = actual ? static_cast<double>(tp) / actual : 1;
  const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
  std::cout << absl::StrFormat(
      "pairs: true %d, predicted %d, correct %d; precision %.4f recall %.4f F1 %.4f\n", actual,
      predicted, tp, precision, recall, f1);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  size_t batch_size = 2000;
  size_t ahead = 3;      // batches pre-processed ahead of the one imported
  int reader_nice = 19;  // the reading thread's nice value (0 = as the importing thread)
  int threads = 2;
  bool sync = true;
  std::string truth_path;
  std::string keep_dir;  // --keep: the store stays there for inspection
  gridhub::hub::StoreOptions store_options;
  size_t mb = 0;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--batch" && i + 1 < argc) {
      if (!absl::SimpleAtoi(argv[++i], &batch_size) || batch_size == 0) return BadNumber(arg, argv[i]);
    } else if (arg == "--ahead" && i + 1 < argc) {
      if (!absl::SimpleAtoi(argv[++i], &ahead)) return BadNumber(arg, argv[i]);
    } else if (arg == "--reader-nice" && i + 1 < argc) {
      if (!absl::SimpleAtoi(argv[++i], &reader_nice) || reader_nice < 0 || reader_nice > 19) {
        std::cerr << "ingest_bench: --reader-nice needs 0-19 (see --help)\n";
        return 2;
      }
    } else if (arg == "--threads" && i + 1 < argc) {
      if (!absl::SimpleAtoi(argv[++i], &threads) || threads < 1) return BadNumber(arg, argv[i]);
    } else if (arg == "--truth" && i + 1 < argc) {
      truth_path = argv[++i];
    } else if (arg == "--keep" && i + 1 < argc) {
      keep_dir = argv[++i];
      if (fs::exists(keep_dir)) {
        std::cerr << "ingest_bench: --keep " << keep_dir << " already exists\n";
        return 2;
      }
    } else if (arg == "--cache-mb" && i + 1 < argc) {
      if (!absl::SimpleAtoi(argv[++i], &mb) || mb == 0) return BadNumber(arg, argv[i]);
      store_options.block_cache_bytes = mb << 20;
    } else if (arg == "--memtable-mb" && i + 1 < argc) {
      if (!absl::SimpleAtoi(argv[++i], &mb) || mb == 0) return BadNumber(arg, argv[i]);
      store_options.memtable_bytes = mb << 20;
    } else if (arg == "--stats") {
      store_options.statistics = true;
    } else if (arg == "--no-sync") {
      sync = false;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << "usage: ingest_bench [--batch N] [--ahead N] [--reader-nice N] [--threads N] [--no-sync]\n"
                   "                    [--truth TRUTH_CSV]\n"
                   "                    [--cache-mb N] [--memtable-mb N] [--keep STORE_DIR] [--stats] DIR_OR_FILE...\n"
                   "--cache-mb, --memtable-mb: the store's block cache and memtable budget\n"
                   "  (StoreOptions; hubd's defaults when not given)\n"
                   "--ahead: batches read ahead on a second thread (default 3), which\n"
                   "  pre-processes them (Ingestor::StartPreprocess: content hash, normalization,\n"
                   "  block keys) while the one before is imported; each batch is imported as far\n"
                   "  as it got, Import does the rest (0 = only read ahead, then import)\n"
                   "--reader-nice: the reading thread's nice value (default 19: it runs when a\n"
                   "  core is idle; 0 = the importing thread's priority)\n"
                   "--keep: build the store in STORE_DIR (must not exist) and leave it there\n"
                   "--stats: print RocksDB's counters after the import (cache hits and misses,\n"
                   "  point reads served by memtables and by level)\n"
                   "The heap is on transparent huge pages as in hubd; GRIDHUB_HUGE_PAGES=off in the\n"
                   "environment keeps it on normal pages.\n";
      return 0;
    } else if (fs::is_directory(arg)) {
      for (const auto& e : fs::directory_iterator(arg)) {
        if (e.path().extension() == ".csv" && e.path().stem() != "truth" && e.path().stem() != "persons") {
          files.push_back(e.path());
        }
      }
    } else if (fs::is_regular_file(arg)) {
      files.emplace_back(arg);
    } else {
      std::cerr << "ingest_bench: " << arg << " is neither a file nor a directory (see --help)\n";
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::cerr << "ingest_bench: no input files (see --help)\n";
    return 2;
  }
  // As hubd does, before the store's threads start (hub/huge_pages.h).
  const absl::Status huge = gridhub::hub::UseHugePages();
  std::cout << "heap: " << (huge.ok() ? "2 MiB transparent huge pages" : "normal pages: ")
            << (huge.ok() ? "" : huge.message()) << "\n";
  const fs::path dir = keep_dir.empty()
                           ? fs::temp_directory_path() / absl::StrFormat("gridhub-bench-%d", getpid())
                           : fs::path(keep_dir);
  store_options.path = (dir / "db").string();
  fs::create_directories(dir);
  auto store = gridhub::hub::OpenRocksStore(store_options);
  if (!store.ok()) {
    std::cerr << store.status() << "\n";
    return 1;
  }
  gridhub::hub::SystemClock clock;
  gridhub::hub::IngestOptions options;
  options.sync = sync;
  options.prepare_threads = threads;
  gridhub::hub::Ingestor ingestor(store->get(), &clock, options);
  gridhub::connectors::ConnectorRegistry registry;
  gridhub::connectors::RegisterAll(&registry);

  // A reading thread turns the files into batches, at most `ahead` waiting
  // (at least one), and with --ahead (the default) pre-processes the oldest
  // waiting batch (Ingestor::StartPreprocess) whenever `ahead` are read.
  // The importing thread takes the next batch as far as it is pre-processed
  // (PreprocessJob::TakeDone) and never waits for the rest: Import prepares
  // it on both cores. The reading thread runs at a low priority, so it
  // works in the time the import leaves idle and falls behind otherwise.
  struct Item {
    ImportBatch batch;
    std::shared_ptr<gridhub::hub::PreprocessJob> job;  // with --ahead
    std::string error;                                 // set: the reader stopped here
  };
  std::mutex mu;
  std::condition_variable changed;
  std::deque<std::shared_ptr<Item>> queue;    // read, waiting to be imported
  std::deque<std::shared_ptr<Item>> pending;  // of those, not yet worked on
  bool reading_done = false, stop_reading = false;
  std::atomic<int64_t> records{0};
  const size_t capacity = std::max<size_t>(ahead, 1);
  // Pre-processes the oldest batch not worked on yet, outside the lock
  // (returns at once when the importing thread took it meanwhile).
  auto work_oldest = [&](std::unique_lock<std::mutex>& lock) {
    std::shared_ptr<Item> next = std::move(pending.front());
    pending.pop_front();
    lock.unlock();
    next->job->Work();
    lock.lock();
  };
  // Queues a batch read; pre-processes waiting batches, oldest first, while
  // the queue is full. false: stop reading.
  auto push = [&](std::shared_ptr<Item> item) {
    std::unique_lock<std::mutex> lock(mu);
    if (item->job != nullptr) pending.push_back(item);
    queue.push_back(std::move(item));
    changed.notify_all();
    while (!stop_reading && queue.size() >= capacity) {
      if (pending.empty()) {
        changed.wait(lock);
      } else {
        work_oldest(lock);
      }
    }
    return !stop_reading;
  };
  auto read_all = [&]() -> std::string {
    for (const fs::path& file : files) {
      auto kind = gridhub::connectors::ConnectorForPath(file.string());
      if (!kind.ok()) return absl::StrCat(file.string(), ": ", kind.status().message());
      auto conn = registry.Create(*kind, {{"path", file.string()}});
      if (!conn.ok()) return conn.status().ToString();
      const auto detection = gridhub::schema::DetectHeaders((*conn)->columns());
      auto plan = gridhub::schema::ColumnPlan::Create(detection.mapping, (*conn)->columns());
      if (!plan.ok()) return absl::StrCat(file.string(), ": ", plan.status().ToString());
      const std::string source = file.stem().string();
      auto item = std::make_shared<Item>();
      item->batch.source = source;
      auto send = [&] {
        if (item->batch.records.empty()) return true;
        if (ahead > 0) item->job = ingestor.StartPreprocess(item->batch);
        if (!push(std::move(item))) return false;
        item = std::make_shared<Item>();
        item->batch.source = source;
        return true;
      };
      gridhub::connectors::SourceItem row;
      gridhub::schema::MappedRow mapped;
      while (true) {
        auto more = (*conn)->Next(&row);
        if (!more.ok() || !*more) break;
        if (row.is_error || !plan->Apply(row.row.cells, row.row.line, &mapped).ok()) continue;
        gridhub::wire::SourceRecord rec;
        rec.source = source;
        rec.record_id = mapped.record_id;
        rec.fields.reserve(mapped.fields.size());
        for (auto& [f, v] : mapped.fields) rec.fields[f] = std::move(v);
        rec.attributes.reserve(mapped.attributes.size());
        for (auto& [k, v] : mapped.attributes) rec.attributes[k] = std::move(v);
        rec.__isset.attributes = !rec.attributes.empty();
        item->batch.records.push_back(std::move(rec));
        records.fetch_add(1, std::memory_order_relaxed);
        if (item->batch.records.size() >= batch_size && !send()) return "";
      }
      if (!send()) return "";
    }
    return "";
  };

  int64_t imported = 0, created = 0, linked = 0, quarantined = 0, unchanged = 0, reviews = 0;
  double ingest_seconds = 0;
  double reader_wait_seconds = 0;  // the importing thread waiting for a batch
  int64_t done_ahead = 0;           // records pre-processed by the reading thread
  const auto start = std::chrono::steady_clock::now();
  std::thread reader([&] {
    // Background work: at a low CPU priority it takes the moments the
    // importing thread and its helper leave a core idle (the engine's write
    // runs on one), instead of taking turns with them, which made the
    // importing thread wait for a descheduled helper.
    if (reader_nice != 0 && setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), reader_nice) != 0) {
      std::cerr << "ingest_bench: could not lower the reading thread's priority; it runs at the "
                   "importing thread's\n";
    }
    std::string error = read_all();
    std::unique_lock<std::mutex> lock(mu);
    if (!error.empty()) {
      auto item = std::make_shared<Item>();
      item->error = std::move(error);
      queue.push_back(std::move(item));
    }
    reading_done = true;
    changed.notify_all();
    // The last batches read, not imported yet.
    while (!stop_reading && !pending.empty()) work_oldest(lock);
  });
  int exit_code = 0;
  while (true) {
    std::shared_ptr<Item> item;
    {
      std::unique_lock<std::mutex> lock(mu);
      if (queue.empty() && !reading_done) {
        const auto w0 = std::chrono::steady_clock::now();
        changed.wait(lock, [&] { return !queue.empty() || reading_done; });
        reader_wait_seconds +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
      }
      if (queue.empty()) break;
      item = std::move(queue.front());
      queue.pop_front();
      // Taken now, as far as it got: no longer the reading thread's to do
      // (`pending` is the part of `queue` not worked on, in its order).
      if (!pending.empty() && pending.front() == item) pending.pop_front();
      changed.notify_all();
    }
    if (!item->error.empty()) {
      std::cerr << "ingest_bench: " << item->error << "\n";
      exit_code = 2;
      break;
    }
    const auto t0 = std::chrono::steady_clock::now();
    absl::StatusOr<gridhub::wire::ImportResult> r;
    if (item->job != nullptr) {
      gridhub::hub::PreparedBatch prepared = item->job->TakeDone();
      done_ahead += static_cast<int64_t>(prepared.records_done());
      r = ingestor.Import(item->batch, std::move(prepared));
    } else {
      r = ingestor.Import(item->batch);
    }
    ingest_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r.ok()) {
      std::cerr << r.status() << "\n";
      exit_code = 1;
      break;
    }
    const int64_t before = imported + quarantined + unchanged;
    imported += r->imported;
    unchanged += r->unchanged;
    created += r->residents_created;
    linked += r->records_linked;
    reviews += r->review_queued;
    quarantined += r->quarantined;
    const int64_t done = imported + quarantined + unchanged;
    if (done / 100000 != before / 100000) {
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      struct rusage ru;
      getrusage(RUSAGE_SELF, &ru);
      const double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
      std::cerr << absl::StrFormat(
          "progress: %d records, %.1f s wall (%.0f records/s), %.1f s user CPU, peak RSS %d MB\n",
          done, wall, done / wall, cpu, PeakRssMb());
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    stop_reading = true;
    // After an error batches may wait: their pre-processing stops too.
    for (const auto& waiting : queue) {
      if (waiting->job != nullptr) waiting->job->TakeDone();
    }
    changed.notify_all();
  }
  reader.join();
  if (exit_code != 0) return exit_code;
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << absl::StrFormat(
      "records %d (imported %d, quarantined %d), residents created %d, records linked %d, pairs "
      "queued for review %d\n"
      "total %.1f s: %.0f records/s end to end (read + map + normalize + resolve + write%s)\n"
      "ingest %.1f s: %.0f records/s in Ingestor::Import (%s%s)\n"
      "waiting for the reading thread's next batch %.1f s; records it pre-processed %d (the "
      "rest in Import)\n"
      "peak RSS %d MB\n",
      records.load(), imported, quarantined, created, linked, reviews, total,
      static_cast<double>(records.load()) / total,
      ahead > 0 ? "; reading and pre-processing batches ahead" : "", ingest_seconds,
      static_cast<double>(records.load()) / ingest_seconds,
      ahead > 0 ? "resolve + write; normalized ahead, outside Import" : "normalize + resolve + write",
      sync ? ", synced batches" : ", unsynced", reader_wait_seconds, done_ahead, PeakRssMb());
  const gridhub::hub::ImportPhases phases = ingestor.import_phases();
  std::cout << absl::StrFormat(
      "phases of Import (importing thread, %d batches): resolve %.1f s, finish %.1f s, "
      "write %.1f s, waiting for the previous batch to be freed %.1f s\n",
      phases.batches, phases.resolve_seconds, phases.finish_seconds, phases.write_seconds,
      phases.reap_wait_seconds);
  if (store_options.statistics) {
    std::cout << "RocksDB statistics of the import (non-zero counters):\n"
              << (*store)->EngineStatistics();
  }
  if (!truth_path.empty() && !Evaluate(store->get(), truth_path)) return 1;
  store->reset();
  if (keep_dir.empty()) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  return 0;
}
