// The steward calls of the GridHub service: review, merge, split, explain,
// the match model. All are the policy action "resolve"; the caller's
// certificate CN is the user recorded with every decision.
#include <Poco/Logger.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "hub/server/handler.h"
#include "hub/server/steward_view.h"

namespace gridhub::hub {
namespace {

// Longest note accepted with a decision, in bytes.
constexpr size_t kMaxNoteBytes = 4096;

std::string Join(std::vector<std::string>::const_iterator begin,
                 std::vector<std::string>::const_iterator end) {
  return absl::StrJoin(begin, end, ", ");
}

}  // namespace

// Authorizes on construction (throws AccessDenied, logged, when refused).
// Require checks arguments at the edge so the reply names the argument (the
// core checks what needs the data: unknown ids, non-members); Finish logs
// the outcome and throws unless it is OK.
class Handler::StewardCall {
 public:
  StewardCall(Handler* handler, const char* action, const wire::RequestContext& ctx)
      : h_(handler), action_(action), purpose_(ctx.purpose), who_(h_->Caller(action)) {
    auto grant = h_->services_.policy->Authorize(who_, security::Action::kResolve, ctx.purpose,
                                                 CaseRef(ctx));
    if (!grant.ok()) Finish(grant.status());
    grant_ = *std::move(grant);
  }

  const security::Principal& who() const { return who_; }
  const security::Grant& grant() const { return grant_; }

  void Require(bool ok, absl::string_view field, absl::string_view message) {
    if (ok) return;
    h_->Log(who_, action_, purpose_, absl::InvalidArgumentError(field));
    ThrowStatus(absl::InvalidArgumentError(message), std::string(field));
  }
  void RequireRef(const wire::RecordRef& ref, absl::string_view field) {
    Require(!ref.source.empty() && !ref.record_id.empty(), field,
            absl::StrCat(field, ": a record needs a source and a record id"));
  }
  void RequireNote(const std::string& note) {
    Require(note.size() <= kMaxNoteBytes, "note",
            absl::StrCat("note: at most ", kMaxNoteBytes, " bytes"));
  }

  // The core's kFailedPrecondition ("not now", e.g. too few pairs to train
  // on) is for the caller to fix: InvalidRequest with its message.
  void Finish(const absl::Status& status) {
    h_->Log(who_, action_, purpose_, status);
    if (status.ok()) return;
    if (status.code() == absl::StatusCode::kFailedPrecondition) {
      ThrowStatus(absl::InvalidArgumentError(absl::StrCat(action_, ": ", status.message())));
    }
    ThrowStatus(status);
  }

  // A steward change: logs the residents it touched (resident ids are
  // counters, not personal data) and fills the reply.
  void Reply(const absl::StatusOr<std::vector<std::string>>& changed, std::string message,
             wire::StewardResult* out) {
    if (!changed.ok()) Finish(changed.status());
    h_->log_.information("user=%s role=%s action=%s purpose=%s outcome=ok residents=%s",
                         who_.user, who_.role, action_, purpose_, absl::StrJoin(*changed, ","));
    out->residents = *changed;
    out->message = std::move(message);
    out->__isset.message = !out->message.empty();
  }

