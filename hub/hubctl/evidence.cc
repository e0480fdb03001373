#include "hub/hubctl/evidence.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gridhub_types.h"
#include "hub/hubctl/json.h"
#include "hub/hubctl/text.h"

namespace gridhub::hubctl {
namespace {

std::string Bits(double weight) {
  if (std::fabs(weight) < 0.05) weight = 0;  // never "-0.0"
  return absl::StrFormat("%+.1f bits", weight);
}

std::string Probability(double p) { return absl::StrFormat("%.6f", p); }

// The match probability of a total weight: 2^w / (1 + 2^w).
double ProbabilityOfWeight(double weight) { return 1.0 / (1.0 + std::exp2(-weight)); }

std::string Time(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buffer;
}

std::string Refs(const std::vector<wire::RecordRef>& refs) {
  std::vector<std::string> out;
  for (const auto& ref : refs) out.push_back(RefText(ref));
  return absl::StrJoin(out, ", ");
}

// "name=exact(tf) birth_date=exact phone=different": the informative levels.
std::string Evidence(const wire::PairExplanation& pair) {
  std::vector<std::string> out;
  for (const auto& f : pair.fields) {
    if (f.level == "missing") continue;
    out.push_back(absl::StrCat(f.field, "=", f.level, f.tf_adjusted ? "(tf)" : ""));
  }
  return out.empty() ? "-" : absl::StrJoin(out, " ");
}

std::string EventText(const wire::ResidentEvent& e) {
  std::string out = absl::StrCat(Time(e.at_ms), "  ", e.kind);
  if (e.__isset.other_resident) absl::StrAppend(&out, " ", e.other_resident);
  if (!e.records.empty()) absl::StrAppend(&out, "  records ", Refs(e.records));
  absl::StrAppend(&out, "  by ", e.__isset.user ? e.user : "resolution");
  if (e.__isset.reason) absl::StrAppend(&out, " (", e.reason, ")");
  return out;
}

// One row per field, then prior, total, probability, decision and rule.
std::string PairTable(const wire::PairExplanation& p) {
  TextTable table({false, false, true, false});
  table.Row({"field", "level", "weight", "tf"});
  for (const auto& f : p.fields) {
    table.Row({f.field, f.level, Bits(f.weight), f.__isset.tf_adjusted && f.tf_adjusted ? "tf" : ""});
  }
  if (p.__isset.household_adjustment && p.household_adjustment != 0) {
    // Phone, addresses and grid agreeing together for a whole household count once.
    table.Row({"household cap", "", Bits(p.household_adjustment), ""});
  }
  table.Row({"prior", "", Bits(p.prior_weight), ""});
  table.Row({"total", "", Bits(p.total_weight), ""});
  table.Row({"probability", Probability(p.probability), "", ""});
  table.Row({"decision", p.decision, "", ""});
  table.Row({"rule", p.__isset.rule && !p.rule.empty() ? p.rule : "-", "", ""});
  return table.Render("  ");
}

// The two records of a pair in a fixed order, to recognize it again.
std::pair<std::string, std::string> PairKey(const wire::PairExplanation& p) {
  return std::minmax(RefText(p.a), RefText(p.b));
}

void WriteRef(JsonWriter* w, const wire::RecordRef& ref) {
  w->BeginObject();
  w->Key("source"); w->String(ref.source);
  w->Key("record_id"); w->String(ref.record_id);
  w->EndObject();
}

void WritePair(JsonWriter* w, const wire::PairExplanation& p) {
  w->BeginObject();
  w->Key("a"); WriteRef(w, p.a);
  w->Key("b"); WriteRef(w, p.b);
  w->Key("fields");
  w->BeginArray();
  for (const auto& f : p.fields) {
    w->BeginObject();
    w->Key("field"); w->String(f.field);
    w->Key("level"); w->String(f.level);
    w->Key("weight"); w->Double(f.weight);
    w->Key("tf_adjusted"); w->Bool(f.__isset.tf_adjusted && f.tf_adjusted);
    w->EndObject();
  }
  w->EndArray();
  if (p.__isset.household_adjustment) {
    w->Key("household_adjustment"); w->Double(p.household_adjustment);
  }
  w->Key("prior_weight"); w->Double(p.prior_weight);
  w->Key("total_weight"); w->Double(p.total_weight);
  w->Key("probability"); w->Double(p.probability);
  w->Key("decision"); w->String(p.decision);
  if (p.__isset.rule) { w->Key("rule"); w->String(p.rule); }
  if (p.__isset.resident_a) { w->Key("resident_a"); w->String(p.resident_a); }
  if (p.__isset.resident_b) { w->Key("resident_b"); w->String(p.resident_b); }
  w->EndObject();
}

void WriteEvent(JsonWriter* w, const wire::ResidentEvent& e) {
  w->BeginObject();
  w->Key("at_ms"); w->Int(e.at_ms);
  w->Key("kind"); w->String(e.kind);
  if (e.__isset.other_resident) { w->Key("other_resident"); w->String(e.other_resident); }
  if (e.__isset.records) {
    w->Key("records");
    w->BeginArray();
    for (const auto& ref : e.records) WriteRef(w, ref);
    w->EndArray();
  }
  if (e.__isset.user) { w->Key("user"); w->String(e.user); }
  if (e.__isset.reason) { w->Key("reason"); w->String(e.reason); }
  w->EndObject();
}

}  // namespace

absl::StatusOr<wire::RecordRef> ParseRecordRef(const std::string& arg) {
  const size_t colon = arg.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == arg.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", arg, "\" is not a record: expected SOURCE:RECORD_ID, e.g. police:P1"));
  }
  wire::RecordRef ref;
  ref.source = arg.substr(0, colon);
  ref.record_id = arg.substr(colon + 1);
  return ref;
}

