// Probabilistic, incremental resolution through the Ingestor: links without
// ID numbers, the ID-number rules, merges, the review queue, stewards'
// judgements, explanations, the model, and order independence on generated
// county data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "connectors/connector.h"
#include "gridhub_types.h"
#include "hub/resolve/golden.h"
#include "hub/store/codec.h"
#include "hub/store/keys.h"
#include "schema/headers.h"
#include "schema/mapping.h"
#include "tests/hub/ingest_fixture.h"

namespace gridhub::hub {
namespace {

const std::string kIdA = "33012219850312001X";  // twins: A and B
const std::string kIdB = "330122198503120028";
const std::string kIdC = "330122198503120036";

wire::RecordRef Ref(const std::string& source, const std::string& id) {
  wire::RecordRef r;
  r.source = source;
  r.record_id = id;
  return r;
}

class ResolutionTest : public IngestFixture {
 protected:
  std::string ResidentOf(const std::string& source, const std::string& id) {
    auto got = store_->Get(Family::kLink, keys::Record(source, id));
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? got->value_or("") : "";
  }
  std::vector<wire::ReviewItem> Reviews() {
    std::string next;
    auto items = ingestor_->ListReview("", 1000, &next);
    EXPECT_TRUE(items.ok()) << items.status();
    return items.ok() ? *items : std::vector<wire::ReviewItem>();
  }
};

// Stores written before residents kept provenance once per member hold
// every value's source and record id: they are read and extended as before.
TEST_F(ResolutionTest, ResidentsStoredWithFullProvenanceAreReadAndExtended) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kIdA}, {"name", "王建国"},
                                               {"phone", "13905710001"}})}));
  const std::string id = ResidentOf("police", "P1");
  auto before = query_->Get(id);
  ASSERT_TRUE(before.ok()) << before.status();
  // Rewrite the stored resident in the older, full form.
  auto bytes = store_->Get(Family::kResident, id);
  ASSERT_TRUE(bytes.ok() && bytes->has_value());
  wire::Resident full;
  ASSERT_TRUE(Decode(**bytes, &full, "resident").ok());
  RestoreProvenance(&full);
  for (const auto& v : full.values) ASSERT_FALSE(v.__isset.member);
  WriteSet w;
  w.Put(Family::kResident, id, Encode(full));
  ASSERT_TRUE(store_->Write(w, true).ok());

  auto read = query_->Get(id);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, *before);
  auto r = Import(Batch("grid", {Rec("grid", "G1", {{"name", "王建國"}, {"birth_date", "1985/3/12"},
                                                   {"phone", "139 0571 0001"}})}));
  EXPECT_EQ(r.records_linked, 1);
  EXPECT_EQ(ResidentOf("grid", "G1"), id);
  auto after = query_->Get(id);
  ASSERT_TRUE(after.ok()) << after.status();
  std::set<std::string> sources;
  for (const auto& v : after->values) sources.insert(v.source + "/" + v.record_id);
  EXPECT_EQ(sources, (std::set<std::string>{"grid/G1", "police/P1"}));
}

TEST_F(ResolutionTest, GridRecordWithoutIdNumberLinksOnNameBirthDateAndPhone) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kIdA}, {"name", "王建国"},
                                               {"phone", "13905710001"},
                                               {"household_address", "城南街道迎春路12号"}})}));
  auto r = Import(Batch("grid", {Rec("grid", "G1", {{"name", "王建國"}, {"birth_date", "1985/3/12"},
                                                   {"phone", "139 0571 0001"}})}));
  EXPECT_EQ(r.records_linked, 1);
  EXPECT_EQ(ResidentOf("grid", "G1"), ResidentOf("police", "P1"));
}

TEST_F(ResolutionTest, NameAndPhoneAloneAreNotEnoughForAStranger) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kIdA}, {"name", "张伟"},
                                               {"phone", "13905710001"}})}));
  // Same name, another phone, no birth date: a namesake until shown otherwise.
  Import(Batch("grid", {Rec("grid", "G1", {{"name", "张伟"}, {"phone", "13905719999"}})}));
  EXPECT_NE(ResidentOf("grid", "G1"), ResidentOf("police", "P1"));
}

