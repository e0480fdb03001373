// hub/query/view.h: cuts a resident down to what one caller may see.
//
// Fields outside the grant disappear everywhere they occur (golden fields,
// provenanced values, conflicts); masked fields are masked everywhere; source
// attributes survive only when the grant includes "attributes". The names
// of masked fields are listed in `masked_fields` so clients can say so.
// Identifiers found outside their field (a record id that is an ID number,
// an attribute holding an ID number or phone) are masked unless the grant
// shows that field in clear.
//
// Thread-safe: pure function.
#ifndef GRIDHUB_HUB_QUERY_VIEW_H_
#define GRIDHUB_HUB_QUERY_VIEW_H_

#include "security/policy.h"

namespace gridhub::wire {
class Resident;
}  // namespace gridhub::wire

namespace gridhub::hub {

void ApplyGrant(const security::Grant& grant, wire::Resident* resident);

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_QUERY_VIEW_H_
