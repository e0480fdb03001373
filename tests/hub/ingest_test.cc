#include "hub/ingest/ingest.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "hub/ingest/applier.h"
#include "hub/ingest/overlay.h"
#include "hub/ingest/workers.h"
#include "hub/resolve/blocking.h"
#include "hub/resolve/golden.h"
#include "hub/store/codec.h"
#include "hub/store/keys.h"
#include "schema/normalize.h"
#include "tests/hub/ingest_fixture.h"
#include "tests/hub/test_dir.h"

namespace gridhub::hub {
namespace {

const std::string kZhang = ValidId("33012219800101001");  // male, 1980-01-01
const std::string kLi = ValidId("33012719751231002");

using IngestTest = IngestFixture;

TEST_F(IngestTest, LinksRecordsSharingAValidIdNumber) {
  auto r = Import(Batch("police", {Rec("police", "P1", {{"id_number", kZhang}, {"name", "张三"}}),
                                   Rec("police", "P2", {{"id_number", kLi}, {"name", "李四"}})}));
  EXPECT_EQ(r.received, 2);
  EXPECT_EQ(r.imported, 2);
  EXPECT_EQ(r.residents_created, 2);
  EXPECT_EQ(r.records_linked, 0);

  // Civil affairs spells the same number with full-width digits and a lower-case x risk.
  std::string messy = "'" + kZhang.substr(0, 6) + " " + kZhang.substr(6);
  auto c = Import(Batch("civil", {Rec("civil", "C9", {{"id_number", messy}, {"phone", "13812345678"}})}));
  EXPECT_EQ(c.imported, 1);
  EXPECT_EQ(c.residents_created, 0);
  EXPECT_EQ(c.records_linked, 1);
  EXPECT_EQ(Groups(), (std::vector<std::vector<std::string>>{{"civil/C9", "police/P1"}, {"police/P2"}}));
}

// A stored record keeps each field's value, validity, flags and raw text,
// and of the normalizer's derived parts exactly those resolution reads
// (IsComparedPart): house numbers, an ID number's pieces, a phone's kind
// and the like are not stored.
TEST_F(IngestTest, StoredRecordsKeepOnlyTheComparedParts) {
  const StringMap fields = {
      {"name", "张伟"},
      {"id_number", ValidId("33012719760402994")},
      {"household_address", "浙江省杭州市淳安县里商乡横山村11组37号"},
      {"current_address", "杭州市西湖区文三路90号东部软件园3幢2单元501室"},
      {"phone", "0571-88886666转123"},
      {"birth_date", "1976-04-02"},
      {"ethnicity", "汉族"},
      {"grid_code", "330127001001"}};
  Import(Batch("police", {Rec("police", "P1", fields)}));
  auto bytes = store_->Get(Family::kRaw, keys::Record("police", "P1"));
  ASSERT_TRUE(bytes.ok() && bytes->has_value()) << bytes.status();
  wire::StoredRecord stored;
  ASSERT_TRUE(Decode(**bytes, &stored, "stored record").ok());
  ASSERT_EQ(stored.fields.size(), fields.size());
  size_t compared = 0, dropped = 0;
  for (const auto& [field, raw] : fields) {
    SCOPED_TRACE(field);
    const wire::NormalizedValue& got = stored.fields.at(field);
    const schema::Normalized want = schema::NormalizeField(field, raw);
    EXPECT_EQ(got.raw, raw);
    EXPECT_EQ(got.value, want.value);
    EXPECT_EQ(got.valid, want.valid);
    StringMap want_parts;
    for (const auto& [part, text] : want.parts) {
      if (IsComparedPart(part)) {
        want_parts.emplace(part, text);
      } else {
        ++dropped;
      }
    }
    compared += want_parts.size();
    EXPECT_EQ(got.parts, want_parts);
  }
  // The record had both kinds: pinyin, address keys and regions; ID
  // pieces, house numbers, rooms, the phone's kind and extension.
  EXPECT_GE(compared, 6u);
  EXPECT_GE(dropped, 8u);
  EXPECT_EQ(stored.fields.at("name").parts.count("pinyin"), 1u);
  EXPECT_EQ(stored.fields.at("household_address").parts.count("key"), 1u);
}

TEST_F(IngestTest, ReimportingUnchangedRecordsIsANoOp) {
  auto batch = Batch("police", {Rec("police", "P1", {{"id_number", kZhang}, {"name", "张三"}}),
                                Rec("police", "P2", {{"id_number", kZhang}, {"name", "张三"}}),
                                Rec("police", "P3", {{"name", "王五"}})});
  auto first = Import(batch);
  EXPECT_EQ(first.imported, 3);
  EXPECT_EQ(first.residents_created, 2);
  EXPECT_EQ(first.records_linked, 1);
  const auto groups = Groups();
  auto resident = query_->Get(kZhang);
  ASSERT_TRUE(resident.ok());

  auto second = Import(batch);
  EXPECT_EQ(second.received, 3);
  EXPECT_EQ(second.unchanged, 3);
  EXPECT_EQ(second.imported, 0);
  EXPECT_EQ(second.residents_created, 0);
  EXPECT_EQ(second.records_linked, 0);
  EXPECT_EQ(Groups(), groups);
  auto again = query_->Get(kZhang);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->updated_at_ms, resident->updated_at_ms);  // nothing was rewritten
}

TEST_F(IngestTest, FifteenDigitNumberLinksWithItsEighteenDigitForm) {
  const std::string id18 = ValidId("33012219650315123");
  const std::string id15 = id18.substr(0, 6) + id18.substr(8, 9);  // drop "19" and the check char
  Import(Batch("police", {Rec("police", "P1", {{"id_number", id18}})}));
  auto r = Import(Batch("civil", {Rec("civil", "C1", {{"id_number", id15}})}));
  EXPECT_EQ(r.records_linked, 1);
  EXPECT_EQ(Groups().size(), 1u);
}

TEST_F(IngestTest, ChangedRecordUpdatesItsResidentInPlace) {
  Import(Batch("grid", {Rec("grid", "G1", {{"id_number", kZhang}, {"phone", "13800000001"}})}));
  auto r = Import(Batch("grid", {Rec("grid", "G1", {{"id_number", kZhang}, {"phone", "13800000002"}})}));
  EXPECT_EQ(r.imported, 1);
  EXPECT_EQ(r.residents_created, 0);
  auto resident = query_->Get(kZhang);
  ASSERT_TRUE(resident.ok());
  EXPECT_EQ(resident->fields.at("phone"), "13800000002");
  EXPECT_EQ(resident->records.size(), 1u);
}

TEST_F(IngestTest, RecordWhoseIdNumberChangesMovesToTheRightResident) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kZhang}}),
                          Rec("police", "P2", {{"id_number", kLi}})}));
  Import(Batch("civil", {Rec("civil", "C1", {{"id_number", kZhang}})}));
  // Civil affairs corrects C1: it was Li's record all along.
  auto r = Import(Batch("civil", {Rec("civil", "C1", {{"id_number", kLi}})}));
  EXPECT_EQ(r.imported, 1);
  EXPECT_EQ(r.records_linked, 1);
  EXPECT_EQ(Groups(), (std::vector<std::vector<std::string>>{{"civil/C1", "police/P2"}, {"police/P1"}}));
}

