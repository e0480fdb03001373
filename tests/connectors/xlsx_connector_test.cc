// Tests for the xlsx connector. Workbooks are built per test with
// Poco::Zip::Compress from minimal handwritten parts; one real workbook saved
// by LibreOffice Calc lives in tests/testdata/xlsx/ (residents.xlsx, made
// with `soffice --headless --convert-to xlsx residents.fods`).
#include "connectors/xlsx/xlsx_connector.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "Poco/DateTime.h"
#include "Poco/Path.h"
#include "Poco/Zip/Compress.h"
#include "absl/strings/str_cat.h"
#include "connectors/connector.h"
#include "connectors/xlsx/shared_strings.h"
#include "connectors/xlsx/sheet_reader.h"
#include "connectors/xlsx/styles.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridhub::connectors {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using K = CellKind;

constexpr char kMain[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr char kRel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr char kPkgRel[] = "http://schemas.openxmlformats.org/package/2006/relationships";

struct Sheet {
  std::string name;
  std::string rows;  // the content of <sheetData>
  std::string state = "visible";
};

// A minimal workbook: what Excel writes, less everything optional.
struct Book {
  std::vector<Sheet> sheets;
  std::vector<std::string> strings;   // the content of each <si>
  std::string num_fmts;               // <numFmt/> elements
  std::vector<int> xf_formats = {0};  // numFmtId of each <cellXfs><xf>
  bool date1904 = false;
};

std::map<std::string, std::string> Parts(const Book& book) {
  std::map<std::string, std::string> parts;
  parts["[Content_Types].xml"] =
      "<?xml version=\"1.0\"?><Types "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
  parts["_rels/.rels"] =
      absl::StrCat("<Relationships xmlns=\"", kPkgRel, "\"><Relationship Id=\"rId1\" Type=\"", kRel,
                   "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
  std::string sheets, rels, sst, xfs;
  for (size_t i = 0; i < book.sheets.size(); ++i) {
    const Sheet& s = book.sheets[i];
    absl::StrAppend(&sheets, "<sheet name=\"", s.name, "\" sheetId=\"", i + 1, "\" state=\"",
                    s.state, "\" r:id=\"rId", i + 10, "\"/>");
    absl::StrAppend(&rels, "<Relationship Id=\"rId", i + 10, "\" Type=\"", kRel,
                    "/worksheet\" Target=\"worksheets/sheet", i + 1, ".xml\"/>");
    parts[absl::StrCat("xl/worksheets/sheet", i + 1, ".xml")] =
        absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"", kMain,
                     "\"><dimension ref=\"A1\"/><sheetData>", s.rows, "</sheetData></worksheet>");
  }
  parts["xl/workbook.xml"] =
      absl::StrCat("<workbook xmlns=\"", kMain, "\" xmlns:r=\"", kRel, "\"><workbookPr date1904=\"",
                   book.date1904 ? "1" : "0", "\"/><sheets>", sheets, "</sheets></workbook>");
  parts["xl/_rels/workbook.xml.rels"] = absl::StrCat(
      "<Relationships xmlns=\"", kPkgRel, "\">", rels, "<Relationship Id=\"rId1\" Type=\"", kRel,
      "/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/><Relationship Id=\"rId2\" Type=\"", kRel,
      "/styles\" Target=\"styles.xml\"/></Relationships>");
  for (const std::string& si : book.strings) absl::StrAppend(&sst, "<si>", si, "</si>");
  parts["xl/sharedStrings.xml"] = absl::StrCat("<sst xmlns=\"", kMain, "\" uniqueCount=\"",
                                               book.strings.size(), "\">", sst, "</sst>");
  for (const int id : book.xf_formats) absl::StrAppend(&xfs, "<xf numFmtId=\"", id, "\"/>");
  parts["xl/styles.xml"] =
      absl::StrCat("<styleSheet xmlns=\"", kMain, "\"><numFmts>", book.num_fmts,
                   "</numFmts><cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs><cellXfs>", xfs,
                   "</cellXfs></styleSheet>");
  return parts;
}

class XlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "gridhub_xlsx_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string WriteZip(const std::map<std::string, std::string>& parts) {
    const std::string path = absl::StrCat(dir_, "/book.xlsx");
    std::ofstream out(path, std::ios::binary);
    Poco::Zip::Compress zip(out, true);
    for (const auto& [name, content] : parts) {
      std::istringstream in(content);
      zip.addFile(in, Poco::DateTime(), Poco::Path(name, Poco::Path::PATH_UNIX));
    }
    zip.close();
    return path;
  }

  static absl::StatusOr<std::unique_ptr<Connector>> Open(const std::string& path,
                                                         const std::string& sheet = "") {
    ConnectorOptions options = {{"path", path}};
    if (!sheet.empty()) options["sheet"] = sheet;
    return XlsxConnectorFactory().create(options);
  }

  // Opens the book (one sheet of `rows` unless it has sheets) and reads it all.
  std::vector<SourceItem> ReadAll(Book book, const std::string& rows = "",
                                  const std::string& sheet = "") {
    if (book.sheets.empty()) book.sheets.push_back({"Sheet1", rows});
    auto conn = Open(WriteZip(Parts(book)), sheet);
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
  std::unique_ptr<Connector> conn_;
};

