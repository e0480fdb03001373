#include "hub/query/query.h"

#include "hub/query/view.h"
#include "security/policy.h"
#include "tests/hub/ingest_fixture.h"

namespace gridhub::hub {
namespace {

const std::string kWang = ValidId("33018219900704003");

using QueryTest = IngestFixture;

TEST_F(QueryTest, FindsByResidentIdAndByAnySpellingOfTheIdNumber) {
  Import(Batch("police", {Rec("police", "P1", {{"id_number", kWang}, {"name", "王芳"}})}));
  auto by_id = query_->Get(kWang);
  ASSERT_TRUE(by_id.ok()) << by_id.status();
  auto by_resident = query_->Get(by_id->entity_id);
  ASSERT_TRUE(by_resident.ok());
  EXPECT_EQ(by_resident->fields.at("name"), "王芳");
  // Full-width digits, as a spreadsheet in a Chinese locale may write them.
  std::string full_width;
  for (char c : kWang) {
    if (c >= '0' && c <= '9') {
      full_width += "\xEF\xBC";
      full_width += static_cast<char>(0x90 + (c - '0'));
    } else {
      full_width += c;
    }
  }
  auto by_full_width = query_->Get(full_width);
  ASSERT_TRUE(by_full_width.ok()) << by_full_width.status();
  EXPECT_EQ(by_full_width->entity_id, by_id->entity_id);
}

TEST_F(QueryTest, ErrorsAreSpecific) {
  EXPECT_EQ(query_->Get(kWang).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(query_->Get("R0000000999").status().code(), absl::StatusCode::kNotFound);
  auto bad = query_->Get("not-an-id");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().find("not-an-id"), std::string::npos) << "must not echo the key";
}

TEST_F(QueryTest, PagesCoverEveryResidentOnce) {
  std::vector<wire::SourceRecord> recs;
  for (int i = 0; i < 25; ++i) recs.push_back(Rec("s", "r" + std::to_string(i), {{"name", "n"}}));
  Import(Batch("s", recs));
  std::string cursor, next;
  size_t total = 0;
  int pages = 0;
  do {
    auto page = query_->Page(cursor, 10, &next);
    ASSERT_TRUE(page.ok());
    total += page->size();
    ++pages;
    cursor = next;
  } while (!cursor.empty());
  EXPECT_EQ(total, 25u);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(query_->Page("", 0, &next).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(QueryTest, GrantHidesAndMasksFieldsEverywhere) {
  Import(Batch("civil", {Rec("civil", "C1", {{"id_number", kWang}, {"phone", "13812345678"},
                                             {"current_address", "桐庐镇迎春路1号"}})}));
  auto r = query_->Get(kWang);
  ASSERT_TRUE(r.ok());
  security::Grant grant;
  grant.fields = {"id_number", "phone"};
  grant.masked = {"id_number", "phone"};
  ApplyGrant(grant, &*r);
  EXPECT_EQ(r->fields.at("phone"), "138****5678");
  EXPECT_EQ(r->fields.at("id_number"), kWang.substr(0, 6) + "********" + kWang.substr(14));
  EXPECT_EQ(r->fields.count("current_address"), 0u);
  for (const auto& v : r->values) {
    EXPECT_NE(v.field, "current_address");
    EXPECT_NE(v.value, kWang);
  }
  EXPECT_EQ(r->masked_fields.size(), 2u);
}

TEST_F(QueryTest, IdentifiersOutsideTheirFieldAreMaskedOrHidden) {
  // A police register keyed by ID number; unmapped columns with a phone and
  // with free text holding both (one of them mistyped: still personal data).
  wire::SourceRecord rec = Rec("police", kWang, {{"id_number", kWang}, {"name", "王芳"}});
  rec.attributes["备用电话"] = "139-1234-5678";
  rec.attributes["备注"] = "身份证330122198202021236 电话13912345678";
  rec.__isset.attributes = true;
  Import(Batch("police", {rec}));
  auto full = query_->Get(kWang);
  ASSERT_TRUE(full.ok());

  // Sees the ID number and phone masked: the same masks wherever they occur.
  wire::Resident masked = *full;
  security::Grant civil;
  civil.fields = {"name", "id_number", "phone", "attributes"};
  civil.masked = {"id_number", "phone"};
  ApplyGrant(civil, &masked);
  const std::string masked_id = kWang.substr(0, 6) + "********" + kWang.substr(14);
  ASSERT_EQ(masked.records.size(), 1u);
  EXPECT_EQ(masked.records[0].record_id, masked_id);
  for (const auto& v : masked.values) EXPECT_EQ(v.record_id, masked_id);
  EXPECT_EQ(masked.attributes.at("police.备用电话"), "139****5678");
  EXPECT_EQ(masked.attributes.at("police.备注"), "身份证330122********1236 电话139****5678");

  // Sees neither: they are hidden, not masked.
  wire::Resident hidden = *full;
  security::Grant grid;
  grid.fields = {"name", "attributes"};
  ApplyGrant(grid, &hidden);
  EXPECT_EQ(hidden.records[0].record_id, std::string(18, '*'));
  EXPECT_EQ(hidden.attributes.at("police.备用电话"), std::string(11, '*'));
  EXPECT_EQ(hidden.attributes.at("police.备注"),
            "身份证" + std::string(18, '*') + " 电话" + std::string(11, '*'));
}

TEST_F(QueryTest, ShortNumbersAndRecordIdsAreLeftAlone) {
  Import(Batch("grid", {Rec("grid", "ZF0000169", {{"name", "李四"}, {"grid_code", "330122112007"},
                                                  {"current_address", "迎春路5幢2单元302室"}})}));
  std::string next;
  auto r = query_->Page("", 10, &next);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  wire::Resident v = (*r)[0];
  security::Grant grid;
  grid.fields = {"name", "grid_code", "current_address"};
  ApplyGrant(grid, &v);
  EXPECT_EQ(v.records[0].record_id, "ZF0000169");
  EXPECT_EQ(v.fields.at("grid_code"), "330122112007");
  EXPECT_EQ(v.fields.at("current_address"), "迎春路5幢2单元302室");
}

TEST_F(QueryTest, AttributesFollowTheirRecord) {
  const std::string other = ValidId("33012219800101001");
  wire::SourceRecord a = Rec("civil", "C1", {{"id_number", kWang}});
  a.attributes["救助类型"] = "低保";
  a.__isset.attributes = true;
  Import(Batch("civil", {a, Rec("civil", "C2", {{"id_number", other}})}));
  // C1 was keyed to the wrong person: it moves, and its attribute goes with it.
  a.fields["id_number"] = other;
  Import(Batch("civil", {a}));
  auto wang = query_->Get(kWang);
  EXPECT_EQ(wang.status().code(), absl::StatusCode::kNotFound) << "Wang has no records left";
  auto moved = query_->Get(other);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->records.size(), 2u);
  EXPECT_EQ(moved->attributes.at("civil.救助类型"), "低保");
}

TEST_F(QueryTest, EmptiedResidentPointsToWhereItsRecordWent) {
  const std::string other = ValidId("33012219800101001");
  Import(Batch("s", {Rec("s", "1", {{"id_number", kWang}}), Rec("s", "2", {{"id_number", other}})}));
  auto wang = query_->Get(kWang);
  ASSERT_TRUE(wang.ok());
  const std::string wang_id = wang->entity_id;
  Import(Batch("s", {Rec("s", "1", {{"id_number", other}})}));
  auto by_old_id = query_->Get(wang_id);
  ASSERT_TRUE(by_old_id.ok()) << by_old_id.status();
  EXPECT_EQ(by_old_id->records.size(), 2u);
}

}  // namespace
}  // namespace gridhub::hub