TEST_F(IngestTest, RecordGainingAnIdNumberJoinsThatResident) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kZhang}})}));
  Import(Batch("grid", {Rec("grid", "G1", {{"name", "张三"}})}));
  ASSERT_EQ(Groups().size(), 2u);
  Import(Batch("grid", {Rec("grid", "G1", {{"name", "张三"}, {"id_number", kZhang}})}));
  EXPECT_EQ(Groups(), (std::vector<std::vector<std::string>>{{"grid/G1", "police/P1"}}));
}

TEST_F(IngestTest, InvalidIdNumbersDoNotLink) {
  std::string bad = kZhang;
  bad[17] = bad[17] == '0' ? '1' : '0';  // wrong check character
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kZhang}}),
                          Rec("police", "P2", {{"id_number", bad}, {"name", "张三"}})}));
  EXPECT_EQ(Groups().size(), 2u);
  auto resident = query_->Get(kZhang);
  ASSERT_TRUE(resident.ok());
  EXPECT_EQ(resident->records.size(), 1u);
}

TEST_F(IngestTest, ImportOrderDoesNotChangeResidents) {
  testing::TempDir second_store;
  std::vector<wire::SourceRecord> records = {
      Rec("s", "1", {{"id_number", kZhang}}), Rec("s", "2", {{"id_number", kLi}}),
      Rec("s", "3", {{"id_number", kZhang}}), Rec("s", "4", {{"name", "无证"}}),
      Rec("s", "5", {{"id_number", kLi}})};
  for (const auto& r : records) Import(Batch("s", {r}));
  const auto forward = Groups();
  Reopen(second_store.path());
  std::reverse(records.begin(), records.end());
  Import(Batch("s", records));
  EXPECT_EQ(Groups(), forward);
}

// Batches of three sources, small (resolved record by record) and large
// (prepared on the helper threads), with quarantined and, last, unchanged
// records among them.
std::vector<wire::ImportBatch> MixedBatches() {
  std::vector<wire::ImportBatch> out;
  std::vector<wire::SourceRecord> police, grid, small;
  for (int i = 0; i < 120; ++i) {
    const std::string id = ValidId("33012219800101" + std::to_string(100 + i));
    police.push_back(Rec("police", "P" + std::to_string(i),
                         {{"id_number", id}, {"name", "王" + std::to_string(i % 40)},
                          {"phone", "1381234" + std::to_string(1000 + i)}}));
    if (i % 3 == 0) {
      grid.push_back(Rec("grid", "G" + std::to_string(i),
                         {{"name", "王" + std::to_string(i % 40)},
                          {"phone", "1381234" + std::to_string(1000 + i)},
                          {"birth_date", "1980-01-01"}}));
    }
  }
  grid.push_back(Rec("grid", "G-unusable", {{"id_number", "3.30122E+17"}}));
  small.push_back(Rec("civil", "C1", {{"id_number", ValidId("33012219800101100")},
                                      {"name", "王0"}}));
  out.push_back(Batch("police", police));
  out.push_back(Batch("grid", grid));
  out.push_back(Batch("civil", small));
  out.push_back(Batch("police", police));  // again: unchanged
  return out;
}

class PreprocessTest : public IngestFixture {
 protected:
  // What the store holds, but the times records were imported and kept.
  std::map<std::string, std::string> Snapshot() {
    std::map<std::string, std::string> out;
    for (Family f : {Family::kLink, Family::kIndex, Family::kQuarantine}) {
      EXPECT_TRUE(store_->Scan(f, "", "", [&](std::string_view k, std::string_view v) {
        std::string value(v);
        if (f == Family::kQuarantine) value = "";  // holds the time it was kept
        out[std::string(FamilyName(f)) + "/" + std::string(k)] = value;
        return true;
      }).ok());
    }
    EXPECT_TRUE(store_->Scan(Family::kRaw, "", "", [&](std::string_view k, std::string_view v) {
      wire::StoredRecord rec;
      EXPECT_TRUE(Decode(v, &rec, "stored record").ok());
      rec.imported_at_ms = 0;
      out["raw/" + std::string(k)] = Encode(rec);
      return true;
    }).ok());
    return out;
  }

