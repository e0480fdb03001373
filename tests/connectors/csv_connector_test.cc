// Tests for the connector registry, the CSV connector, and its splitter and
// decoder. Files are written to a fresh temporary directory per test.
#include "connectors/csv/csv_connector.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "connectors/connector.h"
#include "connectors/csv/csv_splitter.h"
#include "connectors/csv/text_decoder.h"
#include "connectors/header_row.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "unicode/ucnv.h"

namespace gridhub::connectors {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// UTF-8 text in GB18030, through ICU.
std::string ToGb18030(std::string_view utf8) {
  std::string out(utf8.size() * 2 + 16, '\0');
  UErrorCode error = U_ZERO_ERROR;
  const int32_t n = ucnv_convert("GB18030", "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                                 utf8.data(), static_cast<int32_t>(utf8.size()), &error);
  EXPECT_TRUE(U_SUCCESS(error)) << u_errorName(error);
  out.resize(n);
  return out;
}

class CsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "gridhub_csv_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(std::string_view name, std::string_view bytes) {
    const std::string path = absl::StrCat(dir_, "/", std::string(name));
    std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
    return path;
  }

  static absl::StatusOr<std::unique_ptr<Connector>> Open(const std::string& path,
                                                         const std::string& encoding = "auto",
                                                         const std::string& delimiter = "auto") {
    return CsvConnectorFactory().create(
        {{"path", path}, {"encoding", encoding}, {"delimiter", delimiter}});
  }

  // Opens `bytes` as a file and reads it to the end.
  std::vector<SourceItem> ReadAll(std::string_view bytes, const std::string& encoding = "auto",
                                  const std::string& delimiter = "auto") {
    auto conn = Open(Write("in.csv", bytes), encoding, delimiter);
    EXPECT_TRUE(conn.ok()) << conn.status();
    if (!conn.ok()) return {};
    conn_ = std::move(*conn);
    return Drain(*conn_);
  }

  static std::vector<SourceItem> Drain(Connector& conn) {
    std::vector<SourceItem> items;
    SourceItem item;
    while (true) {
      absl::StatusOr<bool> more = conn.Next(&item);
      EXPECT_TRUE(more.ok()) << more.status();
      if (!more.ok() || !*more) return items;
      items.push_back(item);
    }
  }

  std::string dir_;
  std::unique_ptr<Connector> conn_;  // the last connector ReadAll opened
};

TEST_F(CsvTest, ReadsUtf8) {
  auto items = ReadAll("姓名,身份证号,电话\n张三,110101199003071234,13800138000\n李四,,\n");
  EXPECT_THAT(conn_->columns(), ElementsAre("姓名", "身份证号", "电话"));
  EXPECT_EQ(conn_->Describe(), "encoding=utf-8 delimiter=comma columns=3");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_FALSE(items[0].is_error);
  EXPECT_EQ(items[0].row.line, 2);
  EXPECT_THAT(items[0].row.cells, ElementsAre("张三", "110101199003071234", "13800138000"));
  EXPECT_EQ(items[1].row.line, 3);
  EXPECT_THAT(items[1].row.cells, ElementsAre("李四", "", ""));
}

TEST_F(CsvTest, StripsUtf8Bom) {
  auto items = ReadAll("\xEF\xBB\xBF姓名,性别\n王五,男\n");
  EXPECT_THAT(conn_->columns(), ElementsAre("姓名", "性别"));
  EXPECT_EQ(conn_->Describe(), "encoding=utf-8 delimiter=comma columns=2");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_THAT(items[0].row.cells, ElementsAre("王五", "男"));
}

