// hub/server/steward_view.h: cuts identity-resolution replies down to what
// one caller may see.
//
// Review items, pair and resident explanations and resident histories carry
// record refs, resident ids, comparison levels and weights, never field
// values. Record ids may still be personal data (a source keyed by ID
// number), so every record id in them gets the treatment record ids get in
// resident views (hub/query/view.h): an ID-number- or phone-shaped digit run
// is shown clear, masked or hidden as the grant says for that field.
// Resident ids, levels and weights are kept as they are.
//
// Thread-safe: pure functions.
#ifndef GRIDHUB_HUB_SERVER_STEWARD_VIEW_H_
#define GRIDHUB_HUB_SERVER_STEWARD_VIEW_H_

#include "security/policy.h"

namespace gridhub::wire {
class PairExplanation;
class ResidentExplanation;
class ReviewItem;
}  // namespace gridhub::wire

namespace gridhub::hub {

void ApplyGrant(const security::Grant& grant, wire::PairExplanation* pair);
void ApplyGrant(const security::Grant& grant, wire::ResidentExplanation* explanation);
void ApplyGrant(const security::Grant& grant, wire::ReviewItem* item);

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_SERVER_STEWARD_VIEW_H_