  // Imports MixedBatches plainly, then again into a fresh store through
  // `prepare` (the pre-processed state Import is given for the batch), and
  // expects the same counts, residents, index and stored records.
  void ExpectImportsAsPlain(const std::function<PreparedBatch(const wire::ImportBatch&)>& prepare) {
    std::vector<wire::ImportResult> plain;
    for (const auto& b : MixedBatches()) plain.push_back(Import(b));
    const auto groups = Groups();
    const auto stored = Snapshot();

    testing::TempDir second_store;
    Reopen(second_store.path());
    const std::vector<wire::ImportBatch> again = MixedBatches();
    for (size_t i = 0; i < again.size(); ++i) {
      auto r = ingestor_->Import(again[i], prepare(again[i]));
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(r->imported, plain[i].imported) << "batch " << i;
      EXPECT_EQ(r->unchanged, plain[i].unchanged) << "batch " << i;
      EXPECT_EQ(r->quarantined, plain[i].quarantined) << "batch " << i;
      EXPECT_EQ(r->residents_created, plain[i].residents_created) << "batch " << i;
      EXPECT_EQ(r->records_linked, plain[i].records_linked) << "batch " << i;
    }
    EXPECT_EQ(plain[3].unchanged, 120);
    EXPECT_EQ(Groups(), groups);
    const auto now = Snapshot();
    EXPECT_EQ(now.size(), stored.size());
    for (const auto& [key, value] : stored) {
      auto it = now.find(key);
      EXPECT_TRUE(it != now.end() && it->second == value) << "differs: " << key;
    }
  }
};

// A batch pre-processed (Ingestor::Preprocess) before it is imported gives
// the same residents, index and stored records as one imported plainly.
TEST_F(PreprocessTest, PreprocessedBatchesImportAsPlainOnes) {
  ExpectImportsAsPlain(
      [this](const wire::ImportBatch& b) { return ingestor_->Preprocess(b); });
}

// The same when three threads share each batch's pre-processing
// (PreprocessJob::Work, then Take).
TEST_F(PreprocessTest, BatchesPreprocessedByThreadsTogetherImportAsPlainOnes) {
  ExpectImportsAsPlain([this](const wire::ImportBatch& b) {
    std::shared_ptr<PreprocessJob> job = ingestor_->StartPreprocess(b);
    std::thread t1([&] { job->Work(); }), t2([&] { job->Work(); });
    job->Work();
    t1.join();
    t2.join();
    return job->Take();
  });
}

// A job taken before anyone worked on it hands over nothing pre-processed:
// Import prepares every record itself, and Work after it does nothing.
TEST_F(PreprocessTest, BatchesTakenBeforeAnyWorkImportAsPlainOnes) {
  ExpectImportsAsPlain([this](const wire::ImportBatch& b) {
    std::shared_ptr<PreprocessJob> job = ingestor_->StartPreprocess(b);
    PreparedBatch taken = job->TakeDone();
    job->Work();  // nothing left to claim
    EXPECT_EQ(taken.records_done(), 0u);
    return taken;
  });
}

// A job taken while another thread works on it: whatever was pre-processed
// by then is used, the rest (including the record being worked on) is
// prepared by Import, and the thread's later work is dropped. The same
// residents and store, wherever the take falls.
TEST_F(PreprocessTest, BatchesTakenWhileBeingPreprocessedImportAsPlainOnes) {
  int round = 0;
  ExpectImportsAsPlain([this, &round](const wire::ImportBatch& b) {
    std::shared_ptr<PreprocessJob> job = ingestor_->StartPreprocess(b);
    std::thread worker([job] { job->Work(); });
    // A different moment each batch: at once, after a few records, later.
    std::this_thread::sleep_for(std::chrono::microseconds(300 * (round++ % 4)));
    PreparedBatch taken = job->TakeDone();
    worker.join();
    return taken;
  });
}

// A job fully worked and then taken without waiting hands over everything.
TEST_F(PreprocessTest, BatchesFullyPreprocessedThenTakenImportAsPlainOnes) {
  ExpectImportsAsPlain([this](const wire::ImportBatch& b) {
    std::shared_ptr<PreprocessJob> job = ingestor_->StartPreprocess(b);
    job->Work();
    PreparedBatch taken = job->TakeDone();
    EXPECT_EQ(taken.records_done(), b.records.size());
    job->Work();  // taken: returns at once
    return taken;
  });
}

// A store whose read of one raw record waits until the test opens it: a
// thread pre-processing a batch stops there, with the records before it
// done and the ones after it unclaimed.
// Forwards every call to `base`; the stores below change one of them.
class ForwardingStore : public KvStore {
 public:
  explicit ForwardingStore(KvStore* base) : base_(base) {}

  absl::StatusOr<std::optional<std::string>> Get(Family family,
                                                 std::string_view key) const override {
    return base_->Get(family, key);
  }
  absl::Status MultiGet(Family family, const std::vector<std::string>& keys,
                        std::vector<std::optional<std::string>>* values) const override {
    return base_->MultiGet(family, keys, values);
  }
  absl::Status Write(const WriteSet& writes, bool sync) override { return base_->Write(writes, sync); }
  absl::Status Scan(Family family, std::string_view prefix, std::string_view start,
                    const std::function<bool(std::string_view, std::string_view)>& visit)
      const override {
    return base_->Scan(family, prefix, start, visit);
  }