TEST_F(ResolutionTest, TwinsSharingEverythingButNameAndIdStayApart) {
  Import(Batch("police",
               {Rec("police", "P1", {{"id_number", kIdA}, {"name", "李明"}, {"phone", "057161234567"},
                                     {"household_address", "城南街道迎春路12号"}}),
                Rec("police", "P2", {{"id_number", kIdB}, {"name", "李亮"}, {"phone", "057161234567"},
                                     {"household_address", "城南街道迎春路12号"}})}));
  EXPECT_NE(ResidentOf("police", "P1"), ResidentOf("police", "P2"));
  EXPECT_TRUE(Reviews().empty());
}

TEST_F(ResolutionTest, SameNameAndBirthButDifferentValidIdsNeverLink) {
  // Two valid numbers differing only in the sequence: never the same person,
  // however alike the rest; a pair that would link goes to a steward.
  Import(Batch("police",
               {Rec("police", "P1", {{"id_number", kIdA}, {"name", "陈静"}, {"phone", "13905710001"},
                                     {"household_address", "城南街道迎春路12号"}}),
                Rec("police", "P3", {{"id_number", kIdC}, {"name", "陈静"}, {"phone", "13905710001"},
                                     {"household_address", "城南街道迎春路12号"}})}));
  EXPECT_NE(ResidentOf("police", "P1"), ResidentOf("police", "P3"));
  auto reviews = Reviews();
  ASSERT_EQ(reviews.size(), 1u);
  EXPECT_EQ(reviews[0].pair.rule, "different_id_numbers");
}

TEST_F(ResolutionTest, BridgingRecordMergesResidentsAndTheOlderIdSurvives) {
  // A police record with an ID number, a grid record with only name, birth
  // date and phone, then a civil record that carries both phone and number.
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kIdA}, {"name", "赵敏"}})}));
  Import(Batch("grid", {Rec("grid", "G1", {{"name", "赵敏"}, {"phone", "13905710001"},
                                           {"current_address", "城南街道迎春路12号"}})}));
  const std::string older = ResidentOf("police", "P1");
  const std::string newer = ResidentOf("grid", "G1");
  ASSERT_NE(older, newer);
  Import(Batch("civil", {Rec("civil", "C1", {{"id_number", kIdA}, {"name", "赵敏"},
                                             {"phone", "13905710001"},
                                             {"current_address", "城南街道迎春路12号"}})}));
  EXPECT_EQ(ResidentOf("grid", "G1"), older);
  EXPECT_EQ(ResidentOf("civil", "C1"), older);
  auto merged = query_->Get(newer);  // follows the merged-into pointer
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->entity_id, older);
  ASSERT_FALSE(merged->history.empty());
  EXPECT_EQ(merged->history.back().kind, "merged_from");
  EXPECT_EQ(merged->history.back().other_resident, newer);
}

