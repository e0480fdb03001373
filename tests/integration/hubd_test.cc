// End-to-end: the real hubd over mutual TLS, driven by the real hubctl.
#include <gtest/gtest.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSSLSocket.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "GridHub.h"
#include "absl/strings/str_cat.h"
#include "hub/store/keys.h"
#include "hub/store/kv_store.h"
#include "schema/id_number.h"
#include "tests/integration/hubd_process.h"

namespace gridhub::testing {
namespace {

std::string ValidId(const std::string& first17) {
  return first17 + schema::IdCheckCharacter(first17);
}

const std::string kZhang = ValidId("33012219800101001");
const std::string kLi = ValidId("33012719751231002");

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

class HubdTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // A TLS peer that closes mid-write must not kill the test (DEPS.md pitfall 4).
    std::signal(SIGPIPE, SIG_IGN);
    char tmpl[] = "/tmp/gridhub-it-XXXXXX";
    root_ = new std::string(::mkdtemp(tmpl));
    const std::string certs = *root_ + "/certs";
    CommandResult gen = RunCommand(kOps + "gen-certs.sh " + Quote(certs));
    ASSERT_EQ(gen.exit_code, 0) << gen.output;
    CommandResult foreign = RunCommand(kOps + "gen-certs.sh --foreign " + Quote(*root_ + "/foreign"));
    ASSERT_EQ(foreign.exit_code, 0) << foreign.output;
    hubd_ = new HubdProcess(*root_ + "/data", certs);
    ASSERT_TRUE(hubd_->Start()) << hubd_->Log();
  }

  static void TearDownTestSuite() {
    delete hubd_;
    std::error_code ec;
    std::filesystem::remove_all(*root_, ec);
    delete root_;
  }

  static CommandResult Hubctl(const std::string& user, const std::string& args,
                              const std::string& certs = "") {
    return RunCommand(absl::StrCat(kBin, "hubctl --server ", hubd_->address(), " --certs ",
                            Quote(certs.empty() ? *root_ + "/certs" : certs), " --user ", user, " ",
                            args));
  }

  static std::string Path(const std::string& name) { return *root_ + "/" + name; }

  static std::string* root_;
  static HubdProcess* hubd_;
};

std::string* HubdTest::root_ = nullptr;
HubdProcess* HubdTest::hubd_ = nullptr;