 protected:
  KvStore* const base_;
};

class GatedStore : public ForwardingStore {
 public:
  GatedStore(KvStore* base, std::string gated_key)
      : ForwardingStore(base), gated_(std::move(gated_key)) {}

  absl::StatusOr<std::optional<std::string>> Get(Family family,
                                                 std::string_view key) const override {
    if (family == Family::kRaw && key == gated_) {
      std::unique_lock<std::mutex> lock(mu_);
      reached_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return open_; });
    }
    return base_->Get(family, key);
  }

  void WaitUntilReached() {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [this] { return reached_; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  const std::string gated_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  mutable bool reached_ = false;
  bool open_ = false;
};

// TakeDone while a thread is inside a record: exactly the records before it
// are handed over, the one in progress stays with its thread (its result,
// written later, does not reach the batch taken), and Import prepares it
// and the rest: the same residents as a plain import.
TEST_F(PreprocessTest, TakeDoneHandsOverExactlyTheFinishedRecords) {
  std::vector<wire::SourceRecord> records;
  for (int i = 0; i < 20; ++i) {
    records.push_back(Rec("s", "R" + std::to_string(100 + i),
                          {{"id_number", ValidId("33012219800101" + std::to_string(100 + i % 7))},
                           {"name", "王" + std::to_string(i % 7)}}));
  }
  // A stored record between the batch's smallest and largest id: every
  // record's stored copy is looked up while pre-processing (the hint).
  const wire::ImportBatch first = Batch("s", {records[10]});
  const wire::ImportBatch batch = Batch("s", records);

  Import(first);
  Import(batch);
  const auto plain = Groups();

  testing::TempDir second_store;
  Reopen(second_store.path());
  Import(first);
  GatedStore gated(store_.get(), keys::Record("s", "R104"));  // the fifth record
  Ingestor over_gate(&gated, &clock_);
  std::shared_ptr<PreprocessJob> job = over_gate.StartPreprocess(batch);
  std::thread worker([job] { job->Work(); });
  gated.WaitUntilReached();
  PreparedBatch taken = job->TakeDone();
  EXPECT_EQ(taken.records_done(), 4u);
  gated.Open();
  worker.join();
  EXPECT_EQ(taken.records_done(), 4u);  // the fifth record's late result stayed with the job
  auto r = ingestor_->Import(batch, std::move(taken));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->received, 20);
  EXPECT_EQ(r->unchanged, 1);
  EXPECT_EQ(Groups(), plain);
}

// A store whose batched reads fail: of `failing` only, or of every family.
class FailingMultiGetStore : public ForwardingStore {
 public:
  FailingMultiGetStore(KvStore* base, std::optional<Family> failing)
      : ForwardingStore(base), failing_(failing) {}

  absl::Status MultiGet(Family family, const std::vector<std::string>& keys,
                        std::vector<std::optional<std::string>>* values) const override {
    if (!failing_ || family == *failing_) {
      ++failed_;
      return absl::UnavailableError("batched read failed (test)");
    }
    return base_->MultiGet(family, keys, values);
  }
  int failed() const { return failed_.load(); }

 private:
  const std::optional<Family> failing_;
  mutable std::atomic<int> failed_{0};
};

// Records are prepared in groups, each group's postings and candidate
// residents read at once. When such a read fails, every record of the
// group is left for Apply to read itself, one key at a time: the import
// gives the same residents, index and stored records as with the reads
// working.
TEST_F(PreprocessTest, RecordsWhoseGroupReadFailsAreReadOneByOne) {
  // A first batch, then one large enough for the helper threads whose
  // records join the first one's residents (by ID number) or not.
  const wire::ImportBatch first = MixedBatches()[0];
  std::vector<wire::SourceRecord> civil;
  for (int i = 0; i < 100; ++i) {
    civil.push_back(Rec("civil", "C" + std::to_string(i),
                        {{"id_number", ValidId("33012219800101" + std::to_string(100 + 2 * i))},
                         {"name", "王" + std::to_string((2 * i) % 40)}}));
  }
  const wire::ImportBatch second = Batch("civil", civil);
  Import(first);
  const wire::ImportResult plain = Import(second);
  ASSERT_GT(plain.records_linked, 0);
  ASSERT_GT(plain.residents_created, 0);
  const auto groups = Groups();
  const auto stored = Snapshot();
  for (const std::optional<Family> failing :
       {std::optional<Family>(Family::kIndex), std::optional<Family>(Family::kResident),
        std::optional<Family>()}) {
    SCOPED_TRACE(failing ? std::string(FamilyName(*failing)) : "every family");
    testing::TempDir other;
    Reopen(other.path());
    Import(first);
    FailingMultiGetStore failing_store(store_.get(), failing);
    Ingestor over(&failing_store, &clock_);
    auto r = over.Import(second);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->imported, plain.imported);
    EXPECT_EQ(r->records_linked, plain.records_linked);
    EXPECT_EQ(r->residents_created, plain.residents_created);
    EXPECT_GT(failing_store.failed(), 0);  // the group reads were tried, and failed
    EXPECT_EQ(Groups(), groups);
    EXPECT_EQ(Snapshot(), stored);
  }
}