// A header row of inline strings.
std::string Header(const std::vector<std::string>& names) {
  std::string row = "<row r=\"1\">";
  for (const std::string& n : names) {
    absl::StrAppend(&row, "<c t=\"inlineStr\"><is><t>", n, "</t></is></c>");
  }
  return absl::StrCat(row, "</row>");
}

TEST_F(XlsxTest, ReadsSharedStringsWithChineseAndRichText) {
  Book book;
  book.strings = {
      "<t>姓名</t>",
      "<t>住址</t>",
      "<t>张三</t>",
      "<r><rPr><b/></rPr><t>浙江省</t></r><r><t xml:space=\"preserve\">杭州市 1号</t></r>",
      "<t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh>",
      "<t>a_x000D_b</t>"};
  auto items = ReadAll(
      book,
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"s\"><v>3</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>4</v></c><c r=\"B3\" t=\"s\"><v>5</v></c></row>");
  EXPECT_THAT(conn_->columns(), ElementsAre("姓名", "住址"));
  EXPECT_EQ(conn_->Describe(), "sheet=Sheet1 columns=2");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].row.line, 2);
  EXPECT_THAT(items[0].row.cells, ElementsAre("张三", "浙江省杭州市 1号"));
  EXPECT_THAT(items[0].row.kinds, ElementsAre(K::kText, K::kText));
  EXPECT_THAT(items[1].row.cells, ElementsAre("東京", "a\rb"));
  EXPECT_EQ(conn_->Checkpoint(), "row=3");
}

TEST_F(XlsxTest, ReadsInlineStringsNumbersBooleansErrorsAndFormulas) {
  auto items = ReadAll(
      {},
      Header({"a", "b", "c", "d", "e", "f", "g"}) +
          "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><r><t>王</t></r><r><t>五</t></r></is></c>"
          "<c r=\"B2\"><v>3.30122198001011E+17</v></c><c r=\"C2\" t=\"n\"><v>13812345678</v></c>"
          "<c r=\"D2\" t=\"b\"><v>1</v></c><c r=\"E2\" t=\"b\"><v>0</v></c>"
          "<c r=\"F2\" t=\"e\"><f>VLOOKUP(A2,X!A:B,2,0)</f><v>#N/A</v></c>"
          "<c r=\"G2\"><f>SUM(1,2)</f><v>3</v></c></row>"
          "<row r=\"3\"><c r=\"A3\" t=\"str\"><f>A2&amp;\"!\"</f><v>王五!</v></c>"
          "<c r=\"B3\" t=\"d\"><v>1990-01-02T00:00:00</v></c><c r=\"C3\"><f>1/0</f></c></row>");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_THAT(items[0].row.cells, ElementsAre("王五", "3.30122198001011E+17", "13812345678", "TRUE",
                                              "FALSE", "#N/A", "3"));
  EXPECT_THAT(items[0].row.kinds, ElementsAre(K::kText, K::kNumber, K::kNumber, K::kBoolean,
                                              K::kBoolean, K::kError, K::kNumber));
  EXPECT_THAT(items[1].row.cells, ElementsAre("王五!", "1990-01-02", "", "", "", "", ""));
  EXPECT_THAT(items[1].row.kinds,
              ElementsAre(K::kText, K::kDate, K::kText, K::kText, K::kText, K::kText, K::kText));
}