TEST_F(HubdTest, PingShowsTheCallerFromItsCertificate) {
  CommandResult r = Hubctl("officer", "ping --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(R"("user":"officer")"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(R"("role":"police")"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(R"("department":"public-security")"), std::string::npos) << r.output;
}

TEST_F(HubdTest, ImportIsIdempotentReportsBadRowsAndReadsBack) {
  // Line 4 has a column too few; line 5 spells Zhang's number with a leading
  // apostrophe and spaces, as spreadsheets do.
  const std::string csv = Path("police.csv");
  WriteFile(csv, absl::StrCat("编号,身份证号,姓名,电话\n",
                              "P1,", kZhang, ",张三,13812345678\n",
                              "P2,", kLi, ",李四,13900000000\n",
                              "P3,", kLi, ",李四\n",
                              "P4,'", kZhang.substr(0, 6), " ", kZhang.substr(6), ",张三,\n"));
  const std::string import_args =
      "import --json --source police --record-id 编号 --map 身份证号=id_number --map 姓名=name "
      "--map 电话=phone " + Quote(csv);
  CommandResult first = Hubctl("steward", import_args);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find(R"("rows_read":4)"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find(R"("imported":3)"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find(R"("rejected":1)"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find(R"("residents_created":2)"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find(R"("records_linked":1)"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find(R"("column_count":1)"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("line 4"), std::string::npos) << first.output;

  CommandResult second = Hubctl("steward", import_args);
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find(R"("imported":0)"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find(R"("unchanged":3)"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find(R"("residents_created":0)"), std::string::npos) << second.output;

  CommandResult officer = Hubctl("officer", "get --json --purpose investigation --case AJ-1 " + kZhang);
  ASSERT_EQ(officer.exit_code, 0) << officer.output;
  EXPECT_NE(officer.output.find(absl::StrCat(R"("id_number":")", kZhang, "\"")), std::string::npos)
      << officer.output;
  EXPECT_NE(officer.output.find(R"({"source":"police","record_id":"P1"})"), std::string::npos);
  EXPECT_NE(officer.output.find(R"({"source":"police","record_id":"P4"})"), std::string::npos);
  EXPECT_NE(officer.output.find(R"("name":"张三")"), std::string::npos);

  // Civil affairs sees the same resident with the ID number and phone masked.
  CommandResult civil = Hubctl("civil", "get --json --purpose benefit_review " + kZhang);
  ASSERT_EQ(civil.exit_code, 0) << civil.output;
  EXPECT_EQ(civil.output.find(kZhang), std::string::npos) << civil.output;
  EXPECT_NE(civil.output.find(absl::StrCat(kZhang.substr(0, 6), "********", kZhang.substr(14))),
            std::string::npos)
      << civil.output;
  EXPECT_NE(civil.output.find("138****5678"), std::string::npos) << civil.output;

  CommandResult exported = Hubctl("steward", "export --json --purpose data_quality");
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_NE(exported.output.find(R"("entity_id":"R)"), std::string::npos);
}

TEST_F(HubdTest, Gb18030FileWithUndecodableRowKeepsTheRest) {
  // "档案号,姓名" and two rows of 王五 / 赵六 in GB18030; the middle row has
  // bytes that are not GB18030.
  const std::string header = "\xB5\xB5\xB0\xB8\xBA\xC5,\xD0\xD5\xC3\xFB\r\n";
  const std::string csv = Path("civil.csv");
  WriteFile(csv, header + "C1,\xCD\xF5\xCE\xE5\r\nC2,\x80\xFF\r\nC3,\xD5\xD4\xC1\xF9\r\n");
  CommandResult r = Hubctl(
      "steward", "import --json --source civil --record-id 档案号 --map 姓名=name " + Quote(csv));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(R"("imported":2)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(R"("bad_encoding":1)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("line 3"), std::string::npos) << r.output;
}

TEST_F(HubdTest, SpreadsheetWithoutKeyColumnImportsByLineAndFlagsNumericIds) {
  // Saved by LibreOffice Calc: Chinese headers, an ID number stored as a
  // number (digits lost), a date-formatted birth date, no key column.
  const std::string xlsx = std::string(GRIDHUB_SOURCE_DIR) + "/tests/testdata/xlsx/residents.xlsx";
  CommandResult no_key = Hubctl("steward", "import --source gridxl " + Quote(xlsx));
  EXPECT_EQ(no_key.exit_code, 2) << no_key.output;
  EXPECT_NE(no_key.output.find("@line"), std::string::npos) << no_key.output;

  CommandResult r = Hubctl("steward", "import --json --source gridxl --record-id @line " + Quote(xlsx));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // LibreOffice stored the 18-digit number as 3.30122198001011E+017.
  EXPECT_NE(r.output.find(R"("id_number:scientific_notation":1)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(R"("姓名":"name")"), std::string::npos) << r.output;  // detected mapping
  EXPECT_EQ(r.output.find(R"("imported":0)"), std::string::npos) << r.output;
}

TEST_F(HubdTest, QuarantineListsUnusableRecordsForStewardsOnly) {
  const std::string csv = Path("noident.csv");
  WriteFile(csv, "编号,身份证号,电话\nN1,3.30122E+17,13812345678\n");
  CommandResult r = Hubctl("steward", "import --json --source tips " + Quote(csv));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(R"("quarantined":1)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(R"("no_identity":1)"), std::string::npos) << r.output;
  CommandResult list = Hubctl("steward", "quarantine list --json --source tips");
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find(R"("record_id":"N1")"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find(R"("retryable":true)"), std::string::npos) << list.output;
  CommandResult retry = Hubctl("steward", "quarantine retry --json --source tips");
  ASSERT_EQ(retry.exit_code, 0) << retry.output;
  EXPECT_NE(retry.output.find(R"("still_quarantined":1)"), std::string::npos) << retry.output;
  CommandResult officer = Hubctl("officer", "quarantine list --source tips");
  EXPECT_EQ(officer.exit_code, 1) << officer.output;
  EXPECT_NE(officer.output.find("access denied"), std::string::npos) << officer.output;
}

TEST_F(HubdTest, RoleWithoutGrantIsDeniedAndServerKeepsServing) {
  CommandResult auditor = Hubctl("auditor", "get --purpose investigation --case X " + kZhang);
  EXPECT_EQ(auditor.exit_code, 1) << auditor.output;
  EXPECT_NE(auditor.output.find("access denied"), std::string::npos) << auditor.output;
  CommandResult no_case = Hubctl("officer", "get --purpose investigation " + kZhang);
  EXPECT_EQ(no_case.exit_code, 1);
  EXPECT_NE(no_case.output.find("case reference"), std::string::npos) << no_case.output;
  WriteFile(Path("tips.csv"), "编号,姓名\nT1,张三\n");
  CommandResult import_by_police =
      Hubctl("officer", "import --source x --record-id 编号 " + Quote(Path("tips.csv")));
  EXPECT_EQ(import_by_police.exit_code, 1) << import_by_police.output;
  EXPECT_NE(import_by_police.output.find("access denied"), std::string::npos)
      << import_by_police.output;
  EXPECT_EQ(Hubctl("officer", "ping").exit_code, 0);
}

TEST_F(HubdTest, ClientFromAnotherCaIsRefused) {
  // The intruder trusts the real CA (so it can reach the server) but its own
  // certificate comes from a foreign CA.
  const std::string dir = Path("intruder-certs");
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(Path("certs/ca.pem"), dir + "/ca.pem");
  for (const char* f : {"intruder.pem", "intruder.key"}) {
    std::filesystem::copy_file(Path(std::string("foreign/") + f), dir + "/" + f);
  }
  std::filesystem::permissions(dir + "/intruder.key", std::filesystem::perms::owner_read |
                                                          std::filesystem::perms::owner_write);
  CommandResult r = Hubctl("intruder", "ping", dir);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("connect"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("you are"), std::string::npos) << r.output;
  ASSERT_TRUE(hubd_->Running());
  EXPECT_EQ(Hubctl("officer", "ping").exit_code, 0);
}

TEST_F(HubdTest, ClientWithoutCertificateIsRefused) {
  namespace tt = apache::thrift::transport;
  auto factory = std::make_shared<tt::TSSLSocketFactory>(tt::SSLTLS);
  factory->authenticate(true);
  factory->loadTrustedCertificates(Path("certs/ca.pem").c_str());
  auto socket = factory->createSocket("127.0.0.1", hubd_->port());
  socket->setRecvTimeout(10000);
  auto transport = std::make_shared<tt::TFramedTransport>(socket);
  wire::GridHubClient client(std::make_shared<apache::thrift::protocol::TCompactProtocol>(transport));
  bool refused = false;
  try {
    transport->open();
    wire::ServerInfo info;
    client.ping(info);
  } catch (const std::exception&) {
    refused = true;
  }
  EXPECT_TRUE(refused);
  ASSERT_TRUE(hubd_->Running());
  EXPECT_EQ(Hubctl("officer", "ping").exit_code, 0);
}

// A store of an older index shape is refused for imports, and the importer
// is told why and what to do (not "internal error"); reads still work.
TEST(HubdLifecycleTest, ImportIntoAnOlderIndexShapeSaysToRebuild) {
  char tmpl[] = "/tmp/gridhub-shape-XXXXXX";
  const std::string root = ::mkdtemp(tmpl);
  ASSERT_EQ(RunCommand(kOps + "gen-certs.sh " + Quote(root + "/certs")).exit_code, 0);
  std::filesystem::create_directories(root + "/data");
  std::filesystem::permissions(root + "/data", std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  {
    hub::StoreOptions options;
    options.path = root + "/data/db";
    auto store = hub::OpenRocksStore(options);
    ASSERT_TRUE(store.ok()) << store.status();
    hub::WriteSet w;
    w.Put(hub::Family::kMeta, std::string(hub::keys::kMetaIndexShape), "3");
    w.Put(hub::Family::kMeta, std::string(hub::keys::kMetaNextResident), "2");
    ASSERT_TRUE((*store)->Write(w, true).ok());
  }
  const std::string csv = root + "/grid.csv";
  WriteFile(csv, absl::StrCat("\xEF\xBB\xBF走访编号,证件号码\nZ1,", kLi, "\n"));
  HubdProcess hubd(root + "/data", root + "/certs");
  ASSERT_TRUE(hubd.Start()) << hubd.Log();
  const CommandResult r = RunCommand(absl::StrCat(
      kBin, "hubctl --server ", hubd.address(), " --certs ", Quote(root + "/certs"),
      " --user steward import --source grid --record-id 走访编号 --map 证件号码=id_number ",
      Quote(csv)));
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("rebuild the store"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
  EXPECT_TRUE(hubd.Running());
  EXPECT_EQ(hubd.Kill(SIGTERM), 0) << hubd.Log();
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
}

TEST(HubdLifecycleTest, SigtermStopsCleanlyAndDataSurvivesRestart) {
  char tmpl[] = "/tmp/gridhub-life-XXXXXX";
  const std::string root = ::mkdtemp(tmpl);
  ASSERT_EQ(RunCommand(kOps + "gen-certs.sh " + Quote(root + "/certs")).exit_code, 0);
  const std::string csv = root + "/grid.csv";
  WriteFile(csv, absl::StrCat("\xEF\xBB\xBF走访编号,证件号码\nZ1,", kLi, "\n"));
  auto hubctl = [&](const HubdProcess& hubd, const std::string& user, const std::string& args) {
    return RunCommand(absl::StrCat(kBin, "hubctl --server ", hubd.address(), " --certs ",
                            Quote(root + "/certs"), " --user ", user, " ", args));
  };
  {
    HubdProcess hubd(root + "/data", root + "/certs");
    ASSERT_TRUE(hubd.Start()) << hubd.Log();
    ASSERT_EQ(hubctl(hubd, "steward",
                     "import --source grid --record-id 走访编号 --map 证件号码=id_number " + Quote(csv))
                  .exit_code,
              0);
    EXPECT_EQ(hubd.Kill(SIGTERM), 0) << hubd.Log();
    EXPECT_NE(hubd.Log().find("hubd stopped"), std::string::npos) << hubd.Log();
  }
  {
    HubdProcess hubd(root + "/data", root + "/certs");
    ASSERT_TRUE(hubd.Start()) << hubd.Log();
    CommandResult r = hubctl(hubd, "steward", "get --json --purpose data_quality " + kLi);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(R"("record_id":"Z1")"), std::string::npos) << r.output;
    const std::string log = hubd.Log();
    EXPECT_EQ(log.find(kLi), std::string::npos) << "resident data must not reach the log";
    EXPECT_EQ(hubd.Kill(SIGINT), 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
}

}  // namespace
}  // namespace gridhub::testing