// Preprocess reads the store only as a hint: a batch pre-processed while
// an earlier one changes the same records is imported with what is
// committed by then, whichever way the hint was wrong.
TEST_F(IngestTest, PreprocessedBatchSeesRecordsChangedAfterIt) {
  const std::string kId = ValidId("33012219800101100");
  auto version = [&](const std::string& name) {
    std::vector<wire::SourceRecord> recs;
    for (int i = 0; i < 70; ++i) {  // large enough for the helper threads
      recs.push_back(Rec("police", "P" + std::to_string(i),
                         {{"id_number", ValidId("33012219800202" + std::to_string(100 + i))},
                          {"name", "赵" + std::to_string(i)}}));
    }
    recs.push_back(Rec("police", "X", {{"id_number", kId}, {"name", name}}));
    return Batch("police", std::move(recs));
  };
  auto stored_name = [&] {
    auto bytes = store_->Get(Family::kRaw, keys::Record("police", "X"));
    EXPECT_TRUE(bytes.ok() && bytes->has_value());
    wire::StoredRecord rec;
    if (bytes.ok() && bytes->has_value()) EXPECT_TRUE(Decode(**bytes, &rec, "stored record").ok());
    return rec.fields["name"].value;
  };
  const wire::ImportBatch v1 = version("张三"), v2 = version("李四"), v1_again = version("张三");
  Import(v1);
  // Pre-processed while the store holds v1: X looks unchanged (not normalized).
  PreparedBatch back_to_v1 = ingestor_->Preprocess(v1_again);
  // Pre-processed while the store holds v1: X looks changed (normalized).
  PreparedBatch to_v2 = ingestor_->Preprocess(v2);
  auto r2 = ingestor_->Import(v2, std::move(to_v2));
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_EQ(r2->imported, 1);
  EXPECT_EQ(stored_name(), "李四");
  auto r3 = ingestor_->Import(v1_again, std::move(back_to_v1));
  ASSERT_TRUE(r3.ok()) << r3.status();
  EXPECT_EQ(r3->imported, 1);
  EXPECT_EQ(r3->unchanged, 70);
  EXPECT_EQ(stored_name(), "张三");
  // And again with v2 pre-processed before v2 itself is stored, then stored
  // by a plain import first: X is unchanged by the time it is applied.
  PreparedBatch late = ingestor_->Preprocess(v2);
  Import(v2);
  auto r4 = ingestor_->Import(v2, std::move(late));
  ASSERT_TRUE(r4.ok()) << r4.status();
  EXPECT_EQ(r4->unchanged, 71);
  EXPECT_EQ(r4->imported, 0);
  EXPECT_EQ(stored_name(), "李四");
}

// Pre-processed while nothing of its source is stored (no per-record hint
// then), imported after another batch stored the same records: those found
// unchanged are not imported again, the changed one is.
TEST_F(IngestTest, BatchPreprocessedBeforeItsSourceIsStoredSeesWhatIsStoredSince) {
  auto version = [](const std::string& name) {
    std::vector<wire::SourceRecord> recs;
    for (int i = 0; i < 70; ++i) {
      recs.push_back(Rec("police", "P" + std::to_string(i),
                         {{"id_number", ValidId("33012219800303" + std::to_string(100 + i))},
                          {"name", "钱" + std::to_string(i)}}));
    }
    recs.push_back(Rec("police", "X", {{"id_number", ValidId("33012219800303200")}, {"name", name}}));
    return Batch("police", std::move(recs));
  };
  const wire::ImportBatch first = version("张三"), second = version("李四");
  PreparedBatch early = ingestor_->Preprocess(second);  // the store is empty
  EXPECT_EQ(Import(first).imported, 71);
  auto r = ingestor_->Import(second, std::move(early));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->unchanged, 70);
  EXPECT_EQ(r->imported, 1);
  EXPECT_EQ(r->records_linked, 0);
  EXPECT_EQ(Groups().size(), 71u);
  auto bytes = store_->Get(Family::kRaw, keys::Record("police", "X"));
  ASSERT_TRUE(bytes.ok() && bytes->has_value());
  wire::StoredRecord x;
  ASSERT_TRUE(Decode(**bytes, &x, "stored record").ok());
  EXPECT_EQ(x.fields["name"].value, "李四");
}

// Whether a batch's records need to be looked up one by one: only when a
// record of their source is stored between their smallest and largest id.
TEST_F(IngestTest, MayBeStoredLooksBetweenTheSmallestAndLargestRecordIds) {
  Import(Batch("police", {Rec("police", "P10", {{"id_number", kZhang}}),
                          Rec("police", "P20", {{"id_number", kLi}})}));
  auto may = [this](const std::vector<std::pair<std::string, std::string>>& refs) {
    std::vector<wire::SourceRecord> recs;
    for (const auto& [source, id] : refs) recs.push_back(Rec(source, id, {{"name", "张三"}}));
    absl::StatusOr<bool> r = MayBeStored(store_.get(), recs);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() && *r;
  };
  EXPECT_FALSE(may({}));
  EXPECT_FALSE(may({{"police", "P21"}, {"police", "P30"}}));  // after every stored id
  EXPECT_FALSE(may({{"police", "P09"}, {"police", "P00"}}));  // before
  EXPECT_FALSE(may({{"police", "P11"}, {"police", "P19"}}));  // between two stored ids
  EXPECT_TRUE(may({{"police", "P19"}, {"police", "P1"}, {"police", "P11"}}));  // P10 in range
  EXPECT_TRUE(may({{"police", "P20"}}));                                      // at the edge
  EXPECT_TRUE(may({{"police", "P25"}, {"police", "P15"}}));
  EXPECT_FALSE(may({{"civil", "P10"}}));   // another source's ids
  EXPECT_FALSE(may({{"polic", "P10"}}));   // a source whose name is a prefix
  EXPECT_TRUE(may({{"civil", "C1"}, {"police", "P30"}}));  // mixed: asked record by record
}