TEST_F(CsvTest, DetectsAndDecodesGb18030) {
  EXPECT_EQ(ToGb18030("张三"), "\xD5\xC5\xC8\xFD");  // GBK bytes, known by heart
  auto items = ReadAll(ToGb18030("姓名,地址\n张三,浙江省杭州市\n𠀀,\"北京,朝阳\"\n"));
  EXPECT_EQ(conn_->Describe(), "encoding=gb18030 delimiter=comma columns=2");
  EXPECT_THAT(conn_->columns(), ElementsAre("姓名", "地址"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_THAT(items[0].row.cells, ElementsAre("张三", "浙江省杭州市"));
  EXPECT_THAT(items[1].row.cells, ElementsAre("𠀀", "北京,朝阳"));  // 4-byte sequence
}

TEST_F(CsvTest, ForcedGbkReadsGbkFile) {
  auto items = ReadAll("name,id\n\xD5\xC5\xC8\xFD,1\n", "GBK");
  EXPECT_EQ(conn_->Describe(), "encoding=gb18030 delimiter=comma columns=2");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_THAT(items[0].row.cells, ElementsAre("张三", "1"));
}

TEST_F(CsvTest, BadGb18030RowIsRowError) {
  auto items = ReadAll("name,id\n\xD5\xC5\xC8\xFD,1\nbad\xFF,2\n\xC8\xFD,3\n");
  ASSERT_EQ(items.size(), 3u);
  ASSERT_TRUE(items[1].is_error);
  EXPECT_EQ(items[1].error.reason_code, kReasonBadEncoding);
  EXPECT_EQ(items[1].error.line, 3);
  EXPECT_THAT(items[1].error.message, HasSubstr("line 3"));
  EXPECT_THAT(items[1].error.message, HasSubstr("gb18030"));
  EXPECT_EQ(items[1].error.raw, "bad\xFF,2");
  EXPECT_THAT(items[2].row.cells, ElementsAre("三", "3"));
}

TEST_F(CsvTest, DetectsTabAndKeepsCommasInCells) {
  auto items = ReadAll("name\taddress\tphone\nZhang San\tRoom 1, Bldg 2\t138\n");
  EXPECT_EQ(conn_->Describe(), "encoding=utf-8 delimiter=tab columns=3");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_THAT(items[0].row.cells, ElementsAre("Zhang San", "Room 1, Bldg 2", "138"));
}

TEST_F(CsvTest, ForcedDelimiterWins) {
  auto items = ReadAll("a,b\tc\n1,2\t3\n", "utf-8", "tab");
  EXPECT_THAT(conn_->columns(), ElementsAre("a,b", "c"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_THAT(items[0].row.cells, ElementsAre("1,2", "3"));
}

TEST_F(CsvTest, QuotedFieldsWithCommasQuotesAndNewlines) {
  auto items = ReadAll(
      "name,note,id\n"
      "\"Li, Si\",\"said \"\"hi\"\"\",1\n"
      "\"Wang\",\"two\nlines\n\",2\n"
      "Zhao,\"\",3\n");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_THAT(items[0].row.cells, ElementsAre("Li, Si", "said \"hi\"", "1"));
  EXPECT_EQ(items[1].row.line, 3);
  EXPECT_THAT(items[1].row.cells, ElementsAre("Wang", "two\nlines\n", "2"));
  EXPECT_EQ(items[2].row.line, 6);
  EXPECT_THAT(items[2].row.cells, ElementsAre("Zhao", "", "3"));
}

TEST_F(CsvTest, CrlfAndFinalLineWithoutNewline) {
  auto items = ReadAll("a,b\r\n1,\"x\r\ny\"\r\n\r\n2,z");
  EXPECT_THAT(conn_->columns(), ElementsAre("a", "b"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_THAT(items[0].row.cells, ElementsAre("1", "x\r\ny"));
  EXPECT_EQ(items[1].row.line, 5);
  EXPECT_THAT(items[1].row.cells, ElementsAre("2", "z"));
}

TEST_F(CsvTest, BlankLinesSkippedAndEmptyHeaderCellsNamed) {
  auto items = ReadAll("\n\na,,c\n\n1,2,3\n\n\n4,5,6\n\n");
  EXPECT_THAT(conn_->columns(), ElementsAre("a", "column_2", "c"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].row.line, 5);
  EXPECT_EQ(items[1].row.line, 8);
}

TEST_F(CsvTest, WrongColumnCountIsRowErrorAndReadingGoesOn) {
  auto items = ReadAll("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n");
  ASSERT_EQ(items.size(), 4u);
  ASSERT_TRUE(items[1].is_error);
  EXPECT_EQ(items[1].error.reason_code, kReasonColumnCount);
  EXPECT_EQ(items[1].error.line, 3);
  EXPECT_EQ(items[1].error.message, "line 3: expected 3 columns, found 2");
  EXPECT_EQ(items[1].error.raw, "4,5");
  EXPECT_EQ(items[2].error.message, "line 4: expected 3 columns, found 4");
  EXPECT_FALSE(items[3].is_error);
  EXPECT_EQ(items[3].row.line, 5);
  EXPECT_THAT(items[3].row.cells, ElementsAre("10", "11", "12"));
}

TEST_F(CsvTest, InvalidUtf8RowWithForcedUtf8) {
  auto items = ReadAll("name,id\n张三,1\nbad\xC3\x28,2\n李四,3\n", "utf-8");
  ASSERT_EQ(items.size(), 3u);
  ASSERT_TRUE(items[1].is_error);
  EXPECT_EQ(items[1].error.reason_code, kReasonBadEncoding);
  EXPECT_EQ(items[1].error.line, 3);
  EXPECT_THAT(items[1].error.message, HasSubstr("line 3"));
  EXPECT_THAT(items[1].error.message, HasSubstr("utf-8"));
  EXPECT_EQ(items[1].error.raw, "bad\xC3\x28,2");
  EXPECT_THAT(items[2].row.cells, ElementsAre("李四", "3"));
}

TEST_F(CsvTest, UnterminatedQuoteAtEndOfFile) {
  auto items = ReadAll("a,b\n1,2\n3,\"open\nstill open\n");
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(items[1].is_error);
  EXPECT_EQ(items[1].error.reason_code, kReasonUnterminatedQuote);
  EXPECT_EQ(items[1].error.line, 3);
  EXPECT_EQ(items[1].error.raw, "3,\"open\nstill open\n");
}

TEST_F(CsvTest, CheckpointAfterEachItem) {
  auto conn = Open(Write("c.csv", "a,b\n1,2\n\n3,4"));
  ASSERT_TRUE(conn.ok()) << conn.status();
  EXPECT_EQ((*conn)->Checkpoint(), "offset=4;line=2");
  SourceItem item;
  ASSERT_TRUE(*(*conn)->Next(&item));
  EXPECT_EQ((*conn)->Checkpoint(), "offset=8;line=3");
  ASSERT_TRUE(*(*conn)->Next(&item));
  EXPECT_EQ((*conn)->Checkpoint(), "offset=12;line=4");
  EXPECT_FALSE(*(*conn)->Next(&item));
  EXPECT_FALSE(*(*conn)->Next(&item));  // stays at the end
}

TEST_F(CsvTest, FileErrorsNameThePath) {
  const std::string missing = dir_ + "/missing.csv";
  auto conn = Open(missing);
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(conn.status().message(), HasSubstr(missing));

  for (const char* bytes : {"", "\xEF\xBB\xBF", "\n\r\n\n"}) {
    const std::string empty = Write("empty.csv", bytes);
    conn = Open(empty);
    EXPECT_EQ(conn.status().code(), absl::StatusCode::kInvalidArgument) << bytes;
    EXPECT_THAT(conn.status().message(), HasSubstr(empty));
  }
  conn = Open(dir_);
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kInvalidArgument);

  conn = Open(Write("badhead.csv", "n\xFF\n1\n"), "utf-8");
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(conn.status().message(), HasSubstr("header"));
}

TEST_F(CsvTest, UnreadableFileIsPermissionDenied) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any file";
  const std::string path = Write("secret.csv", "a\n1\n");
  ASSERT_EQ(chmod(path.c_str(), 0), 0);
  auto conn = Open(path);
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(conn.status().message(), HasSubstr(path));
}

TEST_F(CsvTest, LargeFileIsReadCompletely) {
  constexpr int kRows = 50000;
  std::string bytes = "序号,姓名,电话,备注\n";
  for (int i = 1; i <= kRows; ++i) {
    absl::StrAppend(&bytes, i, ",张三", i, ",", 13800000000 + i, ",",
                    i % 1000 == 0 ? "\"多行\n备注\"" : "普通备注", "\n");
  }
  ASSERT_GT(bytes.size(), 2 * CsvSplitter::kDefaultChunkSize);
  auto items = ReadAll(bytes);
  ASSERT_EQ(items.size(), static_cast<size_t>(kRows));
  for (const SourceItem& item : items) ASSERT_FALSE(item.is_error) << item.error.message;
  EXPECT_EQ(items.back().row.line, kRows + kRows / 1000);  // 50 rows span two lines
  EXPECT_THAT(items.back().row.cells,
              ElementsAre("50000", "张三50000", "13800050000", "多行\n备注"));
  EXPECT_EQ(items[998].row.cells[0], "999");
  EXPECT_EQ(conn_->Checkpoint(),
            absl::StrCat("offset=", bytes.size(), ";line=", kRows + kRows / 1000 + 2));
}

TEST_F(CsvTest, Utf8CharacterCutByDetectionWindowStillUtf8) {
  std::string bytes = "a\n";  // 2 bytes, then 4-byte rows: byte 65536 splits a "张"
  while (bytes.size() < 70000) bytes += "张\n";
  auto items = ReadAll(bytes);
  EXPECT_EQ(conn_->Describe(), "encoding=utf-8 delimiter=comma columns=1");
  ASSERT_FALSE(items.empty());
  EXPECT_THAT(items.back().row.cells, ElementsAre("张"));
}

// Government templates put a title (and often a "填报单位：…" line) above the
// header; with a merged title cell, Excel's CSV keeps the commas.
TEST_F(CsvTest, OneTitleRowAboveTheHeaderIsSkipped) {
  const std::string bytes =
      "桐庐县城南街道走访登记表,,\n姓名,身份证号,电话\n张三,330122199001011234,13800138000\n"
      "李四,,\n";
  auto items = ReadAll(bytes);
  EXPECT_THAT(conn_->columns(), ElementsAre("姓名", "身份证号", "电话"));
  EXPECT_EQ(conn_->Describe(),
            "encoding=utf-8 delimiter=comma columns=3; header at line 2; 1 title row skipped");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_FALSE(items[0].is_error) << items[0].error.message;
  EXPECT_EQ(items[0].row.line, 3);
  EXPECT_THAT(items[0].row.cells, ElementsAre("张三", "330122199001011234", "13800138000"));
  EXPECT_EQ(items[1].row.line, 4);
  EXPECT_EQ(conn_->Checkpoint(), absl::StrCat("offset=", bytes.size(), ";line=5"));
}

TEST_F(CsvTest, TwoTitleRowsWithoutDelimitersInATabFile) {
  // The title has no tab: the delimiter comes from the first line that has one.
  const std::string bytes =
      "桐庐县城南街道走访登记表\n填报单位：城南街道\t\t日期：2024-05-01\t\n\n"
      "序号\t姓名\t身份证号\t联系电话\n1\t张三\t330122199001011234\t13800138000\n"
      "2\t\"王\n五\"\t\t\n3\t李四\t\t\n";
  auto conn = Open(Write("t.tsv", bytes));
  ASSERT_TRUE(conn.ok()) << conn.status();
  EXPECT_THAT((*conn)->columns(), ElementsAre("序号", "姓名", "身份证号", "联系电话"));
  EXPECT_EQ((*conn)->Describe(),
            "encoding=utf-8 delimiter=tab columns=4; header at line 4; 2 title rows skipped");
  const size_t header_end = bytes.find("1\t张三");
  EXPECT_EQ((*conn)->Checkpoint(), absl::StrCat("offset=", header_end, ";line=5"));
  SourceItem item;
  ASSERT_TRUE(*(*conn)->Next(&item));
  EXPECT_EQ(item.row.line, 5);
  EXPECT_THAT(item.row.cells, ElementsAre("1", "张三", "330122199001011234", "13800138000"));
  EXPECT_EQ((*conn)->Checkpoint(), absl::StrCat("offset=", bytes.find("2\t"), ";line=6"));
  ASSERT_TRUE(*(*conn)->Next(&item));
  EXPECT_EQ(item.row.line, 6);  // spans lines 6 and 7
  EXPECT_THAT(item.row.cells, ElementsAre("2", "王\n五", "", ""));
  EXPECT_EQ((*conn)->Checkpoint(), absl::StrCat("offset=", bytes.find("3\t"), ";line=8"));
  ASSERT_TRUE(*(*conn)->Next(&item));
  EXPECT_EQ(item.row.line, 8);
  EXPECT_THAT(item.row.cells, ElementsAre("3", "李四", "", ""));
  EXPECT_FALSE(*(*conn)->Next(&item));
  EXPECT_EQ((*conn)->Checkpoint(), absl::StrCat("offset=", bytes.size(), ";line=9"));
}

TEST_F(CsvTest, LabelAndValueLineIsNotTakenForTheHeader) {
  // "联系电话：…" and "网格：…" name fields, but as label and value.
  auto items = ReadAll(
      "走访登记表,,,\n联系电话：0571-64612345,网格：一网格,,\n"
      "编号,姓名,身份证号,备注\n1,张三,330122199001011234,\n");
  EXPECT_THAT(conn_->columns(), ElementsAre("编号", "姓名", "身份证号", "备注"));
  EXPECT_THAT(conn_->Describe(), HasSubstr("; header at line 3; 2 title rows skipped"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].row.line, 4);
}

TEST_F(CsvTest, UnknownHeadersBelowATitleAreFoundByTheirWidth) {
  auto items = ReadAll("Visits 2024,,\nalpha,,gamma\n1,2,3\n4,5,6\n");
  EXPECT_THAT(conn_->columns(), ElementsAre("alpha", "column_2", "gamma"));
  EXPECT_THAT(conn_->Describe(), HasSubstr("; header at line 2; 1 title row skipped"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].row.line, 3);
}

TEST_F(CsvTest, RowsReadAheadKeepTheirErrors) {
  // An undecodable title is skipped; bad rows after the header stay row errors.
  auto items = ReadAll("\xFF标题\n姓名,身份证号\n张三,1\nbad\xC3\x28,2\n李四\n王五,3\n", "utf-8");
  EXPECT_THAT(conn_->columns(), ElementsAre("姓名", "身份证号"));
  ASSERT_EQ(items.size(), 4u);
  EXPECT_FALSE(items[0].is_error);
  ASSERT_TRUE(items[1].is_error);
  EXPECT_EQ(items[1].error.reason_code, kReasonBadEncoding);
  EXPECT_EQ(items[1].error.line, 4);
  EXPECT_EQ(items[1].error.raw, "bad\xC3\x28,2");
  ASSERT_TRUE(items[2].is_error);
  EXPECT_EQ(items[2].error.reason_code, kReasonColumnCount);
  EXPECT_EQ(items[2].error.line, 5);
  EXPECT_THAT(items[3].row.cells, ElementsAre("王五", "3"));
}

TEST_F(CsvTest, FileWithoutTitleRowsIsReadAsBefore) {
  const std::string bytes = "序号,姓名,电话\n1,张三,13800138000\n2,李四,\n";
  auto conn = Open(Write("plain.csv", bytes));
  ASSERT_TRUE(conn.ok()) << conn.status();
  EXPECT_THAT((*conn)->columns(), ElementsAre("序号", "姓名", "电话"));
  EXPECT_EQ((*conn)->Describe(), "encoding=utf-8 delimiter=comma columns=3");
  EXPECT_EQ((*conn)->Checkpoint(), "offset=21;line=2");
  auto items = Drain(**conn);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].row.line, 2);
  EXPECT_EQ(items[1].row.line, 3);

  // A header with empty cells above fuller data rows is still the header.
  items = ReadAll("x,,z\n1,2,3\n4,5,6\n");
  EXPECT_THAT(conn_->columns(), ElementsAre("x", "column_2", "z"));
  EXPECT_EQ(conn_->Describe(), "encoding=utf-8 delimiter=comma columns=3");
  EXPECT_EQ(items.size(), 2u);
}

TEST_F(CsvTest, ConfiguredHeaderRowWins) {
  const std::string path = Write("h.csv", "x,y\n\n编号,姓名\n1,张三\n");
  auto conn = CsvConnectorFactory().create({{"path", path}, {"header_row", "1"}});
  ASSERT_TRUE(conn.ok()) << conn.status();
  EXPECT_THAT((*conn)->columns(), ElementsAre("x", "y"));
  EXPECT_EQ((*conn)->Describe(), "encoding=utf-8 delimiter=comma columns=2; header at line 1 (header_row)");
  auto items = Drain(**conn);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].row.line, 3);
  EXPECT_THAT(items[0].row.cells, ElementsAre("编号", "姓名"));

  // Beyond the 10 rows looked at automatically.
  std::string bytes;
  for (int i = 1; i <= 12; ++i) absl::StrAppend(&bytes, "说明第", i, "行\n");
  absl::StrAppend(&bytes, "a,b\n1,2\n");
  conn = CsvConnectorFactory().create({{"path", Write("many.csv", bytes)}, {"header_row", "13"}});
  ASSERT_TRUE(conn.ok()) << conn.status();
  EXPECT_THAT((*conn)->columns(), ElementsAre("a", "b"));
  EXPECT_EQ((*conn)->Describe(),
            "encoding=utf-8 delimiter=comma columns=2; header at line 13 (header_row); 12 title "
            "rows skipped");
  items = Drain(**conn);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].row.line, 14);

  for (const char* line : {"2", "9"}) {  // a blank line; past the end
    auto bad = CsvConnectorFactory().create({{"path", path}, {"header_row", line}});
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << line;
    EXPECT_THAT(bad.status().message(), HasSubstr(absl::StrCat("header_row ", line)));
    EXPECT_THAT(bad.status().message(), HasSubstr(path));
  }
  auto inside = CsvConnectorFactory().create(
      {{"path", Write("q.csv", "a,\"b\nc\"\nx,y\n")}, {"header_row", "2"}});
  EXPECT_EQ(inside.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(inside.status().message(), HasSubstr("inside a quoted field"));
}

