// hub/ingest/ingest.h: turns batches of source records into residents.
//
// For each record of a batch: compare its content hash with the stored copy
// (an unchanged record is a no-op), normalize every field
// (schema/normalize.h) and cross-check them, count the repairs and doubts
// (ImportResult.flags), and quarantine the record when it has no usable
// identity (neither a valid ID number nor a valid name): it is kept with its
// reason codes and can be retried after a normalizer is fixed. Otherwise
// resolve it against the stored residents (applier.h: blocking, scoring,
// the ID-number rules, stewards' judgements, merges, the review queue).
// Resident ids come from a counter and are never reused.
//
// One batch is one atomic, synced WriteSet: raw records, links, residents,
// index postings, review items, quarantined rows, the id counter and the
// source checkpoint together. A crash loses or keeps a whole batch, never half of one, so
// re-importing after a crash neither loses nor doubles a record.
//
// Thread-safety: Import may be called from many threads; batches are applied
// one at a time (a single writer keeps resolution consistent).
#ifndef GRIDHUB_HUB_INGEST_INGEST_H_
#define GRIDHUB_HUB_INGEST_INGEST_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hub/clock.h"
#include "hub/resolve/golden.h"
#include "hub/store/kv_store.h"

namespace gridhub::wire {
class ImportBatch;
class ImportResult;
class MatchModel;
class PairExplanation;
class QuarantineEntry;
class RecordRef;
class ResidentExplanation;
class RetryResult;
class ReviewItem;
}  // namespace gridhub::wire

namespace gridhub::schema {
struct NormalizeOptions;
}  // namespace gridhub::schema

namespace gridhub::hub {

class Model;
class TaskGroup;
class Workers;

struct IngestOptions {
  GoldenOptions golden;
  // The home county's full name prefix ("浙江省杭州市桐庐县") for address
  // comparison keys. Default: none.
  std::string home_county;
  // Sync each batch to disk before returning. Default: true.
  bool sync = true;
  // Largest batch accepted, in records plus rejected rows. Default: 100000.
  size_t max_batch = 100000;
  // Threads that prepare a batch's records (content hash, normalization,
  // reads of their stored state) ahead of the resolution, which is
  // sequential; 1 = all on the importing thread. Default: 2.
  int prepare_threads = 2;
};

// Where Import's time has gone since the Ingestor was made, over the
// batches it wrote, in wall seconds of the importing thread: resolving the
// records (prepared ahead on the helpers meanwhile), Finish (changed
// residents and postings encoded, the writes sorted), the engine's write,
// and waiting for the previous batch's state to be freed. For benchmarks:
// during Finish and the write one core does the work (README, "Performance").
struct ImportPhases {
  int64_t batches = 0;
  double resolve_seconds = 0;
  double finish_seconds = 0;
  double write_seconds = 0;
  double reap_wait_seconds = 0;
};

struct PreparedRecord;

// A batch's records pre-processed by Ingestor::Preprocess, for Import of
// that same batch (movable; owns its records' normalized forms).
class PreparedBatch {
 public:
  PreparedBatch();
  ~PreparedBatch();
  PreparedBatch(PreparedBatch&&) noexcept;
  PreparedBatch& operator=(PreparedBatch&&) noexcept;

  // Records pre-processed (the rest are left for Import to prepare).
  size_t records_done() const;

 private:
  friend class Ingestor;
  friend class PreprocessJob;
  const wire::ImportBatch* batch_ = nullptr;  // what it was made for
  std::unique_ptr<std::vector<PreparedRecord>> records_;
};

// One batch's pre-processing (Ingestor::Preprocess) as a job that threads
// can share and that need not be finished: Work claims records one at a
// time, and TakeDone hands over what is done so far without waiting, which
// Import completes itself. A pipeline that pre-processes ahead at a low CPU
// priority thus never makes the importing thread wait for it. Made by
// Ingestor::StartPreprocess; the batch must outlive every Work call and
// stay unchanged, and a thread calling Work holds its own shared_ptr to
// the job (the last record's thread still signals Take after it is done).
class PreprocessJob {
 public:
  ~PreprocessJob();
  PreprocessJob(const PreprocessJob&) = delete;
  PreprocessJob& operator=(const PreprocessJob&) = delete;

  // Pre-processes records that no thread has claimed, one at a time, until
  // none is left or the job is taken; returns at once after Take or
  // TakeDone. Thread-safe.
  void Work();
  // Waits until every record is pre-processed and hands the result over.
  // Once, and not after TakeDone.
  PreparedBatch Take();
  // Hands over the records pre-processed so far, at once: records not
  // claimed yet, and those another thread is still working on, are left
  // for Import to prepare (their work, when it ends, is dropped). No record
  // is claimed after it. Once, and not after Take.
  PreparedBatch TakeDone();

 private:
  friend class Ingestor;
  PreprocessJob() = default;

  const wire::ImportBatch* batch_ = nullptr;
  const KvStore* hint_ = nullptr;  // nullptr: none of the records can be stored
  std::unique_ptr<schema::NormalizeOptions> normalize_;
  int64_t now_ = 0;
  PreparedBatch out_;  // moved away by Take and TakeDone
  // out_'s records, at an address that stays while a claimed record is
  // worked on (neither Take nor TakeDone frees them then).
  std::vector<PreparedRecord>* records_ = nullptr;
  std::unique_ptr<std::atomic<bool>[]> finished_;  // per record, set when records_'s is written
  std::atomic<size_t> next_{0};                    // the first record not claimed
  std::atomic<size_t> done_{0};                    // records pre-processed
  std::mutex mu_;
  std::condition_variable all_done_;
};

class Ingestor {
 public:
  // `store` and `clock` must outlive the Ingestor.
  Ingestor(KvStore* store, const Clock* clock, IngestOptions options = {});
  ~Ingestor();