TEST_F(XlsxTest, ConvertsDateStylesIn1900System) {
  Book book;
  book.num_fmts =
      "<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
      "<numFmt numFmtId=\"165\" formatCode=\"0.00_);[Red]\\(0.00\\)\"/>";
  book.xf_formats = {0, 14, 164, 165, 20};  // general, date, custom date, number, time
  auto cell = [](int s, const char* v) {
    return absl::StrCat("<c s=\"", s, "\"><v>", v, "</v></c>");
  };
  auto items =
      ReadAll(book, Header({"d", "custom", "n", "t", "g"}) + "<row r=\"2\">" + cell(1, "32874") +
                        cell(2, "29221.75") + cell(3, "32874") + cell(4, "0.5") + cell(0, "32874") +
                        "</row><row r=\"3\">" + cell(1, "60") + cell(2, "61") + cell(1, "59") +
                        cell(1, "1") + cell(1, "2958465") + "</row>");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_THAT(items[0].row.cells, ElementsAre("1990-01-01", "1980-01-01", "32874", "0.5", "32874"));
  EXPECT_THAT(items[0].row.kinds,
              ElementsAre(K::kDate, K::kDate, K::kNumber, K::kNumber, K::kNumber));
  EXPECT_THAT(items[1].row.cells,
              ElementsAre("1900-02-29", "1900-03-01", "1900-02-28", "1900-01-01", "9999-12-31"));
}

TEST_F(XlsxTest, ConvertsDatesIn1904System) {
  Book book;
  book.date1904 = true;
  book.xf_formats = {0, 14};
  auto items =
      ReadAll(book, Header({"a", "b"}) +
                        "<row r=\"2\"><c s=\"1\"><v>0</v></c><c s=\"1\"><v>31412</v></c></row>");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_THAT(items[0].row.cells, ElementsAre("1904-01-01", "1990-01-01"));
  EXPECT_THAT(items[0].row.kinds, ElementsAre(K::kDate, K::kDate));
}

TEST_F(XlsxTest, FillsGapsSkipsBlankRowsAndKeepsRowNumbers) {
  auto items = ReadAll(
      {},
      "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>x</t></is></c>"
      "<c r=\"C3\" t=\"inlineStr\"><is><t>z</t></is></c><c r=\"E3\" "
      "t=\"inlineStr\"><is><t>w</t></is></c>"
      "<c r=\"F3\" s=\"1\"/></row>"
      "<row r=\"4\"><c r=\"A4\"><v>1</v></c><c r=\"C4\"><v>3</v></c></row>"
      "<row r=\"5\"><c r=\"A5\" s=\"1\"/><c r=\"B5\" t=\"inlineStr\"><is><t></t></is></c></row>"
      "<row r=\"9\" spans=\"1:3\"><c><v>7</v></c><c><v>8</v></c><c r=\"E9\"><v>9</v></c></row>"
      "<row><c><v>10</v></c></row>");
  EXPECT_THAT(conn_->columns(), ElementsAre("x", "column_2", "z", "column_4", "w"));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].row.line, 4);
  EXPECT_THAT(items[0].row.cells, ElementsAre("1", "", "3", "", ""));
  EXPECT_THAT(items[0].row.kinds,
              ElementsAre(K::kNumber, K::kText, K::kNumber, K::kText, K::kText));
  EXPECT_EQ(items[1].row.line, 9);
  EXPECT_THAT(items[1].row.cells, ElementsAre("7", "8", "", "", "9"));
  EXPECT_EQ(items[2].row.line, 10);  // a row without r follows the previous one
}

TEST_F(XlsxTest, ValueRightOfHeaderIsColumnCountError) {
  auto items = ReadAll({}, Header({"a", "b"}) +
                               "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"D2\" "
                               "t=\"inlineStr\"><is><t>extra</t></is></c></row>"
                               "<row r=\"3\"><c r=\"A3\"><v>2</v></c><c r=\"C3\" s=\"1\"/></row>");
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(items[0].is_error);
  EXPECT_EQ(items[0].error.reason_code, kReasonColumnCount);
  EXPECT_EQ(items[0].error.line, 2);
  EXPECT_EQ(items[0].error.message, "line 2: expected 2 columns, found 4 (a value in column D)");
  EXPECT_EQ(items[0].error.raw, "1\t\t\textra");
  EXPECT_FALSE(items[1].is_error);  // an empty cell beyond the header is no value
  EXPECT_THAT(items[1].row.cells, ElementsAre("2", ""));
}

