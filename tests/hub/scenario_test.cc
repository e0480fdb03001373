// Runs the plain-text resolution scenarios in tests/hub/scenarios/*.scenario
// (format in tests/hub/scenarios/README.md) through the real Ingestor on a
// fresh temporary RocksDB store, and compares the resulting partition of
// records into residents (and quarantine, and review) with the expectation.
// Every scenario runs twice: as written, and with batches and the records in
// them in reverse order (each record's last version only) on another fresh
// store; both runs must give the expected partition.
#include <gtest/gtest.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gridhub_types.h"
#include "hub/clock.h"
#include "hub/ingest/ingest.h"
#include "hub/query/query.h"
#include "hub/store/kv_store.h"
#include "schema/fields.h"
#include "tests/hub/test_dir.h"

namespace gridhub::hub {
namespace {

const std::string kScenarioDir = std::string(GRIDHUB_SOURCE_DIR) + "/tests/hub/scenarios";
// The county the scenarios are set in (ID numbers 330122..., addresses
// with or without this prefix compare alike).
const char kHomeCounty[] = "浙江省杭州市桐庐县";

// ---------------------------------------------------------------- parsing

struct Batch {
  std::string source;
  bool explicit_batch = false;  // opened by a `batch` line
  int line = 0;
  std::vector<wire::SourceRecord> records;
};

struct Scenario {
  std::string file;
  std::string title;                               // first comment line
  std::vector<Batch> batches;                      // in file order
  std::vector<std::vector<std::string>> groups;    // expected residents, each sorted
  std::set<std::string> quarantined;               // expected in quarantine
  std::vector<std::pair<std::string, std::string>> reviews;  // expected review pairs
  std::map<std::string, std::string> labels;       // "source:id" -> raw name (last version)
};

std::string Key(const std::string& source, const std::string& id) { return source + ":" + id; }

// Splits on `|` that is not escaped as `\|`; escapes are kept for Unescape.
std::vector<std::string> SplitColumns(const std::string& line) {
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
  return pieces;
}

// Resolves \s \t \| \\ \e \u{HEX} \x{HEX} (as in tests/schema/cases).
absl::StatusOr<std::string> Unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (i + 1 >= text.size()) return absl::InvalidArgumentError("a lone \\ at the end of a value");
    const char e = text[++i];
    if (e == 's') {
      out += ' ';
    } else if (e == 't') {
      out += '\t';
    } else if (e == '|') {
      out += '|';
    } else if (e == '\\') {
      out += '\\';
    } else if (e == 'e') {
      // empty
    } else if ((e == 'u' || e == 'x') && i + 1 < text.size() && text[i + 1] == '{') {
      const size_t close = text.find('}', i);
      uint32_t cp = 0;
      if (close == std::string::npos || !absl::SimpleHexAtoi(text.substr(i + 2, close - i - 2), &cp) ||
          (e == 'x' && cp > 0xFF) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return absl::InvalidArgumentError(absl::StrCat("bad \\", std::string(1, e), "{...} escape"));
      }
      if (e == 'u') {
        char utf8[U8_MAX_LENGTH];
        int32_t length = 0;
        U8_APPEND_UNSAFE(utf8, length, static_cast<UChar32>(cp));
        out.append(utf8, length);
      } else {
        out += static_cast<char>(cp);
      }
      i = close;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown escape \\", std::string(1, e)));
    }
  }
  return out;
}

// "source:id" with both parts non-empty and no spaces.
bool ParseRef(const std::string& token, std::string* source, std::string* id) {
  const size_t colon = token.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == token.size()) return false;
  if (token.find_first_of(" \t") != std::string::npos) return false;
  *source = token.substr(0, colon);
  *id = token.substr(colon + 1);
  return true;
}

