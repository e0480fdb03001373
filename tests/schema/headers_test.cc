#include "schema/headers.h"

#include <gtest/gtest.h>

namespace gridhub::schema {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(HeadersTest, PoliceRegister) {
  auto d = DetectHeaders({"人员编号", "公民身份号码", "姓名", "性别", "出生日期", "户籍地址",
                          "联系电话", "民族"});
  EXPECT_EQ(d.mapping.record_id_column, "人员编号");
  EXPECT_EQ(d.mapping.column_fields,
            (Pairs{{"公民身份号码", "id_number"}, {"姓名", "name"}, {"性别", "gender"},
                   {"出生日期", "birth_date"}, {"户籍地址", "household_address"},
                   {"联系电话", "phone"}, {"民族", "ethnicity"}}));
}

TEST(HeadersTest, CivilAffairsRollKeepsOtherColumnsAsAttributes) {
  auto d = DetectHeaders({"档案号", "身份证号", "姓名", "性别", "出生年月", "家庭住址", "手机号码",
                          "救助类型"});
  EXPECT_EQ(d.mapping.record_id_column, "档案号");
  EXPECT_EQ(d.columns[7].field, "");
  EXPECT_FALSE(d.columns[7].record_id);
  EXPECT_EQ(d.columns[5].field, "household_address");
  EXPECT_EQ(d.columns[6].field, "phone");
}

TEST(HeadersTest, GridVisitSheet) {
  auto d = DetectHeaders({"走访编号", "证件号码", "姓名", "现住址", "联系方式", "网格编码", "走访事项"});
  EXPECT_EQ(d.mapping.record_id_column, "走访编号");
  EXPECT_EQ(d.mapping.column_fields,
            (Pairs{{"证件号码", "id_number"}, {"姓名", "name"}, {"现住址", "current_address"},
                   {"联系方式", "phone"}, {"网格编码", "grid_code"}}));
}

TEST(HeadersTest, DecoratedAndEnglishHeaders) {
  auto d = DetectHeaders({"Record ID", "* 姓名（必填）", "ID No.", "Date of Birth", "Mobile", " 性 别 "});
  EXPECT_EQ(d.mapping.record_id_column, "Record ID");
  EXPECT_EQ(d.columns[1].field, "name");
  EXPECT_EQ(d.columns[2].field, "id_number");
  EXPECT_EQ(d.columns[3].field, "birth_date");
  EXPECT_EQ(d.columns[4].field, "phone");
  EXPECT_EQ(d.columns[5].field, "gender");
}

TEST(HeadersTest, ContainedWordsWhenNoExactMatch) {
  auto d = DetectHeaders({"登记编号", "本人身份证号码", "本人联系电话", "户籍所在地详细地址"});
  EXPECT_EQ(d.mapping.record_id_column, "登记编号");
  EXPECT_EQ(d.columns[1].field, "id_number");
  EXPECT_FALSE(d.columns[1].exact);
  EXPECT_EQ(d.columns[2].field, "phone");
  EXPECT_EQ(d.columns[3].field, "household_address");
}

TEST(HeadersTest, OtherIdentifierIsNotTheIdNumber) {
  auto d = DetectHeaders({"编号", "证件号码", "其他证件号码", "姓名"});
  EXPECT_EQ(d.columns[1].field, "id_number");
  EXPECT_EQ(d.columns[2].field, "other_id");
  EXPECT_TRUE(d.columns[2].exact);
  d = DetectHeaders({"编号", "证件号码", "其他证件号码(护照)"});
  EXPECT_EQ(d.columns[1].field, "id_number");
  EXPECT_EQ(d.columns[2].field, "other_id");  // by word
  EXPECT_FALSE(d.columns[2].exact);
  // Another identifier never becomes the ID number, even with the field free.
  d = DetectHeaders({"编号", "other_id", "其他证件号码(护照)"});
  EXPECT_EQ(d.columns[1].field, "other_id");
  EXPECT_EQ(d.columns[2].field, "");
  EXPECT_EQ(DetectHeaders({"Other ID"}).columns[0].field, "other_id");
}

TEST(HeadersTest, FirstColumnWinsAFieldOthersStayAttributes) {
  auto d = DetectHeaders({"编号", "联系电话", "手机号码"});
  EXPECT_EQ(d.columns[1].field, "phone");
  EXPECT_EQ(d.columns[2].field, "");
}

TEST(HeadersTest, NoRecordIdColumnFound) {
  auto d = DetectHeaders({"姓名", "身份证号"});
  EXPECT_EQ(d.mapping.record_id_column, "");
}

TEST(HeadersTest, OtherPeoplesColumnsAreNotThePersons) {
  auto d = DetectHeaders({"序号", "户号", "户主姓名", "姓名", "监护人电话", "本人电话", "出生地",
                          "出生日期(yyyy-mm-dd)", "户口性质", "户籍地详址", "网格员"});
  EXPECT_EQ(d.columns[2].field, "");
  EXPECT_EQ(d.columns[3].field, "name");
  EXPECT_EQ(d.columns[4].field, "");
  EXPECT_EQ(d.columns[5].field, "phone");
  EXPECT_EQ(d.columns[6].field, "");
  EXPECT_EQ(d.columns[7].field, "birth_date");
  EXPECT_EQ(d.columns[8].field, "");
  EXPECT_EQ(d.columns[9].field, "household_address");
  EXPECT_EQ(d.columns[10].field, "");
  EXPECT_EQ(d.mapping.record_id_column, "序号");  // the only candidate: a row counter
}

TEST(HeadersTest, PersonKeyPreferredOverRowCounterAndHouseKeys) {
  auto d = DetectHeaders({"序号", "房屋编号", "人员编号", "姓名"});
  EXPECT_EQ(d.mapping.record_id_column, "人员编号");
  auto house = DetectHeaders({"房屋编号", "姓名", "身份证号"});
  EXPECT_EQ(house.mapping.record_id_column, "");
}

TEST(HeadersTest, HeaderKey) {
  EXPECT_EQ(HeaderKey(" 姓 名（必填）* "), "姓名");
  EXPECT_EQ(HeaderKey("ID_Number"), "idnumber");
  EXPECT_EQ(HeaderKey("\xEF\xBC\xA9\xEF\xBC\xA4"), "id");  // full-width ＩＤ
}

// The file connectors rename a repeated header "备注" to "备注_2", "备注_3"
// (connectors/header_row.h); the plan keeps those as attributes.
TEST(HeadersTest, RenamedDuplicateColumnsAreAttributes) {
  const std::vector<std::string> header = {"编号", "姓名", "备注", "联系电话", "备注_2"};
  auto d = DetectHeaders(header);
  EXPECT_EQ(d.mapping.record_id_column, "编号");
  EXPECT_EQ(d.columns[4].field, "");
  auto plan = ColumnPlan::Create(d.mapping, header);
  ASSERT_TRUE(plan.ok()) << plan.status();
  MappedRow row;
  ASSERT_TRUE(plan->Apply({"7", "张三", "低保", "13800138000", "独居"}, 2, &row).ok());
  EXPECT_EQ(row.attributes, (Pairs{{"备注", "低保"}, {"备注_2", "独居"}}));
}

TEST(HeadersTest, RepeatedFieldOrRecordIdColumnIsAmbiguous) {
  const std::vector<std::string> header = {"编号", "身份证号", "姓名", "身份证号_2"};
  auto d = DetectHeaders(header);
  auto plan = ColumnPlan::Create(d.mapping, header);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(plan.status().message(),
            "column \"身份证号\" is ambiguous for field \"id_number\": the header names more than "
            "one column \"身份证号\" (the second is read as \"身份证号_2\"); choose one explicitly "
            "(e.g. \"身份证号_2=id_number\") or rename them in the file");
  // Mapping the second one explicitly is a choice.
  SourceMapping chosen = OverrideMapping(d.mapping, {"", {{"身份证号_2", "id_number"}}});
  plan = ColumnPlan::Create(chosen, header);
  ASSERT_TRUE(plan.ok()) << plan.status();
  MappedRow row;
  ASSERT_TRUE(plan->Apply({"1", "330122195001011234", "张三", "330122199001011234"}, 3, &row).ok());
  EXPECT_EQ(row.fields, (Pairs{{"name", "张三"}, {"id_number", "330122199001011234"}}));
  EXPECT_EQ(row.attributes, (Pairs{{"身份证号", "330122195001011234"}}));

  const std::vector<std::string> ids = {"编号", "姓名", "编号_2"};
  plan = ColumnPlan::Create(DetectHeaders(ids).mapping, ids);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(plan.status().message().find("\"编号\" is ambiguous for the record id"),
            std::string::npos)
      << plan.status();
  plan = ColumnPlan::Create(OverrideMapping(DetectHeaders(ids).mapping, {"编号_2", {}}), ids);
  EXPECT_TRUE(plan.ok()) << plan.status();
}

TEST(HeadersTest, UnrenamedDuplicateHeaderIsStillRefused) {
  auto plan = ColumnPlan::Create({"编号", {}}, {"编号", "备注", " 备注 "});
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(plan.status().message(), "column \" 备注 \" appears twice in the header (column 3)");
}

}  // namespace
}  // namespace gridhub::schema