TEST_F(XlsxTest, PicksNamedSheetOrFirstVisibleOne) {
  Book book;
  book.sheets = {{"Hidden", Header({"h"}), "hidden"},
                 {"Sheet1", Header({"a"}) + "<row r=\"2\"><c><v>1</v></c></row>"},
                 {"人员", Header({"姓名", "电话"}) +
                              "<row r=\"5\"><c t=\"inlineStr\"><is><t>张三</t></is></c></row>"}};
  auto items = ReadAll(book, "", "人员");
  EXPECT_EQ(conn_->Describe(), "sheet=人员 columns=2");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].row.line, 5);
  EXPECT_THAT(items[0].row.cells, ElementsAre("张三", ""));
  ReadAll(book);
  EXPECT_EQ(conn_->Describe(), "sheet=Sheet1 columns=1");
  ReadAll(book, "", "hidden");  // sheet names ignore case, as in Excel
  EXPECT_EQ(conn_->Describe(), "sheet=Hidden columns=1");
}

TEST_F(XlsxTest, MissingSheetIsNotFoundNamingSheets) {
  Book book;
  book.sheets = {{"Sheet1", Header({"a"})}, {"人员", Header({"b"})}};
  const std::string path = WriteZip(Parts(book));
  auto conn = Open(path, "居民");
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(
      conn.status().message(),
      absl::StrCat("xlsx: '", path, "' has no sheet named '居民' (sheets: 'Sheet1', '人员')"));
}

TEST_F(XlsxTest, EmptySheetIsInvalidArgument) {
  Book book;
  book.sheets = {{"Sheet1", "<row r=\"1\"><c r=\"A1\" s=\"1\"/></row>"}};
  auto conn = Open(WriteZip(Parts(book)));
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(conn.status().message(), HasSubstr("has no header row"));
}

// An inline-string cell at `ref` ("A1").
std::string Text(const std::string& ref, const std::string& text) {
  return absl::StrCat("<c r=\"", ref, "\" t=\"inlineStr\"><is><t>", text, "</t></is></c>");
}

// A government template: the title merged over A1:D1 (Excel stores it in A1,
// the other cells only carry the border style), a "填报单位：… 日期：…" line,
// an empty row, then the header.
std::string TemplateRows() {
  return absl::StrCat(
      "<row r=\"1\">", Text("A1", "桐庐县城南街道走访登记表"),
      "<c r=\"B1\" s=\"1\"/><c r=\"C1\" s=\"1\"/><c r=\"D1\" s=\"1\"/></row>",
      "<row r=\"2\">", Text("A2", "填报单位：城南街道"), Text("C2", "日期：2024-05-01"), "</row>",
      "<row r=\"3\"/>",
      "<row r=\"4\">", Text("A4", "序号"), Text("B4", "姓名"), Text("C4", "公民身份号码"),
      Text("D4", "联系电话"), "</row>",
      "<row r=\"5\"><c r=\"A5\"><v>1</v></c>", Text("B5", "张三"),
      "<c r=\"C5\"><v>3.30122199001011E+17</v></c>", Text("D5", "13800138000"), "</row>",
      "<row r=\"6\"><c r=\"A6\"><v>2</v></c>", Text("B6", "李四"), "</row>");
}

TEST_F(XlsxTest, TitleRowsAboveTheHeaderAreSkipped) {
  auto items = ReadAll({}, TemplateRows());
  EXPECT_THAT(conn_->columns(), ElementsAre("序号", "姓名", "公民身份号码", "联系电话"));
  EXPECT_EQ(conn_->Describe(), "sheet=Sheet1 columns=4; header at line 4; 2 title rows skipped");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_FALSE(items[0].is_error) << items[0].error.message;
  EXPECT_EQ(items[0].row.line, 5);
  EXPECT_THAT(items[0].row.cells,
              ElementsAre("1", "张三", "3.30122199001011E+17", "13800138000"));
  EXPECT_THAT(items[0].row.kinds, ElementsAre(K::kNumber, K::kText, K::kNumber, K::kText));
  EXPECT_EQ(items[1].row.line, 6);
  EXPECT_THAT(items[1].row.cells, ElementsAre("2", "李四", "", ""));
  EXPECT_EQ(conn_->Checkpoint(), "row=6");
}

