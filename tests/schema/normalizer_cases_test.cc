// Runs the plain-text normalizer cases in tests/schema/cases/*.cases (format
// in tests/schema/cases/README.md).
#include <gtest/gtest.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <random>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "schema/name.h"
#include "schema/normalize.h"

namespace gridhub::schema {
namespace {

const std::string kCaseDir = std::string(GRIDHUB_SOURCE_DIR) + "/tests/schema/cases";

std::vector<std::string> CaseFiles() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(kCaseDir)) {
    if (entry.path().extension() == ".cases") out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Splits a case line on " | " (a pipe escaped as "\|" does not split) and
// resolves the escapes in each column.
bool SplitColumns(const std::string& line, std::vector<std::string>* cols, std::string* error) {
  cols->assign(1, "");
  std::vector<std::string> pieces(1);
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      pieces.back() += line.substr(i, 2);
      ++i;
    } else if (line[i] == '|') {
      pieces.emplace_back();
    } else {
      pieces.back() += line[i];
    }
  }
  cols->clear();
  for (auto& p : pieces) {
    std::string trimmed(absl::StripAsciiWhitespace(p));
    std::string out;
    for (size_t i = 0; i < trimmed.size(); ++i) {
      if (trimmed[i] != '\\' || i + 1 >= trimmed.size()) {
        out += trimmed[i];
        continue;
      }
      const char e = trimmed[++i];
      if (e == 's') { out += ' '; }
      else if (e == 't') { out += '\t'; }
      else if (e == '|') { out += '|'; }
      else if (e == '\\') { out += '\\'; }
      else if (e == 'e') { /* empty */ }
      else if ((e == 'u' || e == 'x') && i + 1 < trimmed.size() && trimmed[i + 1] == '{') {
        const size_t close = trimmed.find('}', i);
        uint32_t cp = 0;
        if (close == std::string::npos ||
            !absl::SimpleHexAtoi(trimmed.substr(i + 2, close - i - 2), &cp)) {
          *error = "bad \\" + std::string(1, e) + "{...} escape";
          return false;
        }
        if (e == 'u') {
          AppendUtf8(cp, &out);
        } else {
          out += static_cast<char>(cp);
        }
        i = close;
      } else {
        *error = std::string("unknown escape \\") + e;
        return false;
      }
    }
    cols->push_back(std::move(out));
  }
  return true;
}

class NormalizerCases : public ::testing::TestWithParam<std::string> {};

TEST_P(NormalizerCases, Match) {
  const std::string file = GetParam();
  const std::string field = file.substr(0, file.find_first_of("-."));
  std::ifstream in(kCaseDir + "/" + file);
  ASSERT_TRUE(in) << file;
  NormalizeOptions options;
  options.today_yyyymmdd = 20261129;
  std::string line;
  int line_no = 0, cases = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string where = file + ":" + std::to_string(line_no);
    absl::string_view t = absl::StripAsciiWhitespace(line);
    if (t.empty() || t[0] == '#') continue;
    if (t[0] == '@') {
      std::vector<std::string> d = absl::StrSplit(std::string(t.substr(1)), absl::MaxSplits(' ', 1));
      const std::string arg = d.size() > 1 ? std::string(absl::StripAsciiWhitespace(d[1])) : "";
      if (d[0] == "today") {
        ASSERT_TRUE(absl::SimpleAtoi(arg, &options.today_yyyymmdd)) << where;
      } else if (d[0] == "home_county") {
        options.home_county = arg;
      } else if (d[0] == "spreadsheet_number") {
        options.spreadsheet_number = arg == "on";
      } else {
        ADD_FAILURE() << where << ": unknown directive @" << d[0];
      }
      continue;
    }
    std::vector<std::string> cols;
    std::string error;
    if (!SplitColumns(line, &cols, &error) || cols.size() < 3 || cols.size() > 4) {
      ADD_FAILURE() << where << ": expected `input | expected | flags [| parts]` " << error;
      continue;
    }
    ++cases;
    const Normalized got = NormalizeField(field, cols[0], options);
    if (cols[1] == "INVALID") {
      EXPECT_FALSE(got.valid) << where << ": expected invalid, got \"" << got.value << "\"";
    } else {
      EXPECT_TRUE(got.valid) << where << ": expected valid \"" << cols[1] << "\"; flags: "
                             << absl::StrJoin(got.flags, ",");
      EXPECT_EQ(got.value, cols[1]) << where;
    }
    if (got.valid && !options.spreadsheet_number) {
      // A canonical value is a fixed point: normalizing it again changes nothing.
      const Normalized again = NormalizeField(field, got.value, options);
      EXPECT_TRUE(again.valid && again.value == got.value)
          << where << ": not stable: \"" << got.value << "\" normalizes to \"" << again.value << "\"";
    }
    std::set<std::string> want_flags;
    if (cols[2] != "-") {
      for (absl::string_view f : absl::StrSplit(cols[2], ',', absl::SkipWhitespace())) {
        want_flags.emplace(absl::StripAsciiWhitespace(f));
      }
    }
    const std::set<std::string> got_flags(got.flags.begin(), got.flags.end());
    EXPECT_EQ(got_flags, want_flags) << where << ": flags got {" << absl::StrJoin(got_flags, ",")
                                     << "} want {" << absl::StrJoin(want_flags, ",") << "}";
    if (cols.size() == 4 && !cols[3].empty()) {
      for (absl::string_view kv : absl::StrSplit(cols[3], ';', absl::SkipWhitespace())) {
        const size_t eq = kv.find('=');
        ASSERT_NE(eq, absl::string_view::npos) << where << ": part without '='";
        const std::string key(absl::StripAsciiWhitespace(kv.substr(0, eq)));
        const std::string value(absl::StripAsciiWhitespace(kv.substr(eq + 1)));
        auto it = got.parts.find(key);
        if (value.empty()) {
          EXPECT_TRUE(it == got.parts.end()) << where << ": part " << key << " should be absent";
        } else {
          ASSERT_TRUE(it != got.parts.end()) << where << ": part " << key << " missing";
          EXPECT_EQ(it->second, value) << where << ": part " << key;
        }
      }
    }
  }
  EXPECT_GT(cases, 0) << file << " has no cases";
  RecordProperty("cases", cases);
}

