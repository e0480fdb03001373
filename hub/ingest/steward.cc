// The steward side of Ingestor: review queue, judgements, merge and split,
// explanations and the match model. Each change is one atomic, synced write
// under the same lock as imports, so a steward's decision and an import never
// interleave.
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "gridhub_types.h"
#include "hub/ingest/applier.h"
#include "hub/ingest/ingest.h"
#include "hub/query/query.h"
#include "hub/resolve/blocking.h"
#include "hub/resolve/golden.h"
#include "hub/store/codec.h"
#include "hub/store/keys.h"
#include "schema/status.h"

namespace gridhub::hub {
namespace {

wire::Judgement MakeJudgement(const wire::RecordRef& a, const wire::RecordRef& b,
                              const std::string& decision, const std::string& user,
                              const std::string& note, int64_t now) {
  wire::Judgement j;
  j.a = a;
  j.b = b;
  j.decision = decision;
  j.user = user;
  j.decided_at_ms = now;
  if (!note.empty()) {
    j.note = note;
    j.__isset.note = true;
  }
  return j;
}

// Pairs EM learns from at most; enough for stable estimates of a few dozen
// parameters, small enough to train in seconds.
constexpr size_t kMaxTrainingPairs = 200000;
constexpr size_t kMinTrainingPairs = 50;

}  // namespace

absl::StatusOr<std::vector<wire::ReviewItem>> Ingestor::ListReview(const std::string& cursor,
                                                                   int limit,
                                                                   std::string* next) const {
  next->clear();
  if (limit <= 0) return absl::InvalidArgumentError("limit must be positive");
  std::vector<wire::ReviewItem> items;
  absl::Status failed;
  std::string last;
  GRIDHUB_RETURN_IF_ERROR(store_->Scan(
      Family::kReview, "", cursor, [&](std::string_view k, std::string_view v) {
        if (k == cursor) return true;
        if (static_cast<int>(items.size()) == limit) {
          *next = last;
          return false;
        }
        last = std::string(k);
        wire::ReviewItem item;
        failed = Decode(v, &item, "review item");
        if (!failed.ok()) return false;
        auto a = store_->Get(Family::kLink, RecordKey(item.pair.a));
        auto b = store_->Get(Family::kLink, RecordKey(item.pair.b));
        if (!a.ok() || !b.ok()) {
          failed = a.ok() ? b.status() : a.status();
          return false;
        }
        // Settled since it was queued: the two records are together now.
        if (!a->has_value() || !b->has_value() || **a == **b) return true;
        item.pair.resident_a = **a;
        item.pair.__isset.resident_a = true;
        item.pair.resident_b = **b;
        item.pair.__isset.resident_b = true;
        items.push_back(std::move(item));
        return true;
      }));
  GRIDHUB_RETURN_IF_ERROR(failed);
  return items;
}

absl::StatusOr<std::vector<std::string>> Ingestor::DecideReview(const std::string& pair_id,
                                                                const std::string& decision,
                                                                const std::string& user,
                                                                const std::string& note) {
  std::string verdict = decision;
  std::replace(verdict.begin(), verdict.end(), '-', '_');
  if (verdict != "match" && verdict != "no_match") {
    return absl::InvalidArgumentError(
        absl::StrCat("decision must be match or no_match, not \"", decision, "\""));
  }
  std::lock_guard<std::mutex> lock(mu_);
  GRIDHUB_ASSIGN_OR_RETURN(auto bytes, store_->Get(Family::kReview, pair_id));
  if (!bytes) return absl::NotFoundError(absl::StrCat("no review item ", pair_id));
  wire::ReviewItem item;
  GRIDHUB_RETURN_IF_ERROR(Decode(*bytes, &item, "review item"));
  GRIDHUB_ASSIGN_OR_RETURN(const Model* model, ModelLocked());
  const int64_t now = clock_->NowMs();
  Applier applier(store_, options_, *model, now);
  GRIDHUB_RETURN_IF_ERROR(applier.Begin());
  GRIDHUB_RETURN_IF_ERROR(
      applier.Judge(MakeJudgement(item.pair.a, item.pair.b, verdict, user, note, now)));
  GRIDHUB_ASSIGN_OR_RETURN(std::string res_a, applier.ResidentOf(item.pair.a));
  GRIDHUB_ASSIGN_OR_RETURN(std::string res_b, applier.ResidentOf(item.pair.b));
  if (res_a.empty() || res_b.empty()) {
    return absl::NotFoundError("a record of this pair is no longer stored");
  }
  std::vector<std::string> changed;
  if (verdict == "match") {
    GRIDHUB_ASSIGN_OR_RETURN(std::string survivor,
                             applier.MergeResidents(res_a, res_b, user, "judged_match"));
    changed.push_back(survivor);
    for (const auto& r : {res_a, res_b}) {
      if (r != survivor) changed.push_back(r);
    }
  } else if (res_a == res_b) {
    GRIDHUB_ASSIGN_OR_RETURN(std::string moved,
                             applier.MoveToNewResident(res_a, {item.pair.b}, user, "judged_no_match"));
    changed = {res_a, moved};
  }
  GRIDHUB_ASSIGN_OR_RETURN(WriteSet writes, applier.Finish());
  GRIDHUB_RETURN_IF_ERROR(store_->Write(writes, true));
  return changed;
}

absl::StatusOr<std::vector<std::string>> Ingestor::MergeResidents(const std::string& keep,
                                                                  const std::string& other,
                                                                  const std::string& user,
                                                                  const std::string& note) {
  if (keep == other) return absl::InvalidArgumentError("cannot merge a resident with itself");
  std::lock_guard<std::mutex> lock(mu_);
  GRIDHUB_ASSIGN_OR_RETURN(const Model* model, ModelLocked());
  const int64_t now = clock_->NowMs();
  Applier applier(store_, options_, *model, now);
  GRIDHUB_RETURN_IF_ERROR(applier.Begin());
  GRIDHUB_ASSIGN_OR_RETURN(std::string live_keep, applier.LiveResident(keep));
  GRIDHUB_ASSIGN_OR_RETURN(std::string live_other, applier.LiveResident(other));
  if (live_keep == live_other) {
    return absl::InvalidArgumentError(
        absl::StrCat(keep, " and ", other, " are already one resident (", live_keep, ")"));
  }
  ResidentQuery query(store_, options_.golden);
  GRIDHUB_ASSIGN_OR_RETURN(wire::Resident a, query.Get(live_keep));
  GRIDHUB_ASSIGN_OR_RETURN(wire::Resident b, query.Get(live_other));
  // Judgements tie every member of each side to one member of the other, so
  // a later import of any of them keeps the two together.
  for (const auto& ref : b.records) {
    GRIDHUB_RETURN_IF_ERROR(applier.Judge(MakeJudgement(a.records.front(), ref, "match", user, note, now)));
  }
  for (const auto& ref : a.records) {
    GRIDHUB_RETURN_IF_ERROR(applier.Judge(MakeJudgement(ref, b.records.front(), "match", user, note, now)));
  }
  GRIDHUB_ASSIGN_OR_RETURN(std::string survivor,
                           applier.MergeResidents(live_keep, live_other, user, "steward_merge"));
  GRIDHUB_ASSIGN_OR_RETURN(WriteSet writes, applier.Finish());
  GRIDHUB_RETURN_IF_ERROR(store_->Write(writes, true));
  return std::vector<std::string>{survivor, survivor == live_keep ? live_other : live_keep};
}

absl::StatusOr<std::vector<std::string>> Ingestor::SplitResident(
    const std::string& resident, const std::vector<wire::RecordRef>& records,
    const std::string& user, const std::string& note) {
  if (records.empty()) return absl::InvalidArgumentError("name at least one record to split off");
  std::lock_guard<std::mutex> lock(mu_);
  ResidentQuery query(store_, options_.golden);
  GRIDHUB_ASSIGN_OR_RETURN(wire::Resident r, query.Get(resident));
  if (r.entity_id != resident) {
    return absl::InvalidArgumentError(
        absl::StrCat(resident, " was merged into ", r.entity_id, "; split that one"));
  }
  std::set<std::string> moving;
  for (const auto& ref : records) {
    const bool member = std::any_of(r.records.begin(), r.records.end(), [&](const wire::RecordRef& m) {
      return m.source == ref.source && m.record_id == ref.record_id;
    });
    if (!member) {
      return absl::InvalidArgumentError(
          absl::StrCat("record ", ref.source, ":", ref.record_id, " is not a member of ", resident));
    }
    moving.insert(RecordKey(ref));
  }
  if (moving.size() == r.records.size()) {
    return absl::InvalidArgumentError("every member would move: name the records to split off");
  }
  GRIDHUB_ASSIGN_OR_RETURN(const Model* model, ModelLocked());
  const int64_t now = clock_->NowMs();
  Applier applier(store_, options_, *model, now);
  GRIDHUB_RETURN_IF_ERROR(applier.Begin());
  for (const auto& moved : records) {
    for (const auto& stays : r.records) {
      if (moving.count(RecordKey(stays))) continue;
      GRIDHUB_RETURN_IF_ERROR(applier.Judge(MakeJudgement(stays, moved, "no_match", user, note, now)));
    }
  }
  GRIDHUB_ASSIGN_OR_RETURN(std::string created,
                           applier.MoveToNewResident(resident, records, user, "steward_split"));
  GRIDHUB_ASSIGN_OR_RETURN(WriteSet writes, applier.Finish());
  GRIDHUB_RETURN_IF_ERROR(store_->Write(writes, true));
  return std::vector<std::string>{resident, created};
}

absl::StatusOr<wire::PairExplanation> Ingestor::ExplainPair(const wire::RecordRef& a,
                                                            const wire::RecordRef& b) const {
  std::lock_guard<std::mutex> lock(mu_);
  GRIDHUB_ASSIGN_OR_RETURN(const Model* model, ModelLocked());
  Applier reader(store_, options_, *model, clock_->NowMs());
  GRIDHUB_RETURN_IF_ERROR(reader.Begin());
  GRIDHUB_ASSIGN_OR_RETURN(wire::StoredRecord ra, reader.StoredRecordOf(a));
  GRIDHUB_ASSIGN_OR_RETURN(wire::StoredRecord rb, reader.StoredRecordOf(b));
  PairScore score = ScorePair(*model, ra, rb, reader.Frequency());
  GRIDHUB_ASSIGN_OR_RETURN(std::string judged, reader.JudgementBetween(a, b));
  if (judged == "match") {
    score.rule = kRuleJudgedMatch;
    score.scored.decision = Decision::kLink;
  } else if (judged == "no_match") {
    score.rule = kRuleJudgedNoMatch;
    score.scored.decision = Decision::kNoLink;
  }
  wire::PairExplanation out = Explain(ra, rb, score);
  GRIDHUB_ASSIGN_OR_RETURN(out.resident_a, reader.ResidentOf(a));
  GRIDHUB_ASSIGN_OR_RETURN(out.resident_b, reader.ResidentOf(b));
  out.__isset.resident_a = !out.resident_a.empty();
  out.__isset.resident_b = !out.resident_b.empty();
  return out;
}

absl::StatusOr<wire::ResidentExplanation> Ingestor::ExplainResident(
    const std::string& resident) const {
  ResidentQuery query(store_, options_.golden);
  GRIDHUB_ASSIGN_OR_RETURN(wire::Resident r, query.Get(resident));
  wire::ResidentExplanation out;
  out.entity_id = r.entity_id;
  out.history = r.history;
  out.__isset.history = !out.history.empty();
  std::vector<wire::RecordRef> members = r.records;
  for (const auto& ref : members) {
    wire::MemberExplanation m;
    m.record = ref;
    for (const auto& other : members) {
      if (RecordKey(other) == RecordKey(ref)) continue;
      GRIDHUB_ASSIGN_OR_RETURN(wire::PairExplanation pair, ExplainPair(ref, other));
      // The strongest tie: a rule first, then the highest weight.
      auto rank = [](const wire::PairExplanation& p) {
        return std::make_pair(p.__isset.rule && p.decision == "link" ? 1 : 0, p.total_weight);
      };
      if (!m.__isset.best || rank(pair) > rank(m.best)) {
        m.best = std::move(pair);
        m.__isset.best = true;
      }
    }
    out.members.push_back(std::move(m));
  }
  return out;
}

absl::StatusOr<wire::MatchModel> Ingestor::GetModel() const {
  std::lock_guard<std::mutex> lock(mu_);
  GRIDHUB_ASSIGN_OR_RETURN(const Model* model, ModelLocked());
  return model->ToWire();
}

absl::StatusOr<wire::MatchModel> Ingestor::TrainModel() {
  std::lock_guard<std::mutex> lock(mu_);
  GRIDHUB_ASSIGN_OR_RETURN(const Model* current, ModelLocked());
  // Candidate pairs as blocking makes them: members of one resident (pairs
  // the model linked), and members of different residents that share a
  // block key (pairs it kept apart or never decided).
  std::vector<std::vector<FieldComparison>> pairs;
  absl::Status failed;
  std::map<std::string, std::vector<wire::StoredRecord>> members;
  auto members_of = [&](const std::string& id) -> const std::vector<wire::StoredRecord>* {
    auto it = members.find(id);
    if (it != members.end()) return &it->second;
    auto bytes = store_->Get(Family::kResident, id);
    if (!bytes.ok() || !bytes->has_value()) return nullptr;
    wire::Resident r;
    if (!DecodeResident(**bytes, &r, "resident").ok()) return nullptr;
    return &members.emplace(id, MemberRecords(r)).first->second;
  };
  GRIDHUB_RETURN_IF_ERROR(store_->Scan(Family::kResident, "", "", [&](std::string_view, std::string_view v) {
    wire::Resident r;
    failed = DecodeResident(v, &r, "resident");
    if (!failed.ok()) return false;
    if (r.records.size() < 2) return true;
    const std::vector<wire::StoredRecord> recs = MemberRecords(r);
    for (size_t i = 0; i + 1 < recs.size(); ++i) pairs.push_back(CompareRecords(recs[i], recs[i + 1]));
    return pairs.size() < kMaxTrainingPairs / 2;
  }));
  GRIDHUB_RETURN_IF_ERROR(failed);
  const size_t within = pairs.size();
  GRIDHUB_RETURN_IF_ERROR(store_->Scan(Family::kIndex, "", "", [&](std::string_view k, std::string_view v) {
    // Pairs as resolution meets them: only keys that find candidates (not
    // the name alone, which only counts).
    if (!FindsCandidates(k)) return true;
    keys::Posting p;
    if (!keys::DecodePosting(v, &p) || p.residents.size() < 2) return true;
    // Bounded memory; cleared between postings only, so the pointers
    // members_of hands out below stay valid while they are used.
    if (members.size() > 50000) members.clear();
    for (size_t i = 0; i + 1 < p.residents.size() && i < 4; ++i) {
      const auto* a = members_of(p.residents[i]);
      const auto* b = members_of(p.residents[i + 1]);
      if (a == nullptr || b == nullptr || a->empty() || b->empty()) continue;
      pairs.push_back(CompareRecords(a->front(), b->front()));
    }
    return pairs.size() < kMaxTrainingPairs + within / 4 && pairs.size() - within < kMaxTrainingPairs / 2;
  }));
  if (pairs.size() < kMinTrainingPairs) {
    return absl::FailedPreconditionError(absl::StrCat(
        "only ", pairs.size(), " candidate pairs to learn from; import more records first (at least ",
        kMinTrainingPairs, ")"));
  }
  EmOptions em;
  // A sample of candidate pairs cannot show how rarely strangers share an ID
  // number: keep its u.
  if (current->Params("id_number", Level::kExact) != nullptr) {
    em.frozen_u.insert({"id_number", Level::kExact});
  }
  GRIDHUB_ASSIGN_OR_RETURN(Model trained, TrainEm(pairs, *current, 100, 1e-5, em));
  TrainingInfo info = trained.training();
  info.trained_at_ms = clock_->NowMs();
  trained.set_training(info);
  // EM's λ is the share of matches among these sampled pairs, not among the
  // candidates of a new record: keep the prior in use.
  GRIDHUB_RETURN_IF_ERROR(trained.SetPrior(current->prior()));
  const wire::MatchModel stored = trained.ToWire();
  WriteSet writes;
  writes.Put(Family::kMeta, std::string(keys::kMetaMatchModel), Encode(stored));
  GRIDHUB_RETURN_IF_ERROR(store_->Write(writes, true));
  model_ = std::make_unique<Model>(std::move(trained));
  return stored;
}

}  // namespace gridhub::hub