std::string RefText(const wire::RecordRef& ref) { return absl::StrCat(ref.source, ":", ref.record_id); }

std::string PairText(const wire::PairExplanation& p) {
  std::string out = absl::StrCat(RefText(p.a), "  ~  ", RefText(p.b), "\n", PairTable(p));
  if (p.__isset.resident_a || p.__isset.resident_b) {
    absl::StrAppend(&out, "  now in ", p.__isset.resident_a ? p.resident_a : "-", " / ",
                    p.__isset.resident_b ? p.resident_b : "-", "\n");
  }
  return out;
}

std::string PairJson(const wire::PairExplanation& pair) {
  JsonWriter w;
  WritePair(&w, pair);
  return w.str();
}

std::string ReviewText(const std::vector<wire::ReviewItem>& items) {
  if (items.empty()) return "no pairs wait for review\n";
  TextTable table({false, false, false, true, true, false});
  table.Row({"pair", "record a", "record b", "weight", "probability", "evidence"});
  for (const auto& item : items) {
    const wire::PairExplanation& p = item.pair;
    table.Row({item.pair_id, RefText(p.a), RefText(p.b), Bits(p.total_weight),
               Probability(p.probability), Evidence(p)});
  }
  return absl::StrCat(table.Render(), items.size(), items.size() == 1 ? " pair waits" : " pairs wait",
                      " for review: see one with `hubctl why A B`, decide with "
                      "`hubctl review decide PAIR_ID match|no-match`\n");
}

std::string ReviewItemJson(const wire::ReviewItem& item) {
  JsonWriter w;
  w.BeginObject();
  w.Key("pair_id"); w.String(item.pair_id);
  w.Key("queued_at_ms"); w.Int(item.queued_at_ms);
  w.Key("pair"); WritePair(&w, item.pair);
  w.EndObject();
  return w.str();
}

std::string ResidentExplanationText(const wire::ResidentExplanation& e) {
  std::string out = absl::StrCat("Resident ", e.entity_id, ": ", e.members.size(),
                                 e.members.size() == 1 ? " member record\n" : " member records\n");
  std::set<std::pair<std::string, std::string>> shown;
  for (const auto& m : e.members) {
    const std::string self = RefText(m.record);
    if (!m.__isset.best) {
      absl::StrAppend(&out, "\n", self, ": no tie to another member\n");
      continue;
    }
    const std::string other = RefText(m.best.a) == self ? RefText(m.best.b) : RefText(m.best.a);
    absl::StrAppend(&out, "\n", self, ": strongest tie to ", other);
    if (!shown.insert(PairKey(m.best)).second) {
      absl::StrAppend(&out, " (shown above)\n");
      continue;
    }
    absl::StrAppend(&out, "\n", PairTable(m.best));
  }
  if (!e.history.empty()) {
    absl::StrAppend(&out, "\nhistory:\n");
    for (const auto& event : e.history) absl::StrAppend(&out, "  ", EventText(event), "\n");
  }
  return out;
}