TEST_F(IngestTest, PreprocessedStateOfAnotherBatchIsRefused) {
  const wire::ImportBatch a = Batch("s", {Rec("s", "1", {{"id_number", kZhang}})});
  const wire::ImportBatch b = Batch("s", {Rec("s", "2", {{"id_number", kLi}})});
  PreparedBatch for_a = ingestor_->Preprocess(a);
  auto r = ingestor_->Import(b, std::move(for_a));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Groups().empty());
  auto empty = ingestor_->Import(a, PreparedBatch());
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(IngestTest, RejectedRowsAreQuarantinedAndCounted) {
  wire::ImportBatch b = Batch("civil", {Rec("civil", "C1", {{"name", "赵六"}})});
  wire::RejectedRow row;
  row.source = "civil";
  row.line = 7;
  row.reason_code = "bad_encoding";
  row.message = "line 7: bytes that are not GB18030";
  row.raw = std::string("\x80\xff", 2);
  b.rejected.push_back(row);
  row.line = 9;
  row.reason_code = "column_count";
  b.rejected.push_back(row);
  auto r = Import(b);
  EXPECT_EQ(r.imported, 1);
  EXPECT_EQ(r.rejected, 2);
  EXPECT_EQ(r.reasons.at("bad_encoding"), 1);
  EXPECT_EQ(r.reasons.at("column_count"), 1);
  int quarantined = 0;
  ASSERT_TRUE(store_->Scan(Family::kQuarantine, "civil", "", [&](std::string_view, std::string_view) {
                ++quarantined;
                return true;
              }).ok());
  EXPECT_EQ(quarantined, 2);
}

TEST_F(IngestTest, RecordWithoutUsableIdentityIsQuarantinedAndRetryable) {
  // A spreadsheet destroyed the ID number and there is no name: unusable.
  auto r = Import(Batch("grid", {Rec("grid", "G1", {{"id_number", "3.30122E+17"}, {"phone", "13812345678"}}),
                                 Rec("grid", "G2", {{"id_number", kLi}})}));
  EXPECT_EQ(r.imported, 1);
  EXPECT_EQ(r.quarantined, 1);
  EXPECT_EQ(r.reasons.at("no_identity"), 1);
  EXPECT_EQ(r.reasons.at("id_number:scientific_notation"), 1);
  EXPECT_EQ(r.reasons.at("name:missing"), 1);
  EXPECT_EQ(Groups().size(), 1u);

  std::string next;
  auto listed = ingestor_->ListQuarantine("grid", "", 10, &next);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].record_id, "G1");
  EXPECT_TRUE((*listed)[0].__isset.record);

  // Nothing changed: a retry keeps it quarantined.
  auto retry = ingestor_->RetryQuarantine("grid");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->retried, 1);
  EXPECT_EQ(retry->imported, 0);
  EXPECT_EQ(retry->still_quarantined, 1);

  // The source sends the record again with a name: imported, released.
  auto fixed = Import(Batch("grid", {Rec("grid", "G1", {{"id_number", "3.30122E+17"},
                                                        {"phone", "13812345678"}, {"name", "李四"}})}));
  EXPECT_EQ(fixed.imported, 1);
  listed = ingestor_->ListQuarantine("grid", "", 10, &next);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

// Batches of 64 records or more are prepared on two threads, and a source
// with nothing in quarantine skips the per-record quarantine lookups: a
// quarantined record of a large batch must still be released when fixed.
TEST_F(IngestTest, LargeBatchReleasesAFixedRecordFromQuarantine) {
  auto batch = [](bool fixed) {
    std::vector<wire::SourceRecord> recs;
    for (int i = 0; i < 100; ++i) {
      const std::string id = ValidId("33012219800101" + std::to_string(100 + i));
      if (i == 50) {
        StringMap f = {{"id_number", "3.30122E+17"}, {"phone", "13812345678"}};
        if (fixed) f["name"] = "李四";
        recs.push_back(Rec("grid", "G50", f));
      } else {
        recs.push_back(Rec("grid", "G" + std::to_string(i), {{"id_number", id}, {"name", "王" + std::to_string(i)}}));
      }
    }
    return Batch("grid", std::move(recs));
  };
  auto first = Import(batch(false));
  EXPECT_EQ(first.imported, 99);
  EXPECT_EQ(first.quarantined, 1);
  std::string next;
  auto listed = ingestor_->ListQuarantine("grid", "", 10, &next);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].record_id, "G50");

  // Another source, with nothing in quarantine, is unaffected.
  std::vector<wire::SourceRecord> civil;
  for (int i = 0; i < 80; ++i) {
    civil.push_back(Rec("civil", "C" + std::to_string(i),
                        {{"id_number", ValidId("33012219800101" + std::to_string(100 + i))}}));
  }
  auto other = Import(Batch("civil", std::move(civil)));
  EXPECT_EQ(other.imported, 80);
  EXPECT_EQ(other.records_linked, 79);  // all but G50's number, which is not stored

  auto second = Import(batch(true));
  EXPECT_EQ(second.unchanged, 99);
  EXPECT_EQ(second.imported, 1);
  EXPECT_EQ(second.quarantined, 0);
  listed = ingestor_->ListQuarantine("grid", "", 10, &next);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_TRUE(listed->empty());
}