TEST_F(ResolutionTest, ReviewDecisionsAreAppliedAndObeyedByLaterImports) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kIdA}, {"name", "孙丽"},
                                               {"phone", "13905710001"}})}));
  // Same name and birth date, different phone and no number: uncertain.
  Import(Batch("grid", {Rec("grid", "G1", {{"name", "孙丽"}, {"birth_date", "1985-03-12"},
                                           {"phone", "13905719999"}})}));
  auto reviews = Reviews();
  ASSERT_EQ(reviews.size(), 1u) << "expected one uncertain pair";
  EXPECT_EQ(reviews[0].pair.decision, "review");
  EXPECT_NE(ResidentOf("grid", "G1"), ResidentOf("police", "P1"));

  auto decided = ingestor_->DecideReview(reviews[0].pair_id, "match", "steward1", "same person");
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(ResidentOf("grid", "G1"), ResidentOf("police", "P1"));
  EXPECT_TRUE(Reviews().empty());

  // The grid record changes (new visit): the judgement still holds.
  Import(Batch("grid", {Rec("grid", "G1", {{"name", "孙丽"}, {"birth_date", "1985-03-12"},
                                           {"phone", "13905718888"}})}));
  EXPECT_EQ(ResidentOf("grid", "G1"), ResidentOf("police", "P1"));

  // A steward splits it off again: re-importing does not undo that.
  auto split = ingestor_->SplitResident(ResidentOf("police", "P1"), {Ref("grid", "G1")}, "steward1",
                                        "different person after all");
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_NE(ResidentOf("grid", "G1"), ResidentOf("police", "P1"));
  Import(Batch("grid", {Rec("grid", "G1", {{"name", "孙丽"}, {"birth_date", "1985-03-12"},
                                           {"phone", "13905710001"}})}));
  EXPECT_NE(ResidentOf("grid", "G1"), ResidentOf("police", "P1"));

  EXPECT_FALSE(ingestor_->DecideReview("0000000000000000", "match", "s", "").ok());
  EXPECT_EQ(ingestor_->DecideReview(reviews[0].pair_id, "perhaps", "s", "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ResolutionTest, StewardMergeIsRecordedAndKeptOnReimport) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kIdA}, {"name", "周红"}})}));
  Import(Batch("grid", {Rec("grid", "G1", {{"name", "周虹"}, {"phone", "13905710001"}})}));
  const std::string a = ResidentOf("police", "P1"), b = ResidentOf("grid", "G1");
  ASSERT_NE(a, b);
  auto merged = ingestor_->MergeResidents(b, a, "steward1", "visited in person");
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->front(), std::min(a, b));  // the older id survives
  Import(Batch("grid", {Rec("grid", "G1", {{"name", "周虹"}, {"phone", "13905710002"}})}));
  EXPECT_EQ(ResidentOf("grid", "G1"), ResidentOf("police", "P1"));
  auto r = query_->Get(std::min(a, b));
  ASSERT_TRUE(r.ok());
  bool recorded = false;
  for (const auto& e : r->history) recorded |= e.kind == "merged_from" && e.user == "steward1";
  EXPECT_TRUE(recorded);
  EXPECT_EQ(ingestor_->MergeResidents(a, a, "s", "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ResolutionTest, ExplanationsShowFieldsWeightsAndRules) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kIdA}, {"name", "钱进"}})}));
  Import(Batch("civil", {Rec("civil", "C1", {{"id_number", kIdA}, {"name", "钱晋"}})}));
  auto why = ingestor_->ExplainPair(Ref("police", "P1"), Ref("civil", "C1"));
  ASSERT_TRUE(why.ok()) << why.status();
  EXPECT_EQ(why->decision, "link");
  EXPECT_EQ(why->rule, "same_id_number");
  bool name_seen = false;
  for (const auto& f : why->fields) {
    if (f.field == "name") {
      name_seen = true;
      EXPECT_EQ(f.level, "homophone");
      EXPECT_GT(f.weight, 0);
    }
  }
  EXPECT_TRUE(name_seen);
  EXPECT_EQ(why->resident_a, why->resident_b);

  auto explained = ingestor_->ExplainResident(why->resident_a);
  ASSERT_TRUE(explained.ok()) << explained.status();
  ASSERT_EQ(explained->members.size(), 2u);
  for (const auto& m : explained->members) {
    ASSERT_TRUE(m.__isset.best);
    EXPECT_EQ(m.best.decision, "link");
  }
  EXPECT_EQ(ingestor_->ExplainPair(Ref("police", "P1"), Ref("police", "nope")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ResolutionTest, CommonPhoneIsNotABlockKey) {
  // A placeholder phone on more residents than a posting holds.
  std::vector<wire::SourceRecord> recs;
  for (int i = 0; i < static_cast<int>(keys::kPostingCap) + 8; ++i) {
    recs.push_back(Rec("grid", "G" + std::to_string(i),
                       {{"name", "居民" + std::string(1, static_cast<char>('a' + i % 26)) +
                                     std::to_string(i)},
                        {"phone", "0571-64100001"}}));
  }
  Import(Batch("grid", recs));
  auto posting = store_->Get(Family::kIndex, keys::Index("ph", "0571-64100001"));
  ASSERT_TRUE(posting.ok() && posting->has_value());
  keys::Posting p;
  ASSERT_TRUE(keys::DecodePosting(**posting, &p));
  EXPECT_TRUE(p.common());
  EXPECT_EQ(Groups().size(), recs.size());  // nobody linked on it
}

// The index after imports that link records to residents stored by earlier
// batches (a record joining a resident it is not yet a member of changes
// only the postings of its own keys, see Applier::TouchToAppend): every
// posting lists exactly the live residents whose members have its key, and
// a common posting counts each of them once.
TEST_F(ResolutionTest, PostingsListEachResidentOnceAfterLinksInLaterBatches) {
  // 40 people named 张伟 (more than a posting lists), each with an ID number
  // and a phone of their own, and 80 more people to make the batch large
  // enough to be prepared on helper threads.
  constexpr int kZhang = static_cast<int>(keys::kPostingCap) + 8;
  auto id_of = [](int i) { return ValidId(absl::StrCat("33012219851001", 100 + i)); };
  auto phone_of = [](int i) { return absl::StrCat("139057", 10000 + i); };
  std::vector<wire::SourceRecord> police;
  for (int i = 0; i < kZhang + 80; ++i) {
    const std::string name = i < kZhang ? "张伟" : absl::StrCat("居民", std::string(1, 'a' + i % 26), i);
    police.push_back(Rec("police", "P" + std::to_string(i),
                         {{"id_number", id_of(i)}, {"name", name}, {"phone", phone_of(i)}}));
  }
  Import(Batch("police", police));
  // Later batches: records without ID numbers that bring new keys (a grid
  // code, an address) to residents with a common name and with rare ones,
  // in a small batch (resolved record by record) and a large one.
  std::vector<wire::SourceRecord> small, large;
  for (int i : {3, kZhang + 5}) {
    small.push_back(Rec("grid", "G" + std::to_string(i),
                        {{"name", police[i].fields["name"]}, {"phone", phone_of(i)},
                         {"birth_date", "1985-10-01"}, {"grid_code", "330122001001"}}));
  }
  for (int i = 0; i < kZhang + 80; i += 2) {
    large.push_back(Rec("civil", "C" + std::to_string(i),
                        {{"id_number", id_of(i)}, {"name", police[i].fields["name"]},
                         {"current_address", absl::StrCat("桐庐县城南街道迎春南路", i, "号")}}));
  }
  auto r1 = Import(Batch("grid", small));
  auto r2 = Import(Batch("civil", large));
  EXPECT_EQ(r1.records_linked, 2);
  EXPECT_EQ(r2.records_linked, static_cast<int64_t>(large.size()));

  // Every live resident's keys, from its members.
  std::map<std::string, std::set<std::string>> holders;  // index key -> residents
  ASSERT_TRUE(store_->Scan(Family::kResident, "", "", [&](std::string_view k, std::string_view v) {
    wire::Resident r;
    EXPECT_TRUE(DecodeResident(v, &r, "resident").ok());
    for (const auto& key : IndexKeysOf(r)) holders[key].insert(std::string(k));
    return true;
  }).ok());
  size_t checked = 0, common = 0;
  ASSERT_TRUE(store_->Scan(Family::kIndex, "", "", [&](std::string_view k, std::string_view v) {
    keys::Posting p;
    EXPECT_TRUE(keys::DecodePosting(v, &p));
    const std::set<std::string>& want = holders[std::string(k)];
    EXPECT_EQ(p.count, static_cast<int64_t>(want.size()));
    if (p.common()) {
      ++common;
    } else {
      EXPECT_EQ(std::set<std::string>(p.residents.begin(), p.residents.end()), want);
    }
    ++checked;
    return true;
  }).ok());
  EXPECT_GE(common, 1u);  // the name 张伟
  // Every key a resident has is in the index.
  size_t with_postings = 0;
  for (const auto& [key, ids] : holders) {
    auto got = store_->Get(Family::kIndex, key);
    ASSERT_TRUE(got.ok());
    with_postings += got->has_value() ? 1 : 0;
  }
  EXPECT_EQ(with_postings, holders.size());
  EXPECT_EQ(checked, holders.size());
}

// Stores of index shape 3 and older spell index values out; a lookup by ID
// number still finds their residents (imports are refused until rebuilt).
TEST_F(ResolutionTest, LookupByIdNumberReadsUnhashedIndexKeysOfOlderStores) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", "33012219850312001X"},
                                               {"name", "王芳"}})}));
  auto found = query_->Get("33012219850312001X");
  ASSERT_TRUE(found.ok()) << found.status();
  const std::string hashed = keys::Index(keys::kIndexIdNumber, "33012219850312001X");
  auto posting = store_->Get(Family::kIndex, hashed);
  ASSERT_TRUE(posting.ok() && posting->has_value());
  // What an older store holds: the same posting under the value itself.
  WriteSet older;
  older.Delete(Family::kIndex, hashed);
  older.Put(Family::kIndex, keys::UnhashedIndex(keys::kIndexIdNumber, "33012219850312001X"),
            **posting);
  ASSERT_TRUE(store_->Write(older, false).ok());
  auto again = query_->Get("33012219850312001X");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->entity_id, found->entity_id);
  EXPECT_EQ(query_->Get("330122198503120028").status().code(), absl::StatusCode::kNotFound);
  // A posting is a hash's: a resident it lists that holds another number (two
  // numbers with one hash) is not the answer.
  WriteSet collision;
  collision.Put(Family::kIndex, keys::Index(keys::kIndexIdNumber, "330122198503120028"), **posting);
  ASSERT_TRUE(store_->Write(collision, false).ok());
  EXPECT_EQ(query_->Get("330122198503120028").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ResolutionTest, ModelIsShownTrainedAndStored) {
  auto model = ingestor_->GetModel();
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ(model->trained_at_ms, 0);
  EXPECT_EQ(ingestor_->TrainModel().status().code(), absl::StatusCode::kFailedPrecondition);
  std::vector<wire::SourceRecord> police, grid;
  for (int i = 0; i < 120; ++i) {
    const std::string body = "3301221985" + std::string(i < 100 ? "0" : "1") +
                             std::to_string(1 + i % 9) + "1" + std::to_string(i % 10) +
                             std::to_string(100 + i).substr(1, 2) + "1";
    const std::string id = ValidId(body.substr(0, 17));
    const std::string phone = "139057" + std::to_string(10000 + i);
    police.push_back(Rec("police", "P" + std::to_string(i),
                         {{"id_number", id}, {"name", "测试" + std::to_string(i % 7)}, {"phone", phone}}));
    grid.push_back(Rec("grid", "G" + std::to_string(i), {{"id_number", id}, {"phone", phone}}));
  }
  Import(Batch("police", police));
  Import(Batch("grid", grid));
  auto trained = ingestor_->TrainModel();
  ASSERT_TRUE(trained.ok()) << trained.status();
  EXPECT_GT(trained->trained_at_ms, 0);
  EXPECT_GT(trained->training_pairs, 0);
  Reopen();  // stored: a new Ingestor reads it back
  auto again = ingestor_->GetModel();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->trained_at_ms, trained->trained_at_ms);
}