  // Applies one batch. kInvalidArgument (naming the record) for a batch that
  // is too large, has no source name, or a record with an empty id or a
  // source different from the batch's; nothing is written then. Store
  // errors are passed up; nothing of the batch is applied then.
  absl::StatusOr<wire::ImportResult> Import(const wire::ImportBatch& batch);
  // The same, with `prepared` = Preprocess(batch) of this very batch (same
  // object, unchanged since; kInvalidArgument otherwise). Consumed.
  absl::StatusOr<wire::ImportResult> Import(const wire::ImportBatch& batch,
                                            PreparedBatch prepared);

  // The work of importing `batch` that depends on no other batch: each
  // record's content hash and, unless the store holds it unchanged, its
  // normalized form and block keys (about a fifth of an import's CPU).
  // Takes no lock: a client that keeps one batch ahead (Preprocess of the
  // next while Import of the current one runs) lets the machine's other
  // core do it while Import writes, which it does on one. Reads the store
  // only as a hint; Import decides with what is committed by then. Records
  // normalized here carry this call's time as their import time.
  PreparedBatch Preprocess(const wire::ImportBatch& batch) const;
  // The same work as a job several threads can share (PreprocessJob):
  // Preprocess(batch) is StartPreprocess(batch), Work, Take.
  std::shared_ptr<PreprocessJob> StartPreprocess(const wire::ImportBatch& batch) const;

  // Totals over every Import so far.
  ImportPhases import_phases() const;

  // Quarantined entries of `source` ("" = all) with keys after `cursor`
  // ("" = from the start), at most `limit`. *next is the cursor of the
  // following page, "" at the end.
  absl::StatusOr<std::vector<wire::QuarantineEntry>> ListQuarantine(const std::string& source,
                                                                    const std::string& cursor,
                                                                    int limit,
                                                                    std::string* next) const;

  // Normalizes every record-level quarantine entry of `source` ("" = all)
  // again; those now usable are imported and released, the others keep
  // their (updated) reasons. Row-level entries are counted as needing a
  // fixed file.
  absl::StatusOr<wire::RetryResult> RetryQuarantine(const std::string& source);

  // --- Stewards (see hub/ingest/steward.cc) ---

  // Review items with pair ids after `cursor` ("" = from the start), at most
  // `limit`; pairs already judged or now in one resident are skipped. *next
  // is the cursor of the following page, "" at the end.
  absl::StatusOr<std::vector<wire::ReviewItem>> ListReview(const std::string& cursor, int limit,
                                                           std::string* next) const;

  // Records a steward's judgement on a queued pair and applies it: "match"
  // merges the two records' residents (older id survives), "no_match" moves
  // the second record out of a shared resident. kNotFound for an unknown
  // pair id; kInvalidArgument for another decision. Returns the residents
  // changed, survivor first.
  absl::StatusOr<std::vector<std::string>> DecideReview(const std::string& pair_id,
                                                        const std::string& decision,
                                                        const std::string& user,
                                                        const std::string& note);

  // Merges resident `other` into `keep` (the older id survives whichever is
  // named first) and records "match" judgements so later imports keep them
  // together. kNotFound for an unknown or merged-away id; kInvalidArgument
  // when both are the same.
  absl::StatusOr<std::vector<std::string>> MergeResidents(const std::string& keep,
                                                          const std::string& other,
                                                          const std::string& user,
                                                          const std::string& note);

  // Moves `records` (members of `resident`) into a new resident and records
  // "no_match" judgements between them and the remaining members. Returns
  // {resident, new id}. kNotFound for an unknown resident; kInvalidArgument
  // when a record is not a member or every member would move.
  absl::StatusOr<std::vector<std::string>> SplitResident(const std::string& resident,
                                                         const std::vector<wire::RecordRef>& records,
                                                         const std::string& user,
                                                         const std::string& note);

  // Why each member record belongs to `resident`. kNotFound when unknown.
  absl::StatusOr<wire::ResidentExplanation> ExplainResident(const std::string& resident) const;

  // The score of two stored records, linked or not. kNotFound when either
  // record is not stored.
  absl::StatusOr<wire::PairExplanation> ExplainPair(const wire::RecordRef& a,
                                                    const wire::RecordRef& b) const;

  // The match model in use (the stored one, else the default).
  absl::StatusOr<wire::MatchModel> GetModel() const;

  // Re-estimates the model by EM from candidate pairs of the stored data,
  // stores it and uses it for later imports. kFailedPrecondition when there
  // are too few pairs to learn from.
  absl::StatusOr<wire::MatchModel> TrainModel();

 private:
  // The model in use, loaded from the store on first use. Needs mu_.
  absl::StatusOr<const Model*> ModelLocked() const;
  // Import, with each record's pre-processed state when `pre` is given.
  absl::StatusOr<wire::ImportResult> ImportWith(const wire::ImportBatch& batch,
                                                std::vector<PreparedRecord>* pre);

  KvStore* store_;
  const Clock* clock_;
  IngestOptions options_;
  mutable std::mutex mu_;  // one unit of change at a time; guards model_
  mutable std::unique_ptr<Model> model_;
  // Threads that prepare records and encode residents for Import, started
  // by the first batch and kept (IngestOptions::prepare_threads - 1). Needs mu_.
  std::unique_ptr<Workers> helpers_;
  // Frees the previous batch's state (resolved residents, postings, the
  // write set) while the next one is resolved; `freeing_` is that task,
  // waited for before the next is queued. Needs mu_.
  std::unique_ptr<Workers> reaper_;
  std::shared_ptr<TaskGroup> freeing_;
  ImportPhases phases_;  // Needs mu_.
};

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_INGEST_INGEST_H_
