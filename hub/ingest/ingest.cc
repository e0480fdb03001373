#include "hub/ingest/ingest.h"

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gridhub_types.h"
#include "hub/ingest/applier.h"
#include "hub/ingest/workers.h"
#include "hub/store/codec.h"
#include "hub/store/keys.h"
#include "schema/fields.h"
#include "schema/normalize.h"
#include "schema/status.h"

namespace gridhub::hub {
namespace {

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

Ingestor::~Ingestor() = default;  // the workers finish their tasks first

absl::StatusOr<const Model*> Ingestor::ModelLocked() const {
  if (model_) return model_.get();
  GRIDHUB_ASSIGN_OR_RETURN(auto bytes, store_->Get(Family::kMeta, keys::kMetaMatchModel));
  if (!bytes) {
    model_ = std::make_unique<Model>(Model::Default());
    return model_.get();
  }
  wire::MatchModel stored;
  GRIDHUB_RETURN_IF_ERROR(Decode(*bytes, &stored, "stored match model"));
  auto model = Model::FromWire(stored);
  if (!model.ok()) {
    return absl::DataLossError(absl::StrCat("stored match model: ", model.status().message()));
  }
  model_ = std::make_unique<Model>(*std::move(model));
  return model_.get();
}

size_t PreparedBatch::records_done() const {
  if (records_ == nullptr) return 0;
  return std::count_if(records_->begin(), records_->end(),
                       [](const PreparedRecord& r) { return !r.hash.empty(); });
}

PreparedBatch::PreparedBatch() = default;
PreparedBatch::~PreparedBatch() = default;
PreparedBatch::PreparedBatch(PreparedBatch&&) noexcept = default;
PreparedBatch& PreparedBatch::operator=(PreparedBatch&&) noexcept = default;

PreprocessJob::~PreprocessJob() = default;

void PreprocessJob::Work() {
  // One record per claim (about 25 us of work each, so the counter is
  // touched rarely): a thread that is set aside holds back at most one.
  const size_t n = batch_->records.size();
  while (true) {
    // Claimed before anything else is touched: after Take or TakeDone no
    // claim succeeds.
    const size_t i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i >= n) return;
    PreNormalize(hint_, batch_->records[i], *normalize_, now_, &(*records_)[i]);
    finished_[i].store(true, std::memory_order_release);
    if (done_.fetch_add(1, std::memory_order_acq_rel) + 1 == n) {
      std::lock_guard<std::mutex> lock(mu_);
      all_done_.notify_all();
    }
  }
}

PreparedBatch PreprocessJob::Take() {
  const size_t n = batch_->records.size();
  std::unique_lock<std::mutex> lock(mu_);
  all_done_.wait(lock, [&] { return done_.load(std::memory_order_acquire) == n; });
  return std::move(out_);
}

PreparedBatch PreprocessJob::TakeDone() {
  const size_t n = batch_->records.size();
  // Claims end here: a claim made before this exchange is below `claimed`.
  const size_t claimed = std::min(n, next_.exchange(n, std::memory_order_acq_rel));
  if (done_.load(std::memory_order_acquire) == n) return std::move(out_);
  PreparedBatch taken;
  taken.batch_ = batch_;
  taken.records_ = std::make_unique<std::vector<PreparedRecord>>(n);
  for (size_t i = 0; i < claimed; ++i) {
    // A record still being worked on stays where its thread writes it.
    if (finished_[i].load(std::memory_order_acquire)) {
      (*taken.records_)[i] = std::move((*records_)[i]);
    }
  }
  return taken;
}

std::shared_ptr<PreprocessJob> Ingestor::StartPreprocess(const wire::ImportBatch& batch) const {
  std::shared_ptr<PreprocessJob> job(new PreprocessJob());
  job->batch_ = &batch;
  job->out_.batch_ = &batch;
  job->out_.records_ = std::make_unique<std::vector<PreparedRecord>>(batch.records.size());
  job->records_ = job->out_.records_.get();
  job->finished_ = std::make_unique<std::atomic<bool>[]>(batch.records.size());
  job->normalize_ = std::make_unique<schema::NormalizeOptions>(ImportNormalizeOptions(options_));
  job->now_ = clock_->NowMs();
  // Whether a record is stored unchanged is asked of the store record by
  // record, unless none of the batch's records can be (most batches of a
  // first import): then one seek answers for the batch. A hint only.
  const absl::StatusOr<bool> may_be_stored = MayBeStored(store_, batch.records);
  job->hint_ = !may_be_stored.ok() || *may_be_stored ? store_ : nullptr;
  return job;
}

PreparedBatch Ingestor::Preprocess(const wire::ImportBatch& batch) const {
  std::shared_ptr<PreprocessJob> job = StartPreprocess(batch);
  job->Work();
  return job->Take();
}

absl::StatusOr<wire::ImportResult> Ingestor::Import(const wire::ImportBatch& batch,
                                                    PreparedBatch prepared) {
  if (prepared.batch_ != &batch || prepared.records_ == nullptr ||
      prepared.records_->size() != batch.records.size()) {
    return absl::InvalidArgumentError("the batch was pre-processed as another batch");
  }
  return ImportWith(batch, prepared.records_.get());
}

absl::StatusOr<wire::ImportResult> Ingestor::Import(const wire::ImportBatch& batch) {
  return ImportWith(batch, nullptr);
}

absl::StatusOr<wire::ImportResult> Ingestor::ImportWith(const wire::ImportBatch& batch,
                                                          std::vector<PreparedRecord>* pre) {
  GRIDHUB_RETURN_IF_ERROR(ValidateBatch(batch, options_.max_batch));
  std::lock_guard<std::mutex> lock(mu_);
  GRIDHUB_ASSIGN_OR_RETURN(const Model* model, ModelLocked());
  if (!reaper_) {
    helpers_ = std::make_unique<Workers>(std::max(0, options_.prepare_threads - 1));
    reaper_ = std::make_unique<Workers>(1);
  }
  using Steady = std::chrono::steady_clock;
  auto seconds = [](Steady::time_point from, Steady::time_point to) {
    return std::chrono::duration<double>(to - from).count();
  };
  const Steady::time_point started = Steady::now();
  auto applier = std::make_unique<Applier>(store_, options_, *model, clock_->NowMs());
  GRIDHUB_RETURN_IF_ERROR(applier->Begin());
  GRIDHUB_RETURN_IF_ERROR(applier->ApplyBatch(batch.records, helpers_.get(), pre));
  for (const auto& row : batch.rejected) applier->Reject(row);
  if (batch.__isset.checkpoint) applier->Checkpoint(batch.source, batch.checkpoint);
  const Steady::time_point resolved = Steady::now();
  GRIDHUB_ASSIGN_OR_RETURN(WriteSet writes, applier->Finish(helpers_.get()));
  const Steady::time_point finished = Steady::now();
  wire::ImportResult result = std::move(applier->result());
  // Freeing a batch's state is ~7% of its cost, and the engine's write
  // below keeps one core busy and leaves the other idle: the resolution
  // state (residents, postings) is freed on the reaper during the write,
  // the write set after it, and the next Import waits for both before it
  // queues its own (at most one batch's freeing is pending).
  const Steady::time_point reaping = Steady::now();
  if (freeing_) freeing_->Wait();
  const double reap_wait = seconds(reaping, Steady::now());
  auto freeing = std::make_shared<TaskGroup>(2);
  auto free_later = [this, &freeing](std::function<void()> free) {
    if (reaper_->size() == 0) {  // no thread: freed here
      free();
      freeing->Done();
      return;
    }
    try {
      // The task alone owns what it frees.
      reaper_->Post([free = std::move(free), done = freeing] {
        free();
        done->Done();
      });
    } catch (const std::exception&) {
      // Not queued (out of memory): what it held was freed here as the
      // task unwound.
      freeing->Done();
    }
  };
  free_later([applier = std::shared_ptr<Applier>(std::move(applier))]() mutable { applier.reset(); });
  const Steady::time_point writing = Steady::now();
  absl::Status written = writes.empty() ? absl::OkStatus() : store_->Write(writes, options_.sync);
  if (written.ok()) {
    phases_.batches += 1;
    phases_.resolve_seconds += seconds(started, resolved);
    phases_.finish_seconds += seconds(resolved, finished);
    phases_.write_seconds += seconds(writing, Steady::now());
    phases_.reap_wait_seconds += reap_wait;
  }
  free_later([writes = std::make_shared<WriteSet>(std::move(writes))]() mutable { writes.reset(); });
  freeing_ = std::move(freeing);
  GRIDHUB_RETURN_IF_ERROR(written);
  return result;
}

ImportPhases Ingestor::import_phases() const {
  std::lock_guard<std::mutex> lock(mu_);
  return phases_;
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
    GRIDHUB_ASSIGN_OR_RETURN(const Model* model, ModelLocked());
    Applier applier(store_, options_, *model, clock_->NowMs());
    GRIDHUB_RETURN_IF_ERROR(applier.Begin());
    const size_t end = std::min(records.size(), start + kChunk);
    for (size_t i = start; i < end; ++i) GRIDHUB_RETURN_IF_ERROR(applier.Apply(records[i]));
    GRIDHUB_ASSIGN_OR_RETURN(WriteSet writes, applier.Finish());
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
