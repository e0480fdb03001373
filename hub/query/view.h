// hub/query/view.h: cuts a resident down to what one caller may see.
//
// Fields outside the grant disappear everywhere they occur (golden fields,
// provenanced values, conflicts); masked fields are masked everywhere; source
// attributes survive only when the grant includes "attributes". The names
// of masked fields are listed in `masked_fields` so clients can say so.
// Identifiers found outside their field (digit runs shaped like an ID number
// or a phone in a record id, an attribute, an address) get the treatment of
// that field: clear, masked, or hidden when the grant does not include it.
//
// Thread-safe: pure function.
#ifndef GRIDHUB_HUB_QUERY_VIEW_H_
#define GRIDHUB_HUB_QUERY_VIEW_H_

#include "security/policy.h"

namespace gridhub::wire {
class QuarantineEntry;
class Resident;
}  // namespace gridhub::wire

namespace gridhub::hub {

void ApplyGrant(const security::Grant& grant, wire::Resident* resident);

// The same for a quarantined row or record (raw bytes included).
void ApplyGrant(const security::Grant& grant, wire::QuarantineEntry* entry);

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_QUERY_VIEW_H_