TEST_F(XlsxTest, OneTitleRowAndCheckpointAfterOpening) {
  Book book;
  book.sheets = {{"走访", absl::StrCat("<row r=\"1\">", Text("A1", "二〇二四年走访名单"), "</row>",
                                      "<row r=\"2\">", Text("A2", "x"), Text("B2", "y"),
                                      Text("C2", "z"), "</row>",
                                      "<row r=\"3\"><c r=\"A3\"><v>1</v></c><c r=\"B3\"><v>2</v></c>"
                                      "<c r=\"C3\"><v>3</v></c></row>")}};
  auto conn = Open(WriteZip(Parts(book)));
  ASSERT_TRUE(conn.ok()) << conn.status();
  EXPECT_THAT((*conn)->columns(), ElementsAre("x", "y", "z"));
  EXPECT_EQ((*conn)->Describe(), "sheet=走访 columns=3; header at line 2; 1 title row skipped");
  EXPECT_EQ((*conn)->Checkpoint(), "row=2");
  auto items = Drain(**conn);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].row.line, 3);
  EXPECT_EQ((*conn)->Checkpoint(), "row=3");
}

TEST_F(XlsxTest, SheetWithoutTitleRowsIsReadAsBefore) {
  auto items = ReadAll({}, Header({"序号", "姓名", "备注"}) +
                               "<row r=\"2\"><c><v>1</v></c></row>"
                               "<row r=\"3\"><c><v>2</v></c><c><v>3</v></c><c><v>4</v></c></row>");
  EXPECT_THAT(conn_->columns(), ElementsAre("序号", "姓名", "备注"));
  EXPECT_EQ(conn_->Describe(), "sheet=Sheet1 columns=3");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].row.line, 2);
  EXPECT_EQ(items[1].row.line, 3);
}

TEST_F(XlsxTest, ConfiguredHeaderRowWins) {
  Book book;
  book.sheets = {{"Sheet1", TemplateRows()}};
  const std::string path = WriteZip(Parts(book));
  auto conn = XlsxConnectorFactory().create({{"path", path}, {"header_row", "2"}});
  ASSERT_TRUE(conn.ok()) << conn.status();
  EXPECT_THAT((*conn)->columns(), ElementsAre("填报单位：城南街道", "column_2", "日期：2024-05-01"));
  EXPECT_EQ((*conn)->Describe(),
            "sheet=Sheet1 columns=3; header at line 2 (header_row); 1 title row skipped");
  auto items = Drain(**conn);
  ASSERT_EQ(items.size(), 3u);
  ASSERT_TRUE(items[0].is_error);  // the real header, now a row: column D is past the header
  EXPECT_EQ(items[0].error.line, 4);
  EXPECT_EQ(items[0].error.reason_code, kReasonColumnCount);

  conn = XlsxConnectorFactory().create({{"path", path}, {"header_row", "4"}});
  ASSERT_TRUE(conn.ok()) << conn.status();
  EXPECT_EQ((*conn)->Describe(),
            "sheet=Sheet1 columns=4; header at line 4 (header_row); 2 title rows skipped");

  for (const char* row : {"3", "7"}) {  // an empty row; past the last row
    auto bad = XlsxConnectorFactory().create({{"path", path}, {"header_row", row}});
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << row;
    EXPECT_THAT(bad.status().message(), HasSubstr(absl::StrCat("header_row ", row)));
    EXPECT_THAT(bad.status().message(), HasSubstr(path));
  }
  for (const char* value : {"0", "first"}) {
    auto bad = XlsxConnectorFactory().create({{"path", path}, {"header_row", value}});
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << value;
    EXPECT_THAT(bad.status().message(), HasSubstr("header_row"));
  }
  auto config = ParseXlsxConfig({{"path", "x.xlsx"}, {"header_row", "auto"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->header_row, 0);
}

TEST_F(XlsxTest, DuplicateHeaderNamesAreRenamed) {
  auto items = ReadAll({}, Header({"编号", "姓名", "备注", "联系电话", "备注", "备注"}) +
                               "<row r=\"2\"><c><v>1</v></c></row>");
  EXPECT_THAT(conn_->columns(),
              ElementsAre("编号", "姓名", "备注", "联系电话", "备注_2", "备注_3"));
  EXPECT_EQ(conn_->Describe(), "sheet=Sheet1 columns=6; duplicate columns renamed: 备注_2, 备注_3");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].row.cells.size(), 6u);
}

