// tests/hub/ingest_fixture.h: a store + ingestor on a temp directory, and
// helpers to build records with valid ID numbers.
#ifndef GRIDHUB_TESTS_HUB_INGEST_FIXTURE_H_
#define GRIDHUB_TESTS_HUB_INGEST_FIXTURE_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "gridhub_types.h"
#include "hub/clock.h"
#include "hub/ingest/ingest.h"
#include "hub/query/query.h"
#include "hub/store/kv_store.h"
#include "schema/id_number.h"
#include "tests/hub/test_dir.h"

namespace gridhub::hub {

// An 18-digit ID number with a correct check character.
inline std::string ValidId(const std::string& first17) {
  return first17 + schema::IdCheckCharacter(first17);
}

inline wire::SourceRecord Rec(const std::string& source, const std::string& id,
                              StringMap fields) {
  wire::SourceRecord r;
  r.source = source;
  r.record_id = id;
  r.fields = std::move(fields);
  return r;
}

inline wire::ImportBatch Batch(const std::string& source, std::vector<wire::SourceRecord> recs) {
  wire::ImportBatch b;
  b.source = source;
  b.records = std::move(recs);
  return b;
}

class IngestFixture : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  // Closes and reopens the store, at `path` if given (else the fixture's).
  void Reopen(const std::string& path = "") {
    ingestor_.reset();
    query_.reset();
    store_.reset();
    StoreOptions options;
    options.path = (path.empty() ? dir_.path() : path) + "/db";
    auto store = OpenRocksStore(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    ingestor_ = std::make_unique<Ingestor>(store_.get(), &clock_);
    query_ = std::make_unique<ResidentQuery>(store_.get());
  }

  wire::ImportResult Import(const wire::ImportBatch& batch) {
    clock_.Advance(1000);
    auto result = ingestor_->Import(batch);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : wire::ImportResult();
  }

  // All live residents as sorted lists of "source/record" members.
  std::vector<std::vector<std::string>> Groups() {
    std::vector<std::vector<std::string>> out;
    std::string cursor, next;
    do {
      auto page = query_->Page(cursor, 100, &next);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& r : *page) {
        std::vector<std::string> members;
        for (const auto& ref : r.records) members.push_back(ref.source + "/" + ref.record_id);
        std::sort(members.begin(), members.end());
        out.push_back(members);
      }
      cursor = next;
    } while (!cursor.empty());
    std::sort(out.begin(), out.end());
    return out;
  }

  testing::TempDir dir_;
  TEST_ManualClock clock_{1'700'000'000'000};
  std::unique_ptr<KvStore> store_;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<ResidentQuery> query_;
};

}  // namespace gridhub::hub

#endif  // GRIDHUB_TESTS_HUB_INGEST_FIXTURE_H_
