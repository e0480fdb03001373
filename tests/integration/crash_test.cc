// Crash safety: hubd killed with SIGKILL in the middle of a large import,
// restarted, and the import run again, ends with exactly the residents of an
// uninterrupted run: no record lost, none doubled, no half-applied batch.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "schema/id_number.h"
#include "tests/integration/hubd_process.h"

namespace gridhub::testing {
namespace {

constexpr int kRecords = 30000;
constexpr int kPersons = 12000;

std::string ValidId(int person) {
  // Region 330122 (桐庐县), birth dates spread over 1950-1999, sequence from the person.
  const int year = 1950 + person % 50, month = 1 + person % 12, day = 1 + person % 28;
  const std::string first17 =
      absl::StrCat("330122", year, month < 10 ? "0" : "", month, day < 10 ? "0" : "", day,
                   absl::StrFormat("%03d", person % 1000));
  return first17 + schema::IdCheckCharacter(first17);
}

// Every resident as the sorted set of its record ids, from `export --json`.
std::set<std::set<std::string>> Groupings(const std::string& jsonl) {
  std::set<std::set<std::string>> out;
  size_t pos = 0;
  const std::string key = "\"record_id\":\"";
  while ((pos = jsonl.find("\"records\":[", pos)) != std::string::npos) {
    const size_t end = jsonl.find(']', pos);
    std::set<std::string> members;
    for (size_t p = jsonl.find(key, pos); p != std::string::npos && p < end; p = jsonl.find(key, p)) {
      p += key.size();
      members.insert(jsonl.substr(p, jsonl.find('"', p) - p));
    }
    out.insert(members);
    pos = end;
  }
  return out;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);
    char tmpl[] = "/tmp/gridhub-crash-XXXXXX";
    root_ = ::mkdtemp(tmpl);
    ASSERT_EQ(RunCommand(kOps + "gen-certs.sh " + Quote(root_ + "/certs")).exit_code, 0);
    // Person k appears in several records (k = i mod kPersons): links to resolve.
    std::ofstream csv(root_ + "/big.csv");
    csv << "编号,身份证号,姓名\n";
    for (int i = 0; i < kRecords; ++i) {
      csv << "R" << i << "," << ValidId(i % kPersons) << ",居民" << (i % kPersons) << "\n";
    }
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  CommandResult Hubctl(const HubdProcess& hubd, const std::string& args) {
    return RunCommand(absl::StrCat(kBin, "hubctl --server ", hubd.address(), " --certs ",
                                   Quote(root_ + "/certs"), " --user steward ", args));
  }
  std::string ImportArgs() {
    return "import --json --batch 500 --source crash --record-id 编号 " + Quote(root_ + "/big.csv");
  }

  std::string root_;
};

TEST_F(CrashTest, KilledMidImportThenRerunEqualsUninterruptedRun) {
  std::set<std::set<std::string>> reference;
  {
    HubdProcess hubd(root_ + "/reference", root_ + "/certs");
    ASSERT_TRUE(hubd.Start()) << hubd.Log();
    CommandResult r = Hubctl(hubd, ImportArgs());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    CommandResult e = Hubctl(hubd, "export --json --purpose data_quality");
    ASSERT_EQ(e.exit_code, 0) << e.output.substr(0, 2000);
    reference = Groupings(e.output);
    ASSERT_EQ(reference.size(), static_cast<size_t>(kPersons));
  }

  const std::string data = root_ + "/crashed";
  {
    HubdProcess hubd(data, root_ + "/certs");
    ASSERT_TRUE(hubd.Start()) << hubd.Log();
    // Import in the background; kill the server once a few batches are in.
    std::thread importer([&] { Hubctl(hubd, ImportArgs()); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    size_t batches = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string log = hubd.Log();
      batches = 0;
      for (size_t p = log.find("action=import"); p != std::string::npos;
           p = log.find("action=import", p + 1)) {
        ++batches;
      }
      if (batches >= 5) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    hubd.Kill(SIGKILL);
    importer.join();
    ASSERT_GE(batches, 5u) << "import did not start";
    ASSERT_LT(batches, static_cast<size_t>(kRecords / 500)) << "import finished before the kill";
  }
  {
    HubdProcess hubd(data, root_ + "/certs");
    ASSERT_TRUE(hubd.Start()) << hubd.Log();
    CommandResult r = Hubctl(hubd, ImportArgs());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // What survived the crash is unchanged now; the rest is imported.
    EXPECT_NE(r.output.find(absl::StrCat("\"rows_read\":", kRecords)), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("\"unchanged\":0,"), std::string::npos) << "nothing survived? " << r.output;
    CommandResult e = Hubctl(hubd, "export --json --purpose data_quality");
    ASSERT_EQ(e.exit_code, 0);
    EXPECT_EQ(Groupings(e.output), reference);
  }
}

}  // namespace
}  // namespace gridhub::testing