std::string ResidentExplanationJson(const wire::ResidentExplanation& e) {
  JsonWriter w;
  w.BeginObject();
  w.Key("entity_id"); w.String(e.entity_id);
  w.Key("members");
  w.BeginArray();
  for (const auto& m : e.members) {
    w.BeginObject();
    w.Key("record"); WriteRef(&w, m.record);
    if (m.__isset.best) { w.Key("best"); WritePair(&w, m.best); }
    w.EndObject();
  }
  w.EndArray();
  w.Key("history");
  w.BeginArray();
  for (const auto& event : e.history) WriteEvent(&w, event);
  w.EndArray();
  w.EndObject();
  return w.str();
}

std::string StewardResultText(const wire::StewardResult& r) {
  if (r.__isset.message && !r.message.empty()) return r.message + "\n";
  return absl::StrCat("done; residents changed: ",
                      r.residents.empty() ? "none" : absl::StrJoin(r.residents, ", "), "\n");
}

std::string StewardResultJson(const wire::StewardResult& r) {
  JsonWriter w;
  w.BeginObject();
  w.Key("residents");
  w.BeginArray();
  for (const auto& id : r.residents) w.String(id);
  w.EndArray();
  if (r.__isset.message) { w.Key("message"); w.String(r.message); }
  w.EndObject();
  return w.str();
}

std::string ModelText(const wire::MatchModel& m) {
  std::string out = absl::StrCat("match model (version ", m.version, "): ");
  if (m.__isset.trained_at_ms && m.trained_at_ms > 0) {
    absl::StrAppend(&out, "trained ", Time(m.trained_at_ms), " on ",
                    m.__isset.training_pairs ? m.training_pairs : 0, " candidate pairs in ",
                    m.__isset.em_iterations ? m.em_iterations : 0, " EM iterations\n");
  } else {
    absl::StrAppend(&out, "built-in starting values, never trained (hubctl model train)\n");
  }
  const double prior_weight = std::log2(m.prior / (1 - m.prior));
  TextTable head({false, true, false});
  head.Row({"prior", absl::StrFormat("%.6g", m.prior),
            absl::StrCat("(", Bits(prior_weight), "): share of candidate pairs that are one person")});
  head.Row({"link at", Bits(m.link_threshold),
            absl::StrCat("(P >= ", Probability(ProbabilityOfWeight(m.link_threshold)), ")")});
  head.Row({"review from", Bits(m.review_threshold),
            absl::StrCat("(P >= ", Probability(ProbabilityOfWeight(m.review_threshold)), ")")});
  out += head.Render("  ");
  TextTable levels({false, false, true, true, true});
  levels.Row({"field", "level", "m", "u", "weight"});
  for (const auto& f : m.fields) {
    bool first = true;
    for (const auto& l : f.levels) {
      const std::string name =
          first ? absl::StrCat(f.field, f.__isset.term_frequency && f.term_frequency ? " (tf)" : "")
                : "";
      levels.Row({name, l.level, absl::StrFormat("%.6g", l.m), absl::StrFormat("%.6g", l.u),
                  Bits(std::log2(l.m / l.u))});
      first = false;
    }
  }
  absl::StrAppend(&out, "\n", levels.Render("  "),
                  "  (tf: an exact match weighs by how common the value is; missing weighs 0)\n");
  return out;
}

std::string ModelJson(const wire::MatchModel& m) {
  JsonWriter w;
  w.BeginObject();
  w.Key("version"); w.Int(m.version);
  w.Key("prior"); w.Double(m.prior);
  w.Key("link_threshold"); w.Double(m.link_threshold);
  w.Key("review_threshold"); w.Double(m.review_threshold);
  if (m.__isset.trained_at_ms) { w.Key("trained_at_ms"); w.Int(m.trained_at_ms); }
  if (m.__isset.training_pairs) { w.Key("training_pairs"); w.Int(m.training_pairs); }
  if (m.__isset.em_iterations) { w.Key("em_iterations"); w.Int(m.em_iterations); }
  w.Key("fields");
  w.BeginArray();
  for (const auto& f : m.fields) {
    w.BeginObject();
    w.Key("field"); w.String(f.field);
    w.Key("term_frequency"); w.Bool(f.__isset.term_frequency && f.term_frequency);
    w.Key("levels");
    w.BeginArray();
    for (const auto& l : f.levels) {
      w.BeginObject();
      w.Key("level"); w.String(l.level);
      w.Key("m"); w.Double(l.m);
      w.Key("u"); w.Double(l.u);
      w.Key("weight"); w.Double(std::log2(l.m / l.u));
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.str();
}

}  // namespace gridhub::hubctl
