#include "hub/server/steward_view.h"

#include <string>
#include <vector>

#include "gridhub_types.h"
#include "hub/query/view.h"

namespace gridhub::hub {
namespace {

// Redacts the record ids of `refs` exactly as a resident view redacts its
// member records' ids: they are handed to the view through a resident that
// holds nothing else (the view's redactor is private to hub/query/view.cc).
void RedactRecordIds(const security::Grant& grant, const std::vector<wire::RecordRef*>& refs) {
  if (refs.empty()) return;
  wire::Resident carrier;
  carrier.records.reserve(refs.size());
  for (const wire::RecordRef* ref : refs) carrier.records.push_back(*ref);
  ApplyGrant(grant, &carrier);
  for (size_t i = 0; i < refs.size(); ++i) refs[i]->record_id = carrier.records[i].record_id;
}

void CollectRefs(wire::PairExplanation* pair, std::vector<wire::RecordRef*>* refs) {
  refs->push_back(&pair->a);
  refs->push_back(&pair->b);
}

void CollectRefs(std::vector<wire::ResidentEvent>* history, std::vector<wire::RecordRef*>* refs) {
  for (wire::ResidentEvent& event : *history) {
    for (wire::RecordRef& ref : event.records) refs->push_back(&ref);
  }
}

}  // namespace

void ApplyGrant(const security::Grant& grant, wire::PairExplanation* pair) {
  std::vector<wire::RecordRef*> refs;
  CollectRefs(pair, &refs);
  RedactRecordIds(grant, refs);
}

void ApplyGrant(const security::Grant& grant, wire::ResidentExplanation* explanation) {
  std::vector<wire::RecordRef*> refs;
  for (wire::MemberExplanation& member : explanation->members) {
    refs.push_back(&member.record);
    if (member.__isset.best) CollectRefs(&member.best, &refs);
  }
  CollectRefs(&explanation->history, &refs);
  RedactRecordIds(grant, refs);
}

void ApplyGrant(const security::Grant& grant, wire::ReviewItem* item) {
  ApplyGrant(grant, &item->pair);
}

}  // namespace gridhub::hub