// ---- generated county data ----

struct Source {
  std::string name;
  std::vector<wire::SourceRecord> records;
};

// Reads DIR/<name>.csv through the connectors and header detection.
std::vector<Source> ReadCounty(const std::string& dir) {
  connectors::ConnectorRegistry registry;
  connectors::RegisterAll(&registry);
  std::vector<Source> out;
  for (const std::string name : {"police", "civil", "grid"}) {
    const std::string path = dir + "/" + name + ".csv";
    auto conn = registry.Create("csv", {{"path", path}});
    EXPECT_TRUE(conn.ok()) << conn.status();
    if (!conn.ok()) return {};
    const auto detection = schema::DetectHeaders((*conn)->columns());
    auto plan = schema::ColumnPlan::Create(detection.mapping, (*conn)->columns());
    EXPECT_TRUE(plan.ok()) << plan.status();
    if (!plan.ok()) return {};
    Source src{name, {}};
    connectors::SourceItem item;
    schema::MappedRow mapped;
    while (true) {
      auto more = (*conn)->Next(&item);
      if (!more.ok() || !*more) break;
      if (item.is_error || !plan->Apply(item.row.cells, item.row.line, &mapped).ok()) continue;
      wire::SourceRecord rec;
      rec.source = name;
      rec.record_id = mapped.record_id;
      for (auto& [f, v] : mapped.fields) rec.fields[f] = std::move(v);
      src.records.push_back(std::move(rec));
    }
    out.push_back(std::move(src));
  }
  return out;
}

