#include "hub/query/view.h"

#include <algorithm>

#include "gridhub_types.h"
#include "security/mask.h"

namespace gridhub::hub {
namespace {

// Keeps visible values, masking as granted; returns the filtered list.
std::vector<wire::ProvenancedValue> Filter(const security::Grant& grant,
                                           std::vector<wire::ProvenancedValue> values) {
  std::vector<wire::ProvenancedValue> out;
  for (auto& v : values) {
    if (!grant.Sees(v.field)) continue;
    if (grant.Masks(v.field)) v.value = security::MaskValue(v.field, v.value);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

void ApplyGrant(const security::Grant& grant, wire::Resident* r) {
  for (auto it = r->fields.begin(); it != r->fields.end();) {
    if (!grant.Sees(it->first)) {
      it = r->fields.erase(it);
      continue;
    }
    if (grant.Masks(it->first)) {
      it->second = security::MaskValue(it->first, it->second);
      r->masked_fields.push_back(it->first);
    }
    ++it;
  }
  r->__isset.masked_fields = !r->masked_fields.empty();
  r->values = Filter(grant, std::move(r->values));
  std::vector<wire::FieldConflict> conflicts;
  for (auto& c : r->conflicts) {
    if (!grant.Sees(c.field)) continue;
    c.values = Filter(grant, std::move(c.values));
    conflicts.push_back(std::move(c));
  }
  r->conflicts = std::move(conflicts);
  r->__isset.conflicts = !r->conflicts.empty();
  if (!grant.Sees(security::kAttributesField)) {
    r->attributes.clear();
    r->__isset.attributes = false;
  }
}

}  // namespace gridhub::hub