// A store built with block keys of another shape is refused for changes
// with a message that says what to do; a new store is stamped.
TEST_F(IngestTest, StoreWithBlockKeysOfAnotherShapeIsRefused) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kZhang}, {"name", "张三"}})}));
  auto shape = store_->Get(Family::kMeta, keys::kMetaIndexShape);
  ASSERT_TRUE(shape.ok()) << shape.status();
  ASSERT_TRUE(shape->has_value());
  EXPECT_EQ(**shape, std::to_string(kBlockKeysVersion));

  // A store from before the stamp (residents, no shape) and ones of older
  // shapes, among them 4 and 5 (whose rb postings list valid numbers and
  // no mistyped one).
  for (const std::optional<std::string>& old :
       {std::optional<std::string>(), std::optional<std::string>("1"),
        std::optional<std::string>("4"), std::optional<std::string>("5")}) {
    WriteSet w;
    if (old) {
      w.Put(Family::kMeta, std::string(keys::kMetaIndexShape), *old);
    } else {
      w.Delete(Family::kMeta, std::string(keys::kMetaIndexShape));
    }
    ASSERT_TRUE(store_->Write(w, false).ok());
    auto refused = ingestor_->Import(Batch("civil", {Rec("civil", "C1", {{"id_number", kZhang}})}));
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(absl::IsFailedPrecondition(refused.status())) << refused.status();
    EXPECT_NE(refused.status().message().find("rebuild the store"), std::string_view::npos)
        << refused.status();
  }
  // Nothing of the refused batches was written.
  EXPECT_EQ(Groups(), (std::vector<std::vector<std::string>>{{"police/P1"}}));

  // This version's stamp: taken.
  WriteSet w;
  w.Put(Family::kMeta, std::string(keys::kMetaIndexShape), std::to_string(kBlockKeysVersion));
  ASSERT_TRUE(store_->Write(w, false).ok());
  auto taken = ingestor_->Import(Batch("civil", {Rec("civil", "C1", {{"id_number", kZhang}})}));
  ASSERT_TRUE(taken.ok()) << taken.status();
  EXPECT_EQ(taken->records_linked, 1);
}

TEST_F(IngestTest, RepairsAndDoubtsAreCountedPerField) {
  auto r = Import(Batch("civil", {Rec("civil", "C1", {{"id_number", "'" + kZhang}, {"name", "張三"},
                                                      {"gender", "女"}})}));
  EXPECT_EQ(r.flags.at("id_number:leading_apostrophe"), 1);
  EXPECT_EQ(r.flags.at("name:traditional_converted"), 1);
  EXPECT_EQ(r.flags.at("gender:contradicts_id_sex"), 1);  // kZhang's sex digit is male
}

TEST_F(IngestTest, AddressesConflictOnlyWhenTheyNameDifferentPlaces) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kZhang},
                                               {"household_address", "陕西省西安市长安区韦曲街道1号"}})}));
  // The same address without the province and city: not a conflict.
  Import(Batch("civil", {Rec("civil", "C1", {{"id_number", kZhang},
                                             {"household_address", "长安区韦曲街道1号"}})}));
  auto r = query_->Get(kZhang);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->conflicts.empty());
  // Another province's 长安区: a conflict.
  Import(Batch("grid", {Rec("grid", "G1", {{"id_number", kZhang},
                                           {"household_address", "河北省石家庄市长安区韦曲街道1号"}})}));
  r = query_->Get(kZhang);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->conflicts.size(), 1u);
  EXPECT_EQ(r->conflicts[0].field, "household_address");
}

TEST_F(IngestTest, MalformedBatchIsRefusedWhole) {
  auto bad = Batch("police", {Rec("police", "P1", {{"id_number", kZhang}}), Rec("police", "", {})});
  auto r = ingestor_->Import(bad);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Groups().empty());
  auto other_source = Batch("police", {Rec("civil", "C1", {})});
  EXPECT_EQ(ingestor_->Import(other_source).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(IngestTest, ResidentsSurviveReopenAndIdsAreNeverReused) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kZhang}})}));
  auto before = query_->Get(kZhang);
  ASSERT_TRUE(before.ok());
  Reopen();
  auto after = query_->Get(kZhang);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->entity_id, before->entity_id);
  Import(Batch("police", {Rec("police", "P2", {{"id_number", kLi}})}));
  auto li = query_->Get(kLi);
  ASSERT_TRUE(li.ok());
  EXPECT_GT(li->entity_id, before->entity_id);
}

TEST_F(IngestTest, GoldenRecordPrefersPoliceForIdentityAndListsConflicts) {
  Import(Batch("grid", {Rec("grid", "G1", {{"id_number", kZhang}, {"name", "张 三"}, {"phone", "13905710001"}})}));
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kZhang}, {"name", "张叁"}, {"phone", "13805710002"}})}));
  auto r = query_->Get(kZhang);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fields.at("name"), "张叁");          // police first for identity
  EXPECT_EQ(r->fields.at("phone"), "13905710001");  // grid first for phone
  std::vector<std::string> conflict_fields;
  for (const auto& c : r->conflicts) conflict_fields.push_back(c.field);
  EXPECT_NE(std::find(conflict_fields.begin(), conflict_fields.end(), "phone"), conflict_fields.end());
}

