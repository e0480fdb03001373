// End-to-end steward work over the real hubd with mutual TLS, driven by the
// real hubctl: the review queue, decisions, merge and split, explanations
// of residents and pairs, the match model, and refusals of other roles.
//
// Two departments' files: police P1 and civil C1 share a valid ID number
// (certain: one resident); police P2 and civil C2 share name and birth date
// but C2 has no ID number and another phone (uncertain: queued for review).
// Their name, 张伟, is common in the county (50 other residents bear it), so
// it weighs little; a rare name with the birth date would link outright.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "schema/id_number.h"
#include "tests/integration/hubd_process.h"

namespace gridhub::testing {
namespace {

std::string ValidId(const std::string& first17) {
  return first17 + schema::IdCheckCharacter(first17);
}

const std::string kWang = ValidId("33012219900215002");   // P1 and C1
const std::string kZhang = ValidId("33012219850315004");  // P2 only

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// The string value of the first "key":"..." at or after `from`; "" if none.
std::string JsonString(const std::string& text, const std::string& key, size_t from = 0) {
  const std::string needle = absl::StrCat("\"", key, "\":\"");
  const size_t at = text.find(needle, from);
  if (at == std::string::npos) return "";
  const size_t start = at + needle.size();
  return text.substr(start, text.find('"', start) - start);
}

// The strings of the first "key":["...","..."] array; empty if none.
std::vector<std::string> JsonStrings(const std::string& text, const std::string& key) {
  std::vector<std::string> out;
  const std::string needle = absl::StrCat("\"", key, "\":[");
  const size_t at = text.find(needle);
  if (at == std::string::npos) return out;
  const size_t end = text.find(']', at);
  for (size_t i = text.find('"', at + needle.size()); i < end; i = text.find('"', i)) {
    const size_t close = text.find('"', i + 1);
    out.push_back(text.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return out;
}

std::string Ref(const std::string& source, const std::string& record_id) {
  return absl::StrCat(R"({"source":")", source, R"(","record_id":")", record_id, R"("})");
}

// Police and civil-affairs files as the two departments export them.
std::string PoliceCsv(const std::string& phone_of_p1 = "13700001111") {
  std::string csv = absl::StrCat("编号,身份证号,姓名,出生日期,联系电话\n",
                                 "P1,", kWang, ",王芳,1990-02-15,", phone_of_p1, "\n",
                                 "P2,", kZhang, ",张伟,1985-03-15,13811112222\n");
  // Namesakes born in other years, and other people.
  for (int i = 0; i < 50; ++i) {
    const std::string born = absl::StrCat(1930 + i, "0720");
    absl::StrAppend(&csv, "N", i, ",", ValidId(absl::StrCat("330122", born, "011")), ",张伟,",
                    born, ",1390000", 1000 + i, "\n");
  }
  const char* names[] = {"陈建国", "刘洋", "杨静", "黄磊", "周杰", "吴婷", "徐明", "孙丽"};
  for (int i = 0; i < 8; ++i) {
    const std::string born = absl::StrCat("1970010", i + 1);
    absl::StrAppend(&csv, "P", i + 3, ",", ValidId(absl::StrCat("330122", born, "012")), ",",
                    names[i], ",", born, ",1390000", 2000 + i, "\n");
  }
  return csv;
}

std::string CivilCsv(const std::string& phone_of_c1 = "13700001111") {
  return absl::StrCat("档案号,身份证号,姓名,出生日期,联系电话\n",
                      "C1,", kWang, ",王芳,1990-02-15,", phone_of_c1, "\n",
                      "C2,,张伟,1985-03-15,13933334444\n",
                      "C3,,郑小红,2001-11-30,13655556666\n");
}

class StewardTest : public ::testing::Test {
 protected:
  // Each test changes the residents (merges, splits, judgements) and
  // expects the state the two imports leave: a fresh server and data
  // directory per test, whether the tests run one per process (ctest) or
  // all in one.
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);
    char tmpl[] = "/tmp/gridhub-steward-XXXXXX";
    root_ = new std::string(::mkdtemp(tmpl));
    CommandResult gen = RunCommand(kOps + "gen-certs.sh " + Quote(Path("certs")));
    ASSERT_EQ(gen.exit_code, 0) << gen.output;
    hubd_ = new HubdProcess(Path("data"), Path("certs"));
    ASSERT_TRUE(hubd_->Start()) << hubd_->Log();
    WriteFile(Path("police.csv"), PoliceCsv());
    WriteFile(Path("civil.csv"), CivilCsv());
    const std::string civil = ImportBoth();
    EXPECT_NE(civil.find(R"("records_linked":1)"), std::string::npos) << civil;
    EXPECT_NE(civil.find(R"("review_queued":1)"), std::string::npos) << civil;
  }

  void TearDown() override {
    delete hubd_;
    hubd_ = nullptr;
    if (root_ != nullptr) {
      std::error_code ec;
      std::filesystem::remove_all(*root_, ec);
      delete root_;
      root_ = nullptr;
    }
  }

  // Imports police.csv then civil.csv; returns the civil import's summary.
  static std::string ImportBoth() {
    CommandResult r;
    for (const char* source : {"police", "civil"}) {
      const std::string column = std::string(source) == "police" ? "编号" : "档案号";
      r = Hubctl(
          "steward", absl::StrCat("import --json --source ", source, " --record-id ", column,
                                  " --map 身份证号=id_number --map 姓名=name --map 出生日期=birth_date"
                                  " --map 联系电话=phone ",
                                  Quote(Path(absl::StrCat(source, ".csv")))));
      EXPECT_EQ(r.exit_code, 0) << r.output;
    }
    return r.output;
  }

  static CommandResult Hubctl(const std::string& user, const std::string& args) {
    return RunCommand(absl::StrCat(kBin, "hubctl --server ", hubd_->address(), " --certs ",
                                   Quote(Path("certs")), " --user ", user, " ", args));
  }

  // The resident id holding `key` (an ID number or resident id), as the
  // steward reads it.
  static std::string ResidentOf(const std::string& key) {
    CommandResult r = Hubctl("steward", "get --json --purpose data_quality " + key);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return JsonString(r.output, "entity_id");
  }

  // The review item naming both police:P2 and civil:C2, or "".
  static std::string ReviewPairOfZhang() {
    CommandResult list = Hubctl("steward", "review list --json");
    EXPECT_EQ(list.exit_code, 0) << list.output;
    size_t line_start = 0;
    while (line_start < list.output.size()) {
      size_t end = list.output.find('\n', line_start);
      if (end == std::string::npos) end = list.output.size();
      const std::string line = list.output.substr(line_start, end - line_start);
      if (line.find(Ref("police", "P2")) != std::string::npos &&
          line.find(Ref("civil", "C2")) != std::string::npos) {
        return JsonString(line, "pair_id");
      }
      line_start = end + 1;
    }
    return "";
  }

  static std::string Path(const std::string& name) { return *root_ + "/" + name; }

  static std::string* root_;
  static HubdProcess* hubd_;
};

std::string* StewardTest::root_ = nullptr;
HubdProcess* StewardTest::hubd_ = nullptr;

TEST_F(StewardTest, ReviewListsTheUncertainPairAndMatchMergesIt) {
  const std::string pair_id = ReviewPairOfZhang();
  ASSERT_EQ(pair_id.size(), 16u) << Hubctl("steward", "review list --json").output;

  CommandResult table = Hubctl("steward", "review list");
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_NE(table.output.find(pair_id), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("police:P2"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("name=exact"), std::string::npos) << table.output;

  const std::string p2 = ResidentOf(kZhang);
  ASSERT_FALSE(p2.empty());
  CommandResult decide =
      Hubctl("steward", "review decide --json " + pair_id + " match --note 'same person, new phone'");
  ASSERT_EQ(decide.exit_code, 0) << decide.output;
  // Survivor first, then the resident merged into it.
  const std::vector<std::string> changed = JsonStrings(decide.output, "residents");
  ASSERT_EQ(changed.size(), 2u) << "a match merges two residents: " << decide.output;
  const std::string& survivor = changed[0];
  const std::string& merged_away = changed[1];
  EXPECT_EQ(survivor, p2) << "the older resident (police, imported first) survives: "
                          << decide.output;
  EXPECT_NE(survivor, merged_away);

  // Both records now live in one resident, and the merged-away id finds it.
  CommandResult zhang = Hubctl("steward", "get --json --purpose data_quality " + kZhang);
  ASSERT_EQ(zhang.exit_code, 0) << zhang.output;
  EXPECT_EQ(JsonString(zhang.output, "entity_id"), survivor) << zhang.output;
  EXPECT_NE(zhang.output.find(Ref("police", "P2")), std::string::npos) << zhang.output;
  EXPECT_NE(zhang.output.find(Ref("civil", "C2")), std::string::npos) << zhang.output;
  CommandResult old = Hubctl("steward", "get --json --purpose data_quality " + merged_away);
  ASSERT_EQ(old.exit_code, 0) << old.output;
  EXPECT_TRUE(JsonString(old.output, "entity_id") == survivor ||
              JsonString(old.output, "merged_into") == survivor)
      << old.output;

  // The judged pair leaves the queue and is explained by the judgement.
  EXPECT_EQ(ReviewPairOfZhang(), "");
  CommandResult why = Hubctl("steward", "why --json police:P2 civil:C2");
  ASSERT_EQ(why.exit_code, 0) << why.output;
  EXPECT_EQ(JsonString(why.output, "rule"), "judged_match") << why.output;
}

TEST_F(StewardTest, NoMatchKeepsThePairApartAndLeavesTheQueue) {
  const std::string pair_id = ReviewPairOfZhang();
  ASSERT_EQ(pair_id.size(), 16u);
  const std::string before = ResidentOf(kZhang);
  CommandResult decide = Hubctl("steward", "review decide " + pair_id + " no-match");
  ASSERT_EQ(decide.exit_code, 0) << decide.output;
  EXPECT_NE(decide.output.find("no match"), std::string::npos) << decide.output;
  EXPECT_EQ(ReviewPairOfZhang(), "");
  CommandResult zhang = Hubctl("steward", "get --json --purpose data_quality " + kZhang);
  EXPECT_EQ(JsonString(zhang.output, "entity_id"), before);
  EXPECT_EQ(zhang.output.find(Ref("civil", "C2")), std::string::npos) << zhang.output;
  CommandResult why = Hubctl("steward", "why --json police:P2 civil:C2");
  ASSERT_EQ(why.exit_code, 0) << why.output;
  EXPECT_EQ(JsonString(why.output, "rule"), "judged_no_match") << why.output;
  EXPECT_NE(JsonString(why.output, "decision"), "link") << why.output;
}

TEST_F(StewardTest, WhyExplainsALinkedPairBySameIdNumber) {
  CommandResult json = Hubctl("steward", "why --json police:P1 civil:C1");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_EQ(JsonString(json.output, "decision"), "link") << json.output;
  EXPECT_EQ(JsonString(json.output, "rule"), "same_id_number") << json.output;
  EXPECT_NE(json.output.find(R"("field":"id_number","level":"exact")"), std::string::npos)
      << json.output;
  const std::string resident = ResidentOf(kWang);
  EXPECT_EQ(JsonString(json.output, "resident_a"), resident) << json.output;
  EXPECT_EQ(JsonString(json.output, "resident_b"), resident) << json.output;
  // Levels and weights only: no value of either record.
  for (const std::string& value : {kWang, std::string("王芳"), std::string("13700001111")}) {
    EXPECT_EQ(json.output.find(value), std::string::npos) << value << " in " << json.output;
  }

  CommandResult text = Hubctl("steward", "why police:P1 civil:C1");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("police:P1  ~  civil:C1"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("id_number"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find(" bits"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("same_id_number"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("probability"), std::string::npos) << text.output;

  CommandResult review = Hubctl("steward", "why --json police:P2 civil:C2");
  ASSERT_EQ(review.exit_code, 0) << review.output;
  EXPECT_EQ(JsonString(review.output, "decision"), "review") << review.output;
  EXPECT_NE(review.output.find(R"("field":"phone","level":"different")"), std::string::npos)
      << review.output;
}

TEST_F(StewardTest, ExplainResidentListsEveryMember) {
  const std::string resident = ResidentOf(kWang);
  ASSERT_FALSE(resident.empty());
  CommandResult json = Hubctl("steward", "explain --json " + resident);
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_EQ(JsonString(json.output, "entity_id"), resident) << json.output;
  EXPECT_NE(json.output.find(R"("record":)" + Ref("police", "P1")), std::string::npos)
      << json.output;
  EXPECT_NE(json.output.find(R"("record":)" + Ref("civil", "C1")), std::string::npos)
      << json.output;
  EXPECT_NE(json.output.find(R"("rule":"same_id_number")"), std::string::npos) << json.output;

  CommandResult text = Hubctl("steward", "explain " + resident);
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("2 member records"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("police:P1: strongest tie to civil:C1"), std::string::npos)
      << text.output;

  CommandResult unknown = Hubctl("steward", "explain R9999999999");
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
  EXPECT_NE(unknown.output.find("not found"), std::string::npos) << unknown.output;
}

TEST_F(StewardTest, SplitMovesARecordOutAndReimportKeepsItOut) {
  const std::string resident = ResidentOf(kWang);
  ASSERT_FALSE(resident.empty());
  CommandResult split = Hubctl(
      "steward", "resident split --json " + resident + " civil:C1 --note 'two people, one number'");
  ASSERT_EQ(split.exit_code, 0) << split.output;
  const std::vector<std::string> changed = JsonStrings(split.output, "residents");
  ASSERT_EQ(changed.size(), 2u) << split.output;
  EXPECT_EQ(changed[0], resident) << split.output;
  const std::string moved_to = changed[1];

  auto check_apart = [&](const std::string& when) {
    CommandResult wang = Hubctl("steward", "get --json --purpose data_quality " + resident);
    ASSERT_EQ(wang.exit_code, 0) << wang.output;
    EXPECT_NE(wang.output.find(Ref("police", "P1")), std::string::npos) << when << wang.output;
    EXPECT_EQ(wang.output.find(Ref("civil", "C1")), std::string::npos) << when << wang.output;
    CommandResult other = Hubctl("steward", "get --json --purpose data_quality " + moved_to);
    ASSERT_EQ(other.exit_code, 0) << other.output;
    EXPECT_NE(other.output.find(Ref("civil", "C1")), std::string::npos) << when << other.output;
  };
  check_apart("after the split: ");
  ImportBoth();
  check_apart("after re-importing the same files: ");
  // A changed record is resolved again: the judgement still keeps it out.
  WriteFile(Path("civil.csv"), CivilCsv("13700002222"));
  ImportBoth();
  check_apart("after re-importing a changed record: ");

  CommandResult why = Hubctl("steward", "why --json police:P1 civil:C1");
  ASSERT_EQ(why.exit_code, 0) << why.output;
  EXPECT_EQ(JsonString(why.output, "rule"), "judged_no_match") << why.output;
  CommandResult explain = Hubctl("steward", "explain --json " + resident);
  ASSERT_EQ(explain.exit_code, 0) << explain.output;
  EXPECT_NE(explain.output.find(R"("kind":"split_)"), std::string::npos) << explain.output;
  EXPECT_NE(explain.output.find(R"("user":"steward")"), std::string::npos) << explain.output;
}

TEST_F(StewardTest, MergeFoldsOneResidentIntoTheOlder) {
  const std::string p2 = ResidentOf(kZhang);
  CommandResult list = Hubctl("steward", "why --json police:P2 civil:C2");
  ASSERT_EQ(list.exit_code, 0) << list.output;
  const std::string c2 = JsonString(list.output, "resident_b");
  ASSERT_FALSE(c2.empty()) << list.output;
  ASSERT_NE(p2, c2);
  // Named newest first: the older id survives anyway.
  const std::string older = std::min(p2, c2), newer = std::max(p2, c2);
  CommandResult merge = Hubctl("steward", "resident merge " + newer + " " + older + " --note checked");
  ASSERT_EQ(merge.exit_code, 0) << merge.output;
  EXPECT_NE(merge.output.find("merged " + newer + " into " + older), std::string::npos)
      << merge.output;
  CommandResult after = Hubctl("steward", "get --json --purpose data_quality " + newer);
  ASSERT_EQ(after.exit_code, 0) << after.output;
  EXPECT_TRUE(JsonString(after.output, "entity_id") == older ||
              JsonString(after.output, "merged_into") == older)
      << after.output;
  CommandResult same = Hubctl("steward", "resident merge " + older + " " + older);
  EXPECT_EQ(same.exit_code, 1) << same.output;
  EXPECT_NE(same.output.find("invalid request"), std::string::npos) << same.output;
}

TEST_F(StewardTest, ModelShowReturnsTheDefaultModel) {
  CommandResult json = Hubctl("steward", "model show --json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_NE(json.output.find(R"("version":1)"), std::string::npos) << json.output;
  EXPECT_NE(json.output.find(R"("prior":0.05)"), std::string::npos) << json.output;
  EXPECT_NE(json.output.find(R"("link_threshold":12)"), std::string::npos) << json.output;
  EXPECT_NE(json.output.find(R"("review_threshold":4)"), std::string::npos) << json.output;
  EXPECT_NE(json.output.find(R"({"field":"name","term_frequency":true)"), std::string::npos)
      << json.output;
  EXPECT_NE(json.output.find(R"({"level":"exact","m":0.95,"u":1e-06)"), std::string::npos)
      << json.output;
  EXPECT_EQ(json.output.find("trained_at_ms"), std::string::npos) << json.output;

  CommandResult text = Hubctl("steward", "model show");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("never trained"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("link at"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("+12.0 bits"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("birth_date"), std::string::npos) << text.output;

  // A dozen records may be too few to learn from: that is the steward's
  // request to fix (invalid request), never a server error.
  CommandResult train = Hubctl("steward", "model train --json");
  if (train.exit_code == 0) {
    EXPECT_NE(train.output.find("trained_at_ms"), std::string::npos) << train.output;
  } else {
    EXPECT_EQ(train.exit_code, 1) << train.output;
    EXPECT_NE(train.output.find("invalid request"), std::string::npos) << train.output;
  }
  EXPECT_TRUE(hubd_->Running());
}

TEST_F(StewardTest, OtherRolesAreRefusedAndTheServerKeepsServing) {
  const std::string resident = ResidentOf(kWang);
  const std::string commands[] = {
      "review list",
      "review decide 0123456789abcdef match",
      "resident merge " + resident + " R0000000002",
      "resident split " + resident + " civil:C1",
      "explain " + resident,
      "why police:P1 civil:C1",
      "model show",
      "model train",
  };
  for (const char* user : {"officer", "civil"}) {
    for (const std::string& command : commands) {
      CommandResult r = Hubctl(user, command + " --purpose data_quality");
      EXPECT_EQ(r.exit_code, 1) << user << " " << command << ": " << r.output;
      EXPECT_NE(r.output.find("access denied"), std::string::npos)
          << user << " " << command << ": " << r.output;
    }
  }
  // Nothing changed, and the server still serves.
  ASSERT_TRUE(hubd_->Running());
  EXPECT_EQ(Hubctl("officer", "ping").exit_code, 0);
  CommandResult why = Hubctl("steward", "why --json police:P1 civil:C1");
  EXPECT_EQ(JsonString(why.output, "rule"), "same_id_number") << why.output;
  // The log names actions and outcomes, never resident data.
  const std::string log = hubd_->Log();
  EXPECT_NE(log.find("action=why"), std::string::npos) << log;
  EXPECT_NE(log.find("outcome=PERMISSION_DENIED"), std::string::npos) << log;
  for (const std::string& value : {kWang, kZhang, std::string("王芳"), std::string("13811112222")}) {
    EXPECT_EQ(log.find(value), std::string::npos) << value << " reached the server log";
  }
}

TEST_F(StewardTest, BadArgumentsAreNamed) {
  const struct {
    std::string args;
    int exit_code;
    std::string says;
  } cases[] = {
      {"why police-P1 civil:C1", 2, "\"police-P1\" is not a record: expected SOURCE:RECORD_ID"},
      {"resident split R0000000001 civil:", 2, "\"civil:\" is not a record"},
      {"review decide 0123456789abcdef maybe", 2, "expected match or no-match"},
      {"model retrain", 2, "usage: hubctl model show|train"},
      {"review list --limit 0", 2, "--limit must be a positive number"},
      {"review decide 0123456789abcdef match", 1, "not found"},
      {"why police:P1 civil:NOPE", 1, "not found"},
      {"review --help", 0, "hubctl review decide PAIR_ID match|no-match"},
      {"help why", 0, "usage: hubctl why"},
  };
  for (const auto& c : cases) {
    CommandResult r = Hubctl("steward", c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args << ": " << r.output;
    EXPECT_NE(r.output.find(c.says), std::string::npos) << c.args << ": " << r.output;
  }
}

// A policy that lets stewards resolve but shows ID numbers masked: a record
// id shaped like an ID number is masked in explanations too.
TEST(StewardPolicyTest, RecordIdsShapedLikeIdNumbersAreMaskedAsGranted) {
  std::signal(SIGPIPE, SIG_IGN);
  char tmpl[] = "/tmp/gridhub-steward-policy-XXXXXX";
  const std::string root = ::mkdtemp(tmpl);
  ASSERT_EQ(RunCommand(kOps + "gen-certs.sh " + Quote(root + "/certs")).exit_code, 0);
  WriteFile(root + "/policy.conf",
            "steward import  -            no -              -\n"
            "steward resolve data_quality no name,id_number id_number\n");
  HubdProcess hubd(root + "/data", root + "/certs", {"--policy", root + "/policy.conf"});
  ASSERT_TRUE(hubd.Start()) << hubd.Log();
  auto hubctl = [&](const std::string& args) {
    return RunCommand(absl::StrCat(kBin, "hubctl --server ", hubd.address(), " --certs ",
                                   Quote(root + "/certs"), " --user steward ", args));
  };
  // The grid members' sheet is keyed by the ID number itself.
  WriteFile(root + "/grid.csv", absl::StrCat("走访编号,证件号码,姓名\n", kWang, ",", kWang, ",王芳\n"));
  WriteFile(root + "/police.csv", absl::StrCat("编号,身份证号,姓名\nP1,", kWang, ",王芳\n"));
  ASSERT_EQ(hubctl("import --source grid --record-id 走访编号 --map 证件号码=id_number --map 姓名=name " +
                   Quote(root + "/grid.csv"))
                .exit_code,
            0);
  ASSERT_EQ(hubctl("import --source police --record-id 编号 --map 身份证号=id_number --map 姓名=name " +
                   Quote(root + "/police.csv"))
                .exit_code,
            0);
  const std::string masked = absl::StrCat(kWang.substr(0, 6), "********", kWang.substr(14));
  CommandResult why = hubctl("why --json grid:" + kWang + " police:P1");
  ASSERT_EQ(why.exit_code, 0) << why.output;
  EXPECT_EQ(why.output.find(kWang), std::string::npos) << why.output;
  EXPECT_NE(why.output.find(Ref("grid", masked)), std::string::npos) << why.output;
  const std::string resident = JsonString(why.output, "resident_a");
  ASSERT_FALSE(resident.empty()) << why.output;
  CommandResult explain = hubctl("explain --json " + resident);
  ASSERT_EQ(explain.exit_code, 0) << explain.output;
  EXPECT_EQ(explain.output.find(kWang), std::string::npos) << explain.output;
  EXPECT_NE(explain.output.find(Ref("grid", masked)), std::string::npos) << explain.output;
  EXPECT_EQ(hubd.Kill(SIGTERM), 0) << hubd.Log();
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
}

}  // namespace
}  // namespace gridhub::testing