bool ValidSourceName(const std::string& s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

// Parses one scenario; errors read "FILE:LINE: what is wrong".
absl::StatusOr<Scenario> ParseScenario(const std::string& file, std::istream& in) {
  Scenario sc;
  sc.file = file;
  auto error = [&](int line, const std::string& what) {
    return absl::InvalidArgumentError(
        line > 0 ? absl::StrCat(file, ":", line, ": ", what) : absl::StrCat(file, ": ", what));
  };
  std::map<std::string, int> first_line;  // record key -> line it first appears on
  std::map<std::string, int> expected_at;  // record key -> expect line naming it
  std::map<std::string, size_t> group_of;  // record key -> index into sc.groups
  std::vector<int> review_lines;           // line of each sc.reviews entry
  bool in_expect = false;
  std::string raw;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    if (line_no == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) raw.erase(0, 3);
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    const std::string line(absl::StripAsciiWhitespace(raw));
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (sc.title.empty() && sc.batches.empty()) {
        sc.title = std::string(absl::StripAsciiWhitespace(line.substr(1)));
      }
      continue;
    }
    std::vector<std::string> words = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (words[0] == "batch") {
      if (in_expect) return error(line_no, "a batch after the expect lines (records come first)");
      if (words.size() != 2 || !ValidSourceName(words[1])) {
        return error(line_no, "expected `batch SOURCE` (one word: letters, digits, - or _)");
      }
      sc.batches.push_back(Batch{words[1], true, line_no, {}});
      continue;
    }
    if (words[0] == "expect") {
      in_expect = true;
      size_t first = 1;
      enum { kGroup, kQuarantined, kReview } kind = kGroup;
      if (words.size() > 1 && words[1] == "quarantined") {
        kind = kQuarantined;
        first = 2;
      } else if (words.size() > 1 && words[1] == "review") {
        kind = kReview;
        first = 2;
      }
      if (words.size() <= first) return error(line_no, "`expect` names no record");
      std::vector<std::string> refs;
      for (size_t i = first; i < words.size(); ++i) {
        std::string source, id;
        if (!ParseRef(words[i], &source, &id)) {
          return error(line_no, absl::StrCat("`", words[i], "` is not SOURCE:ID"));
        }
        if (first_line.count(words[i]) == 0) {
          return error(line_no, absl::StrCat(words[i], " is not a record of this scenario"));
        }
        refs.push_back(words[i]);
      }
      if (kind == kReview) {
        if (refs.size() != 2 || refs[0] == refs[1]) {
          return error(line_no, "`expect review` takes exactly two different records");
        }
        sc.reviews.emplace_back(refs[0], refs[1]);
        review_lines.push_back(line_no);
        continue;
      }
      for (const std::string& ref : refs) {
        auto [it, inserted] = expected_at.emplace(ref, line_no);
        if (!inserted) {
          return error(line_no, absl::StrCat(ref, " is already expected on line ", it->second,
                                             " (each record belongs to exactly one resident)"));
        }
      }
      if (kind == kQuarantined) {
        sc.quarantined.insert(refs.begin(), refs.end());
      } else {
        for (const std::string& ref : refs) group_of[ref] = sc.groups.size();
        std::sort(refs.begin(), refs.end());
        sc.groups.push_back(refs);
      }
      continue;
    }
    // A record: SOURCE:ID | field=value | ...
    if (in_expect) return error(line_no, "a record after the expect lines (records come first)");
    std::vector<std::string> cols = SplitColumns(line);
    const std::string head(absl::StripAsciiWhitespace(cols[0]));
    wire::SourceRecord rec;
    if (!ParseRef(head, &rec.source, &rec.record_id)) {
      return error(line_no, absl::StrCat("expected `SOURCE:ID | field=value | ...`, `batch SOURCE` or "
                                         "`expect ...`; `",
                                         head, "` is not SOURCE:ID"));
    }
    if (!ValidSourceName(rec.source)) {
      return error(line_no, absl::StrCat("bad source name `", rec.source, "`"));
    }
    for (size_t i = 1; i < cols.size(); ++i) {
      const std::string col(absl::StripAsciiWhitespace(cols[i]));
      const size_t eq = col.find('=');
      if (eq == std::string::npos) {
        return error(line_no, absl::StrCat("column ", i + 1, " `", col, "` is not field=value"));
      }
      const std::string field(absl::StripAsciiWhitespace(col.substr(0, eq)));
      if (!schema::IsCanonicalField(field)) {
        std::string known;
        for (std::string_view f : schema::kCanonicalFields) {
          known += (known.empty() ? "" : ", ") + std::string(f);
        }
        return error(line_no, absl::StrCat("`", field, "` is not a canonical field (", known, ")"));
      }
      auto value = Unescape(std::string(absl::StripAsciiWhitespace(col.substr(eq + 1))));
      if (!value.ok()) return error(line_no, std::string(value.status().message()));
      if (!rec.fields.emplace(field, *value).second) {
        return error(line_no, absl::StrCat("field ", field, " given twice"));
      }
    }
    // Outside a `batch` line, a record of another source than the one
    // before it starts a new batch.
    if (sc.batches.empty() ||
        (!sc.batches.back().explicit_batch && sc.batches.back().source != rec.source)) {
      sc.batches.push_back(Batch{rec.source, false, line_no, {}});
    }
    Batch& batch = sc.batches.back();
    if (batch.source != rec.source) {
      return error(line_no, absl::StrCat("record of source `", rec.source, "` in the batch of `",
                                         batch.source, "` (line ", batch.line, ")"));
    }
    const std::string key = Key(rec.source, rec.record_id);
    for (const auto& other : batch.records) {
      if (other.record_id == rec.record_id) {
        return error(line_no, absl::StrCat(key, " appears twice in one batch"));
      }
    }
    first_line.emplace(key, line_no);
    auto name = rec.fields.find(std::string(schema::kName));
    sc.labels[key] = name == rec.fields.end() || name->second.empty() ? "(no name)" : name->second;
    batch.records.push_back(std::move(rec));
  }
  if (first_line.empty()) return error(0, "no records");
  if (sc.groups.empty() && sc.quarantined.empty()) return error(0, "no `expect` lines");
  for (const auto& [key, line] : first_line) {
    if (expected_at.count(key) == 0) {
      return error(line, absl::StrCat(key, " is in no `expect` line (every record must be expected "
                                           "in exactly one resident, or as quarantined)"));
    }
  }
  for (size_t i = 0; i < sc.reviews.size(); ++i) {
    const auto& [a, b] = sc.reviews[i];
    if (group_of.count(a) == 0 || group_of.count(b) == 0 || group_of[a] == group_of[b]) {
      return error(review_lines[i], "a review pair must be two records expected in different residents");
    }
  }
  std::sort(sc.groups.begin(), sc.groups.end());
  return sc;
}