// Import keeps account of where its time goes, batch by batch: the phases
// add up over every batch written and never to more than the calls took.
TEST_F(IngestTest, ImportPhasesCountEveryBatchWithinTheCallsTime) {
  EXPECT_EQ(ingestor_->import_phases().batches, 0);
  const auto start = std::chrono::steady_clock::now();
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kZhang}})}));
  Import(Batch("grid", {Rec("grid", "G1", {{"id_number", kZhang}, {"name", "张三"}})}));
  Import(Batch("police", {Rec("police", "P2", {{"id_number", kLi}})}));
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const ImportPhases phases = ingestor_->import_phases();
  EXPECT_EQ(phases.batches, 3);
  EXPECT_GE(phases.resolve_seconds, 0);
  EXPECT_GE(phases.finish_seconds, 0);
  EXPECT_GE(phases.write_seconds, 0);
  EXPECT_GE(phases.reap_wait_seconds, 0);
  EXPECT_LE(phases.resolve_seconds + phases.finish_seconds + phases.write_seconds +
                phases.reap_wait_seconds,
            elapsed);
}

// A fresh store in `dir` (Overlay tests).
absl::StatusOr<std::unique_ptr<KvStore>> OpenStoreIn(const testing::TempDir& dir) {
  StoreOptions options;
  options.path = dir.path() + "/db";
  return OpenRocksStore(options);
}

// The write set's order is byte order for any keys: long shared prefixes,
// keys that are prefixes of others, NUL and bytes above 0x7f (the sort
// decides most comparisons by a key's first eight bytes).
TEST(OverlayTest, WriteSetOrderIsByteOrderForAnyKeys) {
  testing::TempDir dir;
  auto store = OpenStoreIn(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  const std::string alphabet("\0\x01a\x7f\x80\xff", 6);
  std::mt19937 random(11);
  for (int threads : {0, 1}) {
    Workers helpers(threads);
    Overlay overlay(store->get());
    std::map<std::string, std::string> expected[2];  // index, resident
    for (int i = 0; i < 4000; ++i) {
      // Half the keys share a 9-byte prefix, so their heads tie.
      std::string key = i % 2 == 0 ? std::string("prefix\0\x80\xff", 9) : "";
      const size_t length = random() % 13;
      for (size_t j = 0; j < length; ++j) key.push_back(alphabet[random() % alphabet.size()]);
      const int which = static_cast<int>(random() % 2);
      overlay.Put(which == 0 ? Family::kIndex : Family::kResident, key, std::to_string(i));
      expected[which][key] = std::to_string(i);
    }
    WriteSet writes = overlay.TakeWriteSet(&helpers);
    std::vector<std::pair<std::string, std::string>> got[2];
    for (const auto& op : writes.ops()) {
      ASSERT_TRUE(op.value.has_value());
      got[op.family == Family::kIndex ? 0 : 1].emplace_back(op.key, *op.value);
    }
    for (int which : {0, 1}) {
      const std::vector<std::pair<std::string, std::string>> want(expected[which].begin(),
                                                                  expected[which].end());
      EXPECT_EQ(got[which], want) << "family " << which << ", helper threads " << threads;
    }
  }
}

// A batch's pending writes come out in family and key order, each key once
// with its last value or its deletion, with or without a helper sorting the
// index family (enough writes that it does), and the overlay is left empty.
TEST(OverlayTest, WriteSetIsInFamilyAndKeyOrderWithLastValues) {
  testing::TempDir dir;
  auto store = OpenStoreIn(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  for (int threads : {0, 1}) {
    Workers helpers(threads);
    Overlay overlay(store->get());
    std::map<std::string, std::string> index_values;
    for (int i = 0; i < 3000; ++i) {
      std::string key = "k" + std::to_string((i * 7919) % 3000);  // a scrambled order
      overlay.Put(Family::kIndex, key, "v" + std::to_string(i));
      index_values[key] = "v" + std::to_string(i);
    }
    overlay.Put(Family::kMeta, "m", "1");
    overlay.Put(Family::kRaw, "r2", "old");
    overlay.Put(Family::kRaw, "r1", "1");
    overlay.Put(Family::kRaw, "r2", "new");
    overlay.Delete(Family::kIndex, "k5");
    WriteSet writes = overlay.TakeWriteSet(&helpers);
    const auto& ops = writes.ops();
    ASSERT_EQ(ops.size(), 3000u + 3u);
    for (size_t i = 1; i < ops.size(); ++i) {
      const bool ordered = ops[i - 1].family != ops[i].family ? ops[i - 1].family < ops[i].family
                                                             : ops[i - 1].key < ops[i].key;
      EXPECT_TRUE(ordered) << "op " << i << " (" << ops[i].key << ") follows " << ops[i - 1].key;
    }
    EXPECT_EQ(ops.front().family, Family::kRaw);
    EXPECT_EQ(ops[0].key, "r1");
    EXPECT_EQ(ops[1].key, "r2");
    EXPECT_EQ(ops[1].value, "new");
    EXPECT_EQ(ops.back().family, Family::kMeta);
    for (const auto& op : ops) {
      if (op.family != Family::kIndex) continue;
      if (op.key == "k5") {
        EXPECT_EQ(op.value, std::nullopt);
      } else {
        EXPECT_EQ(op.value, index_values.at(op.key)) << op.key;
      }
    }
    EXPECT_TRUE(overlay.TakeWriteSet(&helpers).empty());
    EXPECT_FALSE(overlay.Pending(Family::kIndex, "k1"));
  }
}

}  // namespace
}  // namespace gridhub::hub