class CountyTest : public IngestFixture {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const std::string cmd = "python3 " GRIDHUB_SOURCE_DIR "/ops/gen-county.py --persons 1500 --seed 11 --out " +
                            dir_->path() + " > /dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void ImportAll(const std::vector<Source>& sources, size_t batch) {
    for (const Source& s : sources) {
      for (size_t i = 0; i < s.records.size(); i += batch) {
        std::vector<wire::SourceRecord> part(
            s.records.begin() + i, s.records.begin() + std::min(s.records.size(), i + batch));
        Import(Batch(s.name, std::move(part)));
      }
    }
  }
  static testing::TempDir* dir_;
};
testing::TempDir* CountyTest::dir_ = nullptr;

TEST_F(CountyTest, ImportOrderDoesNotChangeResidents) {
  std::vector<Source> sources = ReadCounty(dir_->path());
  ASSERT_EQ(sources.size(), 3u);
  ImportAll(sources, 400);
  const auto forward = Groups();

  // Another store, the sources in reverse order, each read backwards, in
  // batches of another size.
  testing::TempDir other;
  Reopen(other.path());
  std::reverse(sources.begin(), sources.end());
  for (auto& s : sources) std::reverse(s.records.begin(), s.records.end());
  ImportAll(sources, 257);
  const auto backward = Groups();
  EXPECT_EQ(forward.size(), backward.size());
  std::vector<std::vector<std::string>> only_forward, only_backward;
  std::set_difference(forward.begin(), forward.end(), backward.begin(), backward.end(),
                      std::back_inserter(only_forward));
  std::set_difference(backward.begin(), backward.end(), forward.begin(), forward.end(),
                      std::back_inserter(only_backward));
  auto show = [](const std::vector<std::vector<std::string>>& groups) {
    std::string out;
    for (const auto& g : groups) out += "  {" + absl::StrJoin(g, ", ") + "}\n";
    return out;
  };
  EXPECT_TRUE(only_forward.empty() && only_backward.empty())
      << "residents only in the first order:\n" << show(only_forward)
      << "residents only in the reverse order:\n" << show(only_backward);
}