TEST_F(XlsxTest, FileErrorsNameThePath) {
  const std::string missing = absl::StrCat(dir_, "/nope.xlsx");
  auto conn = Open(missing);
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(conn.status().message(), HasSubstr(missing));

  const std::string text = absl::StrCat(dir_, "/text.xlsx");
  std::ofstream(text) << "姓名,电话\n张三,138\n";
  conn = Open(text);
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(conn.status().message(),
              HasSubstr(absl::StrCat("'", text, "' is not an .xlsx workbook")));

  const std::string docx = WriteZip({{"word/document.xml", "<document/>"}});
  conn = Open(docx);
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(conn.status().message(), HasSubstr("is not an .xlsx workbook"));

  EXPECT_EQ(Open(dir_).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(XlsxConnectorFactory().create({{"path", docx}, {"tab", "x"}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(XlsxConnectorFactory().create({}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(XlsxTest, DamagedSheetIsDataLoss) {
  Book book;
  book.strings = {"<t>a</t>"};
  book.sheets = {{"Sheet1", Header({"a"}) + "<row r=\"2\"><c t=\"s\"><v>7</v></c></row>"}};
  auto conn = Open(WriteZip(Parts(book)));
  ASSERT_TRUE(conn.ok()) << conn.status();
  SourceItem item;
  auto more = (*conn)->Next(&item);
  EXPECT_EQ(more.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(more.status().message(), HasSubstr("shared string '7'"));

  std::map<std::string, std::string> parts = Parts({});
  parts["xl/worksheets/sheet1.xml"] = absl::StrCat("<worksheet xmlns=\"", kMain, "\"><sheetData>",
                                                   Header({"a"}), "<row r=\"2\"><c><v>1</v></row>");
  parts["xl/workbook.xml"] =
      absl::StrCat("<workbook xmlns=\"", kMain, "\" xmlns:r=\"", kRel,
                   "\"><sheets><sheet name=\"S\" r:id=\"rId10\"/></sheets></workbook>");
  parts["xl/_rels/workbook.xml.rels"] =
      absl::StrCat("<Relationships xmlns=\"", kPkgRel, "\"><Relationship Id=\"rId10\" Type=\"",
                   kRel, "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
  conn = Open(WriteZip(parts));
  ASSERT_TRUE(conn.ok()) << conn.status();
  more = (*conn)->Next(&item);
  EXPECT_EQ(more.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(more.status().message(), HasSubstr("sheet 'S' is damaged after row 2"));
  EXPECT_EQ((*conn)->Next(&item).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(XlsxTest, StreamsALargeSheet) {
  constexpr int kRows = 20000;
  std::string rows = Header({"姓名", "身份证号", "序号"});
  for (int i = 2; i <= kRows + 1; ++i) {
    absl::StrAppend(&rows, "<row r=\"", i, "\"><c r=\"A", i, "\" t=\"s\"><v>", i % 2,
                    "</v></c><c r=\"B", i, "\" t=\"inlineStr\"><is><t>33010619900101",
                    1000 + i % 9000, "</t></is></c><c r=\"C", i, "\"><v>", i, "</v></c></row>");
  }
  Book book;
  book.strings = {"<t>张三</t>", "<t>李四</t>"};
  book.sheets = {{"Sheet1", rows}};
  auto conn = Open(WriteZip(Parts(book)));
  ASSERT_TRUE(conn.ok()) << conn.status();
  SourceItem item;
  ASSERT_TRUE(*(*conn)->Next(&item));
  EXPECT_EQ((*conn)->Checkpoint(), "row=2");
  int64_t count = 1;
  int64_t last_line = item.row.line;
  while (true) {
    auto more = (*conn)->Next(&item);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    ++count;
    ASSERT_EQ(item.row.line, last_line + 1);
    last_line = item.row.line;
  }
  EXPECT_EQ(count, kRows);
  EXPECT_THAT(item.row.cells,
              ElementsAre("李四", absl::StrCat("33010619900101", 1000 + (kRows + 1) % 9000),
                          absl::StrCat(kRows + 1)));
  EXPECT_EQ((*conn)->Checkpoint(), absl::StrCat("row=", kRows + 1));
}

TEST_F(XlsxTest, ReadsWorkbookSavedByLibreOffice) {
  const std::string path = std::string(GRIDHUB_SOURCE_DIR) + "/tests/testdata/xlsx/residents.xlsx";
  auto conn = Open(path);
  ASSERT_TRUE(conn.ok()) << conn.status();
  EXPECT_EQ((*conn)->Describe(), "sheet=居民 columns=5");
  EXPECT_THAT((*conn)->columns(),
              ElementsAre("姓名", "公民身份号码", "出生日期", "联系电话", "住址"));
  auto items = Drain(**conn);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].row.line, 2);
  EXPECT_THAT(items[0].row.cells, ElementsAre("张三", "3.30122198001011E+017", "1980-01-01",
                                              "13812345678", "浙江省杭州市西湖区文三路1号"));
  EXPECT_THAT(items[0].row.kinds,
              ElementsAre(K::kText, K::kNumber, K::kDate, K::kNumber, K::kText));
  EXPECT_THAT(items[1].row.cells,
              ElementsAre("李四", "11010519491231002X", "1949-12-31", "", "北京市朝阳区"));
  EXPECT_EQ(items[2].row.line, 5);  // row 4 is blank
  EXPECT_THAT(items[2].row.cells, ElementsAre("王五", "", "2001-09-30", "0571-88886666", "1"));

  conn = Open(path, "说明");
  ASSERT_TRUE(conn.ok()) << conn.status();
  items = Drain(**conn);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_THAT(items[0].row.cells, ElementsAre("公民身份号码", "18位"));
}

TEST(XlsxHelpersTest, DateFormatCodes) {
  for (const char* code : {"yyyy-mm-dd", "yyyy\"年\"m\"月\"d\"日\"", "[$-804]mmm-yy", "d/m/yy h:mm",
                           "[DBNum1][$-804]yyyy\"年\"m\"月\"", "mm/dd"}) {
    EXPECT_TRUE(xlsx::IsDateFormatCode(code)) << code;
  }
  for (const char* code : {"General", "0.00", "@", "h:mm:ss", "[h]:mm", "\"day\"0", "0_);[Red](0)",
                           "#,##0\\d", "0*d"}) {
    EXPECT_FALSE(xlsx::IsDateFormatCode(code)) << code;
  }
  EXPECT_TRUE(xlsx::IsBuiltInDateFormat(14));
  EXPECT_TRUE(xlsx::IsBuiltInDateFormat(57));
  EXPECT_FALSE(xlsx::IsBuiltInDateFormat(49));
  EXPECT_EQ(xlsx::SerialToIsoDate("44927", false), "2023-01-01");
  EXPECT_EQ(xlsx::SerialToIsoDate("0", false), std::nullopt);
  EXPECT_EQ(xlsx::SerialToIsoDate("-1", true), std::nullopt);
  EXPECT_EQ(xlsx::SerialToIsoDate("x", false), std::nullopt);
  EXPECT_EQ(xlsx::SerialToIsoDate("2958466", false), std::nullopt);
}

TEST(XlsxHelpersTest, CellReferencesAndEscapes) {
  int column = 0;
  int64_t row = 0;
  ASSERT_TRUE(xlsx::ParseCellReference("C7", &column, &row));
  EXPECT_EQ(column, 2);
  EXPECT_EQ(row, 7);
  ASSERT_TRUE(xlsx::ParseCellReference("XFD1048576", &column, &row));
  EXPECT_EQ(column, 16383);
  EXPECT_FALSE(xlsx::ParseCellReference("XFE1", &column, &row));
  EXPECT_FALSE(xlsx::ParseCellReference("7", &column, &row));
  EXPECT_EQ(xlsx::DecodeEscapes("a_x005F_x000D_b_x4E2D__xD840__xDC00_"), "a_x000D_b中𠀀");
  EXPECT_EQ(xlsx::DecodeEscapes("_xD800_ _x12_"), "_xD800_ _x12_");
}

TEST(XlsxRegistryTest, RegisteredAndMappedByExtension) {
  ConnectorRegistry registry;
  RegisterAll(&registry);
  EXPECT_NE(registry.Find("xlsx"), nullptr);
  EXPECT_EQ(*ConnectorForPath("/data/网格/居民.XLSX"), "xlsx");
  auto xls = ConnectorForPath("old.xls");
  EXPECT_EQ(xls.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(xls.status().message(), HasSubstr("old.xls"));
  EXPECT_THAT(xls.status().message(), HasSubstr("old binary Excel format; save as .xlsx or CSV"));
}

}  // namespace
}  // namespace gridhub::connectors