absl::StatusOr<Scenario> LoadScenario(const std::string& file) {
  std::ifstream in(kScenarioDir + "/" + file);
  if (!in) return absl::NotFoundError(absl::StrCat(file, ": cannot open"));
  return ParseScenario(file, in);
}

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(kScenarioDir)) {
    if (entry.path().extension() == ".scenario") out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Batches last to first, records in each last to first; a record sent more
// than once keeps only its last version (the data a fresh store would get in
// another order).
std::vector<Batch> Reversed(const std::vector<Batch>& batches) {
  std::vector<Batch> out;
  std::set<std::string> seen;
  for (auto b = batches.rbegin(); b != batches.rend(); ++b) {
    Batch copy{b->source, b->explicit_batch, b->line, {}};
    for (auto r = b->records.rbegin(); r != b->records.rend(); ++r) {
      if (seen.insert(Key(r->source, r->record_id)).second) copy.records.push_back(*r);
    }
    if (!copy.records.empty()) out.push_back(std::move(copy));
  }
  return out;
}

// ---------------------------------------------------------------- running

struct Outcome {
  std::vector<std::string> errors;                 // import / listing failures
  std::vector<std::vector<std::string>> groups;    // live residents, each sorted
  std::set<std::string> quarantined;
  std::set<std::pair<std::string, std::string>> reviews;  // each pair sorted
  absl::Status review_status;
  // Ingestor::ExplainPair of every pair of stored records (keys sorted), one
  // line each: shown for the pairs a failure is about.
  std::map<std::pair<std::string, std::string>, std::string> evidence;
};

std::string Bits(double w) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%+.1f", w);
  return buf;
}