TEST_F(CountyTest, ShuffledRecordsResolveAsInFileOrder) {
  std::vector<Source> sources = ReadCounty(dir_->path());
  ASSERT_EQ(sources.size(), 3u);
  ImportAll(sources, 500);
  const auto in_order = Groups();

  testing::TempDir other;
  Reopen(other.path());
  std::mt19937 rng(20261129);
  for (auto& s : sources) std::shuffle(s.records.begin(), s.records.end(), rng);
  std::rotate(sources.begin(), sources.begin() + 2, sources.end());  // grid, police, civil
  ImportAll(sources, 123);
  const auto shuffled = Groups();
  EXPECT_EQ(in_order.size(), shuffled.size());
  EXPECT_TRUE(in_order == shuffled) << "the residents differ after shuffling the records";
}

}  // namespace
}  // namespace gridhub::hub

namespace gridhub::hub {
namespace {

TEST(SourcePriorityTest, ParsesFieldsAndDefaultAndNamesBadEntries) {
  auto parsed = ParseSourcePriority("default=civil,police; phone = grid , civil ;");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->default_priority, (std::vector<std::string>{"civil", "police"}));
  EXPECT_EQ(parsed->field_priority.at("phone"), (std::vector<std::string>{"grid", "civil"}));
  // Fields not named keep the defaults.
  EXPECT_EQ(parsed->field_priority.at("current_address").front(), "grid");
  auto unknown = ParseSourcePriority("telephone=grid");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("telephone"), std::string::npos);
  EXPECT_FALSE(ParseSourcePriority("phone").ok());
  EXPECT_FALSE(ParseSourcePriority("phone=grid,,civil").ok());
  EXPECT_FALSE(ParseSourcePriority("phone=grid,grid").ok());
}

class PriorityTest : public IngestFixture {};