 private:
  Handler* h_;
  std::string action_;
  std::string purpose_;
  security::Principal who_;
  security::Grant grant_;
};

void Handler::listReview(wire::ReviewPage& out, const wire::RequestContext& ctx,
                         const std::string& cursor, int32_t limit) {
  StewardCall call(this, "review-list", ctx);
  CheckLimit(call.who(), "review-list", ctx.purpose, limit);
  std::string next;
  auto items = services_.ingestor->ListReview(cursor, limit, &next);
  call.Finish(items.status());
  out.items = *std::move(items);
  for (wire::ReviewItem& item : out.items) ApplyGrant(call.grant(), &item);
  out.next_cursor = next;
  out.__isset.next_cursor = !next.empty();
}

void Handler::decideReview(wire::StewardResult& out, const wire::RequestContext& ctx,
                           const std::string& pair_id, const std::string& decision,
                           const std::string& note) {
  StewardCall call(this, "review-decide", ctx);
  call.Require(!pair_id.empty(), "pair_id", "pair_id is empty (see listReview)");
  call.Require(decision == "match" || decision == "no_match", "decision",
               "decision must be \"match\" or \"no_match\"");
  call.RequireNote(note);
  auto changed = services_.ingestor->DecideReview(pair_id, decision, call.who().user, note);
  std::string message;
  if (changed.ok()) {
    const std::vector<std::string>& r = *changed;
    if (decision == "match") {
      message = r.size() >= 2
                    ? absl::StrCat("match recorded; merged ", Join(r.begin() + 1, r.end()),
                                   " into ", r[0])
                    : "match recorded; the records were already one resident";
    } else {
      message = r.size() >= 2
                    ? absl::StrCat("no match recorded; the records are now apart in ",
                                   Join(r.begin(), r.end()))
                    : "no match recorded; the records were already apart";
    }
  }
  call.Reply(changed, std::move(message), &out);
}

void Handler::mergeResidents(wire::StewardResult& out, const wire::RequestContext& ctx,
                             const std::string& keep, const std::string& other,
                             const std::string& note) {
  StewardCall call(this, "merge", ctx);
  call.Require(!keep.empty(), "keep", "keep: a resident id is needed");
  call.Require(!other.empty(), "other", "other: a resident id is needed");
  call.RequireNote(note);
  auto changed = services_.ingestor->MergeResidents(keep, other, call.who().user, note);
  std::string message;
  if (changed.ok() && changed->size() >= 2) {
    message = absl::StrCat("merged ", Join(changed->begin() + 1, changed->end()), " into ",
                           (*changed)[0]);
  }
  call.Reply(changed, std::move(message), &out);
}

void Handler::splitResident(wire::StewardResult& out, const wire::RequestContext& ctx,
                            const std::string& resident,
                            const std::vector<wire::RecordRef>& records,
                            const std::string& note) {
  StewardCall call(this, "split", ctx);
  call.Require(!resident.empty(), "resident", "resident: a resident id is needed");
  call.Require(!records.empty(), "records", "records: name at least one record to move out");
  for (const wire::RecordRef& ref : records) call.RequireRef(ref, "records");
  call.RequireNote(note);
  auto changed = services_.ingestor->SplitResident(resident, records, call.who().user, note);
  std::string message;
  if (changed.ok() && changed->size() >= 2) {
    message = absl::StrCat("moved ", records.size(), records.size() == 1 ? " record" : " records",
                           " out of ", (*changed)[0], " into ", (*changed)[1]);
  }
  call.Reply(changed, std::move(message), &out);
}

void Handler::explainResident(wire::ResidentExplanation& out, const wire::RequestContext& ctx,
                              const std::string& resident) {
  StewardCall call(this, "explain", ctx);
  call.Require(!resident.empty(), "resident", "resident: a resident id is needed");
  auto explanation = services_.ingestor->ExplainResident(resident);
  call.Finish(explanation.status());
  out = *std::move(explanation);
  ApplyGrant(call.grant(), &out);
}

void Handler::explainPair(wire::PairExplanation& out, const wire::RequestContext& ctx,
                          const wire::RecordRef& a, const wire::RecordRef& b) {
  StewardCall call(this, "why", ctx);
  call.RequireRef(a, "a");
  call.RequireRef(b, "b");
  auto pair = services_.ingestor->ExplainPair(a, b);
  call.Finish(pair.status());
  out = *std::move(pair);
  ApplyGrant(call.grant(), &out);
}

void Handler::getModel(wire::MatchModel& out, const wire::RequestContext& ctx) {
  StewardCall call(this, "model", ctx);
  auto model = services_.ingestor->GetModel();
  call.Finish(model.status());
  out = *std::move(model);
}

void Handler::trainModel(wire::MatchModel& out, const wire::RequestContext& ctx) {
  StewardCall call(this, "model-train", ctx);
  auto model = services_.ingestor->TrainModel();
  call.Finish(model.status());
  out = *std::move(model);
}

}  // namespace gridhub::hub