TEST_F(CsvTest, DuplicateHeaderNamesAreRenamed) {
  auto items = ReadAll("序号,姓名,备注,备注,备注_2, 备注 ,\n1,张三,a,b,c,d,e\n");
  EXPECT_THAT(conn_->columns(),
              ElementsAre("序号", "姓名", "备注", "备注_3", "备注_2", "备注_4", "column_7"));
  EXPECT_EQ(conn_->Describe(),
            "encoding=utf-8 delimiter=comma columns=7; duplicate columns renamed: 备注_3, 备注_4");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_THAT(items[0].row.cells, ElementsAre("1", "张三", "a", "b", "c", "d", "e"));
}

TEST(HeaderRowTest, KnownHeadersAndTheChoice) {
  EXPECT_EQ(KnownHeaderCount({"序号", "姓名", "身份证号", "备注"}), 3);
  EXPECT_EQ(KnownHeaderCount({"桐庐县城南街道走访登记表"}), 0);
  EXPECT_EQ(KnownHeaderCount({"联系电话：0571-1234", "网格：一网格", "姓名"}), 1);
  EXPECT_EQ(KnownHeaderCount({"性别(1:男 2:女)", "出生日期（格式：yyyymmdd）", "联系电话："}), 3);

  using Rows = std::vector<std::vector<std::string>>;
  EXPECT_EQ(ChooseHeaderRow(Rows{}), 0u);
  EXPECT_EQ(ChooseHeaderRow(Rows{{"标题"}, {"a", "b"}, {"1", "2"}}), 1u);
  EXPECT_EQ(ChooseHeaderRow(Rows{{"a", "", "c", "d"}, {"1", "2", "3", "4"}}), 0u);
  EXPECT_EQ(ChooseHeaderRow(Rows{{"标题", "", "", ""}, {"填报单位：城南", "", "", "日期：5月"},
                                 {"w", "x", "y", "z"}}),
            2u);
  // Half the cells or fewer is what a title looks like: header_row is the way out.
  EXPECT_EQ(ChooseHeaderRow(Rows{{"a", "", "c", ""}, {"1", "2", "3", "4"}}), 1u);
  // Dictionary hits win over width: a numbered-columns row below stays data.
  EXPECT_EQ(ChooseHeaderRow(Rows{{"说明", "", "", ""}, {"姓名", "身份证号", "", ""},
                                 {"1", "2", "3", "4"}}),
            1u);
  EXPECT_EQ(ChooseHeaderRow(Rows{{"单列"}, {"1"}, {"2"}}), 0u);  // one column: nothing to tell

  std::vector<std::string> renamed;
  EXPECT_THAT(ColumnNames({"a", "", "a", "column_2", "a_2"}, &renamed),
              ElementsAre("a", "column_2", "a_3", "column_2_2", "a_2"));
  EXPECT_THAT(renamed, ElementsAre("a_3", "column_2_2"));

  EXPECT_EQ(*ParseHeaderRowOption("csv", "auto"), 0);
  EXPECT_EQ(*ParseHeaderRowOption("csv", ""), 0);
  EXPECT_EQ(*ParseHeaderRowOption("csv", " 3 "), 3);
  for (const char* bad : {"0", "-1", "x", "2.5"}) {
    auto parsed = ParseHeaderRowOption("xlsx", bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(parsed.status().message(), HasSubstr("xlsx: header_row"));
  }
  EXPECT_EQ(DescribeHeader(1, 0, false, {}), "");
  EXPECT_EQ(DescribeHeader(3, 2, false, {}), "; header at line 3; 2 title rows skipped");
  EXPECT_EQ(DescribeHeader(2, 1, true, {"x_2"}),
            "; header at line 2 (header_row); 1 title row skipped; duplicate columns renamed: x_2");
}

TEST(CsvConfigTest, ParsesAndRejectsOptions) {
  auto config = ParseCsvConfig({{"path", "x.tsv"}, {"encoding", "gbk"}, {"delimiter", "\\t"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->path, "x.tsv");
  EXPECT_EQ(config->encoding, TextEncoding::kGb18030);
  EXPECT_EQ(config->delimiter, '\t');
  config = ParseCsvConfig({{"path", "x"}, {"encoding", "UTF8"}, {"delimiter", ","}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->encoding, TextEncoding::kUtf8);
  EXPECT_EQ(config->delimiter, ',');
  config = ParseCsvConfig({{"path", "x"}});
  EXPECT_EQ(config->encoding, TextEncoding::kAuto);
  EXPECT_EQ(config->delimiter, 0);
  EXPECT_EQ(config->header_row, 0);
  config = ParseCsvConfig({{"path", "x"}, {"header_row", "3"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->header_row, 3);

  const std::pair<ConnectorOptions, std::string> bad[] = {
      {{{"path", "x"}, {"colour", "red"}}, "colour"},
      {{{"path", "x"}, {"encoding", "latin1"}}, "latin1"},
      {{{"path", "x"}, {"delimiter", ";"}}, ";"},
      {{{"path", "x"}, {"header_row", "0"}}, "header_row"},
      {{{"encoding", "auto"}}, "path"},
  };
  for (const auto& [options, named] : bad) {
    config = ParseCsvConfig(options);
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << named;
    EXPECT_THAT(config.status().message(), HasSubstr(named));
  }
}

// Feeds a string to the splitter in chunks of a chosen size.
class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string bytes) : bytes_(std::move(bytes)) {}
  absl::StatusOr<size_t> Read(char* buffer, size_t size) override {
    const size_t n = std::min(size, bytes_.size() - pos_);
    bytes_.copy(buffer, n, pos_);
    pos_ += n;
    return n;
  }

 private:
  std::string bytes_;
  size_t pos_ = 0;
};

std::string SplitToString(const std::string& bytes, size_t chunk_size) {
  CsvSplitter splitter(std::make_unique<StringSource>(bytes), ',', chunk_size);
  std::string out;
  RawRecord record;
  while (true) {
    absl::StatusOr<bool> more = splitter.Next(&record);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    absl::StrAppend(&out, record.line, record.unterminated_quote ? "!" : "", ":");
    for (const std::string& field : record.fields) absl::StrAppend(&out, "[", field, "]");
    absl::StrAppend(&out, " raw=", record.raw, " @", splitter.offset(), "/", splitter.line(), "\n");
  }
  return out;
}

TEST(CsvSplitterTest, SameRecordsForEveryChunkSize) {
  const std::string input =
      "a,\"b\"\"c\",d\r\n\r\n\"x\r\ny\",\"\"\"\"\n\"q\"tail,mid\"quote,\n lone\rcr,\"\",end\r";
  const std::string expected =
      "1:[a][b\"c][d] raw=a,\"b\"\"c\",d @12/2\n"
      "3:[x\r\ny][\"] raw=\"x\r\ny\",\"\"\"\" @26/5\n"
      "5:[qtail][mid\"quote][] raw=\"q\"tail,mid\"quote, @45/6\n"
      "6:[ lone\rcr][][end] raw= lone\rcr,\"\",end @61/6\n";
  for (size_t chunk = 1; chunk <= 9; ++chunk) {
    EXPECT_EQ(SplitToString(input, chunk), expected) << "chunk size " << chunk;
  }
  EXPECT_EQ(SplitToString(input, CsvSplitter::kDefaultChunkSize), expected);
  EXPECT_EQ(SplitToString("x,\"open\n", 3), "1!:[x][open\n] raw=x,\"open\n @8/2\n");
}

class FailingSource : public ByteSource {
 public:
  absl::StatusOr<size_t> Read(char*, size_t) override {
    return absl::DataLossError("disk on fire");
  }
};

TEST(CsvSplitterTest, ReadErrorEndsTheRead) {
  CsvSplitter splitter(std::make_unique<FailingSource>(), ',');
  RawRecord record;
  EXPECT_EQ(splitter.Next(&record).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(splitter.Next(&record).status().code(), absl::StatusCode::kDataLoss);
}

TEST(TextDecoderTest, Utf8ValidationAndDetection) {
  EXPECT_TRUE(IsValidUtf8("abc 张三 𠀀"));
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE5\xBC"));
  EXPECT_TRUE(IsValidUtf8("\xE5\xBC", /*allow_truncated_tail=*/true));
  EXPECT_EQ(DetectEncoding("张三", true), TextEncoding::kUtf8);
  EXPECT_EQ(DetectEncoding("\xD5\xC5\xC8\xFD", true), TextEncoding::kGb18030);
}

TEST(TextDecoderTest, Gb18030IsStrict) {
  auto decoder = TextDecoder::Create(TextEncoding::kGb18030);
  ASSERT_TRUE(decoder.ok()) << decoder.status();
  std::string out;
  ASSERT_TRUE((*decoder)
                  ->Decode("\x95\x32\x82\x36"
                           "a",
                           &out)
                  .ok());
  EXPECT_EQ(out, "𠀀a");
  EXPECT_EQ((*decoder)->Decode("\xD5", &out).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*decoder)
                ->Decode("a\xFF"
                         "b",
                         &out)
                .code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE((*decoder)->Decode("\xD5\xC5", &out).ok());  // converter reset after an error
  EXPECT_EQ(out, "张");
  EXPECT_EQ(TextDecoder::Create(TextEncoding::kAuto).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ConnectorRegistryTest, RegistersCreatesAndRejects) {
  ConnectorRegistry registry;
  RegisterAll(&registry);
  EXPECT_THAT(registry.Names(), ElementsAre("csv", "xlsx"));
  ASSERT_NE(registry.Find("csv"), nullptr);
  EXPECT_EQ(registry.Find("csv")->name, "csv");
  EXPECT_EQ(registry.Find("ods"), nullptr);

  EXPECT_EQ(registry.Register(CsvConnectorFactory()).code(), absl::StatusCode::kAlreadyExists);
  ConnectorFactory nameless = CsvConnectorFactory();
  nameless.name = "";
  EXPECT_EQ(registry.Register(nameless).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Register({"broken", "no create", nullptr}).code(),
            absl::StatusCode::kInvalidArgument);
  ConnectorFactory other = CsvConnectorFactory();
  other.name = "another";
  EXPECT_TRUE(registry.Register(other).ok());
  EXPECT_THAT(registry.Names(), ElementsAre("another", "csv", "xlsx"));

  auto unknown = registry.Create("ods", {});
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("ods"));
  EXPECT_THAT(unknown.status().message(), HasSubstr("csv"));
  EXPECT_EQ(registry.Create("csv", {{"path", "/nonexistent/x.csv"}}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ConnectorForPathTest, MapsExtensions) {
  for (const char* path : {"police.csv", "/data/GRID.TSV", "dir.v2/export.Txt"}) {
    auto name = ConnectorForPath(path);
    ASSERT_TRUE(name.ok()) << path;
    EXPECT_EQ(*name, "csv");
  }
  for (const char* path : {"residents.ods", "dir.csv/noext", "README"}) {
    auto name = ConnectorForPath(path);
    EXPECT_EQ(name.status().code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_THAT(name.status().message(), HasSubstr(path));
    EXPECT_THAT(name.status().message(), HasSubstr(".csv"));
  }
}

}  // namespace
}  // namespace gridhub::connectors