INSTANTIATE_TEST_SUITE_P(Files, NormalizerCases, ::testing::ValuesIn(CaseFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.rfind('.'));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Names are remembered per thread by raw value (NormalizeField): a name
// seen again, after others and after the memo has been emptied for being
// full, comes back exactly as NormalizeName makes it, flags and parts
// included; so does a name too long to be kept.
TEST(NormalizeNameMemo, RepeatedNameEqualsAFreshResult) {
  const std::vector<std::string> names = {
      "張偉", "李 娜", "  王芳\t", "Zhang Wei", "-不详-", "阿依古丽·买买提", "曾小贤", "x\xff",
      std::string(30, 'a') + " " + std::string(40, 'b')};  // longer than kept
  auto expect_fresh = [&](const std::string& where) {
    for (const auto& n : names) {
      const Normalized fresh = NormalizeName(n);
      const Normalized got = NormalizeField("name", n);
      EXPECT_EQ(got.value, fresh.value) << where << ": " << n;
      EXPECT_EQ(got.valid, fresh.valid) << where << ": " << n;
      EXPECT_EQ(got.flags, fresh.flags) << where << ": " << n;
      EXPECT_EQ(got.parts, fresh.parts) << where << ": " << n;
    }
  };
  expect_fresh("first");
  expect_fresh("again");
  // More distinct names than the memo keeps: it is emptied on the way.
  auto han = [](char32_t cp) {  // UTF-8 of a BMP code point
    std::string out;
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    return out;
  };
  for (char32_t i = 0; i < 70000; ++i) {
    NormalizeField("name", "王" + han(0x4E00 + i / 300) + han(0x4E00 + i % 300));
  }
  expect_fresh("after the memo filled");
  const Normalized first = NormalizeField("name", names[0]);
  EXPECT_EQ(first.value, "张伟");
  EXPECT_TRUE(first.HasFlag("traditional_converted"));
  EXPECT_EQ(first.parts.at("pinyin"), "zhang wei");
}

// A name's pinyin key skips the transliterator for a run of ASCII
// characters (schema/name.cc, PinyinKey). That holds if the transform
// changes no ASCII letter or digit and moves no boundary between them: the
// key keeps only runs of letters and digits (lowercased), one space between
// runs. (The transform is not the identity: it puts a space after 'Z' and
// 'z' before some punctuation.)
TEST(NameTest, PinyinTransformKeepsTheKeyOfAsciiText) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8("Han-Latin; Latin-ASCII"), UTRANS_FORWARD, status));
  ASSERT_TRUE(U_SUCCESS(status));
  auto key = [](const std::string& text) {
    std::string out;
    bool pending = false;
    for (char c : text) {
      c = absl::ascii_tolower(static_cast<unsigned char>(c));
      if (c == '\'') continue;
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        if (pending) out.push_back(' ');
        pending = false;
        out.push_back(c);
      } else {
        pending = !out.empty();
      }
    }
    return out;
  };
  std::vector<std::string> texts = {"Wei Zhang", "O'Brien-Smith", "zhang3 wei4", "Xiao-Ming"};
  std::string all;
  for (char c = 0x20; c < 0x7F; ++c) all.push_back(c);
  texts.push_back(all);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> ch(0x20, 0x7E), len(1, 12);
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    for (int n = len(rng); n > 0; --n) s.push_back(static_cast<char>(ch(rng)));
    texts.push_back(s);
  }
  for (const std::string& text : texts) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
    t->transliterate(u);
    std::string back;
    u.toUTF8String(back);
    ASSERT_EQ(key(back), key(text)) << "text: " << text << " transformed: " << back;
  }
  EXPECT_EQ(NormalizeField("name", "Wei Zhang").parts.at("pinyin"), "wei zhang");
  // Letters outside ASCII still go through it.
  EXPECT_EQ(NormalizeField("name", "José García").parts.at("pinyin"), "jose garcia");
  EXPECT_EQ(NormalizeField("name", "王 Wei").parts.at("pinyin"), "wang wei");
}

}  // namespace
}  // namespace gridhub::schema