// "review, 9.8 bits: name exact +9.7 (tf), birth_date partial +4.3, ...".
std::string Summarize(const wire::PairExplanation& e) {
  std::string out = absl::StrCat(e.decision, ", ", Bits(e.total_weight), " bits");
  if (e.__isset.rule && !e.rule.empty()) absl::StrAppend(&out, " [rule ", e.rule, "]");
  absl::StrAppend(&out, ": prior ", Bits(e.prior_weight));
  for (const wire::FieldEvidence& f : e.fields) {
    if (f.level == "missing") continue;
    absl::StrAppend(&out, ", ", f.field, " ", f.level, " ", Bits(f.weight),
                    f.__isset.tf_adjusted && f.tf_adjusted ? " (tf)" : "");
  }
  return out;
}

Outcome RunScenario(const std::vector<Batch>& batches) {
  Outcome out;
  testing::TempDir dir;
  StoreOptions store_options;
  store_options.path = dir.path() + "/db";
  store_options.block_cache_bytes = 8u << 20;
  auto store = OpenRocksStore(store_options);
  if (!store.ok()) {
    out.errors.push_back(absl::StrCat("open store: ", store.status().ToString()));
    return out;
  }
  TEST_ManualClock clock(1'700'000'000'000);
  IngestOptions options;
  options.home_county = kHomeCounty;
  options.sync = false;
  Ingestor ingestor(store->get(), &clock, options);
  for (const Batch& b : batches) {
    clock.Advance(60'000);
    wire::ImportBatch batch;
    batch.source = b.source;
    batch.records = b.records;
    auto result = ingestor.Import(batch);
    if (!result.ok()) {
      out.errors.push_back(
          absl::StrCat("import of batch `", b.source, "` (line ", b.line, "): ", result.status().ToString()));
    }
  }
  ResidentQuery query(store->get());
  std::string cursor, next;
  do {
    auto page = query.Page(cursor, 100, &next);
    if (!page.ok()) {
      out.errors.push_back(absl::StrCat("listing residents: ", page.status().ToString()));
      break;
    }
    for (const wire::Resident& r : *page) {
      std::vector<std::string> members;
      for (const auto& ref : r.records) members.push_back(Key(ref.source, ref.record_id));
      std::sort(members.begin(), members.end());
      out.groups.push_back(std::move(members));
    }
    cursor = next;
  } while (!cursor.empty());
  std::sort(out.groups.begin(), out.groups.end());
  cursor.clear();
  do {
    auto page = ingestor.ListQuarantine("", cursor, 100, &next);
    if (!page.ok()) {
      out.errors.push_back(absl::StrCat("listing quarantine: ", page.status().ToString()));
      break;
    }
    for (const wire::QuarantineEntry& e : *page) {
      if (e.__isset.record_id) out.quarantined.insert(Key(e.source, e.record_id));
    }
    cursor = next;
  } while (!cursor.empty());
  std::vector<wire::RecordRef> refs;
  for (const Batch& b : batches) {
    for (const auto& r : b.records) {
      wire::RecordRef ref;
      ref.source = r.source;
      ref.record_id = r.record_id;
      if (std::none_of(refs.begin(), refs.end(), [&](const wire::RecordRef& o) {
            return o.source == ref.source && o.record_id == ref.record_id;
          })) {
        refs.push_back(ref);
      }
    }
  }
  for (size_t i = 0; i < refs.size(); ++i) {
    for (size_t j = i + 1; j < refs.size(); ++j) {
      auto why = ingestor.ExplainPair(refs[i], refs[j]);
      if (!why.ok()) continue;  // a quarantined record, or no explanations yet
      std::string a = Key(refs[i].source, refs[i].record_id);
      std::string b = Key(refs[j].source, refs[j].record_id);
      if (b < a) std::swap(a, b);
      out.evidence[{a, b}] = Summarize(*why);
    }
  }
  cursor.clear();
  do {
    auto page = ingestor.ListReview(cursor, 100, &next);
    if (!page.ok()) {
      out.review_status = page.status();
      break;
    }
    for (const wire::ReviewItem& item : *page) {
      std::string a = Key(item.pair.a.source, item.pair.a.record_id);
      std::string b = Key(item.pair.b.source, item.pair.b.record_id);
      if (b < a) std::swap(a, b);
      out.reviews.emplace(a, b);
    }
    cursor = next;
  } while (!cursor.empty());
  return out;
}

// ---------------------------------------------------------------- reporting

std::string Label(const Scenario& sc, const std::string& key) {
  auto it = sc.labels.find(key);
  return it == sc.labels.end() ? key : absl::StrCat(key, " ", it->second);
}

std::string Describe(const Scenario& sc, const std::vector<std::string>& group) {
  std::vector<std::string> parts;
  for (const auto& key : group) parts.push_back(Label(sc, key));
  return absl::StrJoin(parts, "  +  ");
}

// Empty when `got` is what `sc` expects; else a readable account.
std::string Compare(const Scenario& sc, const Outcome& got) {
  std::vector<std::string> problems = got.errors;
  const std::set<std::vector<std::string>> want_set(sc.groups.begin(), sc.groups.end());
  const std::set<std::vector<std::string>> got_set(got.groups.begin(), got.groups.end());
  const bool partition_ok = want_set == got_set && got.groups.size() == sc.groups.size();
  const bool quarantine_ok = got.quarantined == sc.quarantined;
  std::vector<std::string> review_missing;
  for (auto [a, b] : sc.reviews) {
    if (b < a) std::swap(a, b);
    if (got.review_status.ok() && got.reviews.count({a, b}) == 0) {
      auto e = got.evidence.find({a, b});
      review_missing.push_back(absl::StrCat(Label(sc, a), "  ?  ", Label(sc, b), ": ",
                                            e == got.evidence.end() ? "(no explanation)" : e->second));
    }
  }
  const bool review_ok = sc.reviews.empty() || (got.review_status.ok() && review_missing.empty());
  if (problems.empty() && partition_ok && quarantine_ok && review_ok) return "";

  std::ostringstream os;
  os << "\n" << sc.file << ": " << sc.title << "\n";
  for (const auto& p : problems) os << "  error: " << p << "\n";
  if (!partition_ok) {
    os << "  expected residents:\n";
    for (const auto& g : sc.groups) {
      os << "    " << (got_set.count(g) ? "  " : "- ") << Describe(sc, g) << "\n";
    }
    os << "  got residents:\n";
    for (const auto& g : got.groups) {
      os << "    " << (want_set.count(g) ? "  " : "+ ") << Describe(sc, g) << "\n";
    }
    os << "  (- expected but not formed, + formed but not expected)\n";
    // The pairs the difference is about, with the resolver's evidence.
    std::map<std::string, size_t> want_of, got_of;
    for (size_t i = 0; i < sc.groups.size(); ++i) {
      for (const auto& k : sc.groups[i]) want_of[k] = i;
    }
    for (size_t i = 0; i < got.groups.size(); ++i) {
      for (const auto& k : got.groups[i]) got_of[k] = i;
    }
    std::vector<std::string> why;
    for (auto a = want_of.begin(); a != want_of.end(); ++a) {
      for (auto b = std::next(a); b != want_of.end(); ++b) {
        const bool want_together = a->second == b->second;
        const bool got_together = got_of.count(a->first) && got_of.count(b->first) &&
                                  got_of[a->first] == got_of[b->first];
        if (want_together == got_together) continue;
        auto e = got.evidence.find({a->first, b->first});
        why.push_back(absl::StrCat(want_together ? "apart, expected together: "
                                                 : "together, expected apart: ",
                                   Label(sc, a->first), "  ~  ", Label(sc, b->first), ": ",
                                   e == got.evidence.end() ? "(no explanation)" : e->second));
      }
    }
    if (!why.empty()) os << "  pairs in question (Ingestor::ExplainPair):\n";
    for (const auto& w : why) os << "    " << w << "\n";
  }
  if (!quarantine_ok) {
    auto list = [&](const std::set<std::string>& keys) {
      std::vector<std::string> labels;
      for (const auto& k : keys) labels.push_back(Label(sc, k));
      return labels.empty() ? std::string("(none)") : absl::StrJoin(labels, ", ");
    };
    os << "  expected quarantined: " << list(sc.quarantined) << "\n";
    os << "  got quarantined:      " << list(got.quarantined) << "\n";
  }
  if (!review_ok) {
    if (!got.review_status.ok()) {
      os << "  review queue could not be read: " << got.review_status.ToString() << "\n";
      for (const auto& [a, b] : sc.reviews) {
        os << "  expected in review: " << Label(sc, a) << "  ?  " << Label(sc, b) << "\n";
      }
    }
    for (const auto& m : review_missing) os << "  expected in review, not queued: " << m << "\n";
    std::vector<std::string> queued;
    for (const auto& [a, b] : got.reviews) queued.push_back(absl::StrCat(Label(sc, a), "  ?  ", Label(sc, b)));
    if (got.review_status.ok()) {
      os << "  queued for review: " << (queued.empty() ? "(none)" : "") << "\n";
      for (const auto& q : queued) os << "    " << q << "\n";
    }
  }
  return os.str();
}

// ---------------------------------------------------------------- tests

class Scenarios : public ::testing::TestWithParam<std::string> {};

TEST_P(Scenarios, AsWritten) {
  auto sc = LoadScenario(GetParam());
  ASSERT_TRUE(sc.ok()) << sc.status().message();
  const std::string diff = Compare(*sc, RunScenario(sc->batches));
  EXPECT_TRUE(diff.empty()) << "(records imported as written)" << diff;
}

TEST_P(Scenarios, InReverseOrder) {
  auto sc = LoadScenario(GetParam());
  ASSERT_TRUE(sc.ok()) << sc.status().message();
  const std::string diff = Compare(*sc, RunScenario(Reversed(sc->batches)));
  EXPECT_TRUE(diff.empty()) << "(batches and records imported in reverse order, last versions only)"
                            << diff;
}

INSTANTIATE_TEST_SUITE_P(Files, Scenarios, ::testing::ValuesIn(ScenarioFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.rfind('.'));
                           for (char& c : name) {
                             if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(ScenarioFiles, AtLeastForty) { EXPECT_GE(ScenarioFiles().size(), 40u); }

absl::StatusOr<Scenario> ParseText(const std::string& text) {
  std::istringstream in(text);
  return ParseScenario("t.scenario", in);
}

TEST(ScenarioParser, ReadsBatchesRecordsAndExpectations) {
  auto sc = ParseText(
      "\xEF\xBB\xBF# 标题 title\r\n"
      "# more description\n"
      "grid:G1 | name= 李四 \n"
      "grid:G2 | name=a\\|b | phone=\\u{FF11}38\\x{41}\n"
      "civil:C1 | name=王五\n"
      "batch police\n"
      "police:P1 | id_number=330122198001010013 | name=张\\s三 | phone=\\e\n"
      "\tpolice:P2\n"
      "batch civil\n"
      "civil:P1 | name=王五\n"
      "expect police:P1 \t  grid:G1\n"
      "expect civil:C1\n"
      "expect civil:P1\n"
      "expect grid:G2\n"
      "expect quarantined police:P2\n"
      "expect review civil:C1 civil:P1\n");
  ASSERT_TRUE(sc.ok()) << sc.status();
  EXPECT_EQ(sc->title, "标题 title");
  ASSERT_EQ(sc->batches.size(), 4u);  // grid, civil (implicit), police, civil (explicit)
  EXPECT_EQ(sc->batches[0].source, "grid");
  EXPECT_EQ(sc->batches[0].records.size(), 2u);
  EXPECT_EQ(sc->batches[1].source, "civil");
  EXPECT_EQ(sc->batches[2].source, "police");
  EXPECT_EQ(sc->batches[2].records.size(), 2u);
  EXPECT_EQ(sc->batches[3].records.size(), 1u);
  EXPECT_EQ(sc->batches[2].records[0].fields.at("name"), "张 三");
  EXPECT_EQ(sc->batches[2].records[0].fields.at("phone"), "");
  EXPECT_TRUE(sc->batches[2].records[1].fields.empty());
  EXPECT_EQ(sc->batches[0].records[0].fields.at("name"), "李四");
  EXPECT_EQ(sc->batches[0].records[1].fields.at("name"), "a|b");
  EXPECT_EQ(sc->batches[0].records[1].fields.at("phone"), "\xEF\xBC\x91" "38A");
  EXPECT_EQ(sc->groups, (std::vector<std::vector<std::string>>{
                            {"civil:C1"}, {"civil:P1"}, {"grid:G1", "police:P1"}, {"grid:G2"}}));
  EXPECT_EQ(sc->quarantined, (std::set<std::string>{"police:P2"}));
  ASSERT_EQ(sc->reviews.size(), 1u);
}

TEST(ScenarioParser, ErrorsNameTheFileAndLine) {
  const std::pair<std::string, std::string> cases[] = {
      {"police P1 | name=张三\n", "t.scenario:1: "},
      {"police:P1 | nmae=张三\n", "t.scenario:1: `nmae` is not a canonical field"},
      {"police:P1 | name\n", "t.scenario:1: column 2"},
      {"police:P1 | name=\\q\n", "t.scenario:1: unknown escape"},
      {"batch police\npolice:P1 | name=a\ngrid:G1 | name=b\n", "t.scenario:3: record of source `grid`"},
      {"police:P1 | name=a\npolice:P1 | name=b\nexpect police:P1\n", "t.scenario:2: police:P1 appears twice"},
      {"police:P1 | name=a\nexpect police:P1\nexpect police:P1\n", "t.scenario:3: police:P1 is already"},
      {"police:P1 | name=a\nexpect police:P2\n", "t.scenario:2: police:P2 is not a record"},
      {"police:P1 | name=a\n\npolice:P2 | name=b\nexpect police:P1\n", "t.scenario:3: police:P2 is in no"},
      {"police:P1 | name=a\nexpect police:P1\npolice:P2 | name=b\n", "t.scenario:3: a record after"},
      {"police:P1 | name=a\nexpect review police:P1\n", "t.scenario:2: `expect review` takes"},
      {"batch\n", "t.scenario:1: expected `batch SOURCE`"},
      {"police:P1 | name=\\u{D800}\n", "t.scenario:1: bad \\u{...} escape"},
      {"police:P1 | name=a\npolice:P2 | name=b\nexpect police:P1 police:P2\nexpect review police:P1 police:P2\n",
       "t.scenario:4: a review pair must be"},
      {"# nothing\n", "t.scenario: no records"},
  };
  for (const auto& [text, want] : cases) {
    auto sc = ParseText(text);
    ASSERT_FALSE(sc.ok()) << text;
    EXPECT_EQ(std::string(sc.status().message()).rfind(want, 0), 0u)
        << "got: " << sc.status().message() << "\nwant prefix: " << want;
  }
}

TEST(ScenarioParser, ReverseKeepsOnlyTheLastVersionOfARecord) {
  auto sc = ParseText(
      "batch civil\ncivil:C1 | name=a\ncivil:C2 | name=b\n"
      "batch civil\ncivil:C1 | name=c\n"
      "expect civil:C1\nexpect civil:C2\n");
  ASSERT_TRUE(sc.ok()) << sc.status();
  const auto rev = Reversed(sc->batches);
  ASSERT_EQ(rev.size(), 2u);
  ASSERT_EQ(rev[0].records.size(), 1u);
  EXPECT_EQ(rev[0].records[0].fields.at("name"), "c");
  ASSERT_EQ(rev[1].records.size(), 1u);
  EXPECT_EQ(rev[1].records[0].record_id, "C2");
}

}  // namespace
}  // namespace gridhub::hub