TEST_F(PriorityTest, ConfiguredPriorityPicksTheGoldenValue) {
  IngestOptions options;
  auto golden = ParseSourcePriority("phone=civil,grid,police");
  ASSERT_TRUE(golden.ok());
  options.golden = *golden;
  ingestor_ = std::make_unique<Ingestor>(store_.get(), &clock_, options);
  query_ = std::make_unique<ResidentQuery>(store_.get(), options.golden);
  Import(Batch("grid", {Rec("grid", "G1", {{"id_number", "33012219850312001X"}, {"phone", "13905710001"}})}));
  Import(Batch("civil", {Rec("civil", "C1", {{"id_number", "33012219850312001X"}, {"phone", "13905710002"}})}));
  auto r = query_->Get("33012219850312001X");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->fields.at("phone"), "13905710002");
  ASSERT_EQ(r->conflicts.size(), 1u);
  EXPECT_EQ(r->conflicts[0].field, "phone");
  EXPECT_EQ(r->conflicts[0].values.size(), 2u);

  // Stored without what is derived from the values...
  auto bytes = store_->Get(Family::kResident, r->entity_id);
  ASSERT_TRUE(bytes.ok() && bytes->has_value());
  wire::Resident stored;
  ASSERT_TRUE(Decode(**bytes, &stored, "resident").ok());
  EXPECT_TRUE(stored.fields.empty());
  EXPECT_TRUE(stored.conflicts.empty());
  EXPECT_EQ(stored.values.size(), r->values.size());
  // ...with each value's provenance given by its member (StripProvenance),
  for (const auto& v : stored.values) {
    EXPECT_TRUE(v.__isset.member && v.source.empty() && v.record_id.empty()) << v.value;
  }
  // which readers restore: the answer's values are the stored ones.
  auto provenance = [](const std::vector<wire::ProvenancedValue>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) {
      out.push_back(absl::StrCat(v.field, "|", v.value, "|", v.source, "|", v.record_id, "|",
                                 v.observed_at_ms));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  RestoreProvenance(&stored);
  EXPECT_EQ(provenance(stored.values), provenance(r->values));
  EXPECT_EQ(provenance(r->values).front(), "id_number|33012219850312001X|civil|C1|1700000002000");
  // ...so a reader with other priorities (hubd restarted with another
  // hubd.source_priority) sees them applied to residents already stored.
  ResidentQuery grid_first(store_.get(), GoldenOptions());
  auto g = grid_first.Get(r->entity_id);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->fields.at("phone"), "13905710001");
  EXPECT_EQ(g->fields.at("id_number"), "33012219850312001X");
  std::string next;
  auto page = grid_first.Page("", 10, &next);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ(page->front().fields.at("phone"), "13905710001");
  EXPECT_EQ(page->front().conflicts.size(), 1u);
}

}  // namespace
}  // namespace gridhub::hub

namespace gridhub::hub {
namespace {

class FrequencyTest : public IngestFixture {};

TEST_F(FrequencyTest, ACommonNameWeighsLessThanARareOne) {
  std::vector<wire::SourceRecord> police;
  for (int i = 0; i < 50; ++i) {
    const std::string born = std::to_string(1930 + i) + "0720";
    police.push_back(Rec("police", "N" + std::to_string(i),
                         {{"id_number", ValidId("330122" + born + "011")}, {"name", "张伟"}}));
  }
  police.push_back(Rec("police", "P2", {{"id_number", ValidId("33012219850315011")}, {"name", "张伟"},
                                        {"phone", "13811112222"}}));
  police.push_back(Rec("police", "P3", {{"id_number", ValidId("33012219850316011")}, {"name", "欧阳娜娜"},
                                        {"phone", "13811113333"}}));
  Import(Batch("police", police));
  Import(Batch("civil", {Rec("civil", "C2", {{"name", "张伟"}, {"birth_date", "1985-03-15"},
                                             {"phone", "13933334444"}}),
                         Rec("civil", "C3", {{"name", "欧阳娜娜"}, {"birth_date", "1985-03-16"},
                                             {"phone", "13933335555"}})}));
  auto common = ingestor_->ExplainPair(Ref("police", "P2"), Ref("civil", "C2"));
  auto rare = ingestor_->ExplainPair(Ref("police", "P3"), Ref("civil", "C3"));
  ASSERT_TRUE(common.ok() && rare.ok());
  auto name_weight = [](const wire::PairExplanation& p) {
    for (const auto& f : p.fields) {
      if (f.field == "name") return f.weight;
    }
    return 0.0;
  };
  EXPECT_LT(name_weight(*common) + 2, name_weight(*rare));
  // 51 of (at least) 10,000 residents are 张伟: about log2(0.85 / 0.0051).
  EXPECT_NEAR(name_weight(*common), 7.4, 0.2);
}

}  // namespace
}  // namespace gridhub::hub
