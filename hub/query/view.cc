#include "hub/query/view.h"

#include <algorithm>
#include <map>

#include "gridhub_types.h"
#include "hub/resolve/golden.h"
#include "schema/fields.h"
#include "schema/id_number.h"
#include "schema/phone.h"
#include "security/mask.h"

namespace gridhub::hub {
namespace {

// Hides identifiers that appear outside their own field: a record id that is
// an ID number, an attribute that holds an ID number or a phone. They get
// the same treatment as the field they would reveal.
class Redactor {
 public:
  // A valid 18-digit number of the GB 11643 family (not a passport-like
  // code, which record ids such as "ZF0000169" resemble).
  static bool IsPersonalNumber(const std::string& s) {
    const schema::IdNumber id = schema::NormalizeIdNumber(s);
    return id.valid && !id.HasFlag(schema::kFlagOtherIdentifier);
  }

  explicit Redactor(const security::Grant& grant)
      : id_clear_(grant.Sees(schema::kIdNumber) && !grant.Masks(schema::kIdNumber)),
        phone_clear_(grant.Sees(schema::kPhone) && !grant.Masks(schema::kPhone)) {}

  const std::string& RecordId(const std::string& record_id) {
    if (id_clear_) return record_id;
    auto [it, inserted] = cache_.try_emplace(record_id, record_id);
    if (inserted && IsPersonalNumber(record_id)) {
      it->second = security::MaskValue(schema::kIdNumber, record_id);
    }
    return it->second;
  }

  std::string FreeText(const std::string& value) {
    if (!id_clear_ && IsPersonalNumber(value)) {
      return security::MaskValue(schema::kIdNumber, value);
    }
    if (!phone_clear_ && schema::NormalizePhone(value).valid) {
      return security::MaskValue(schema::kPhone, value);
    }
    return value;
  }

 private:
  bool id_clear_;
  bool phone_clear_;
  std::map<std::string, std::string> cache_;
};

bool Visible(const security::Grant& grant, const std::string& field) {
  return IsAttributeField(field) ? grant.Sees(security::kAttributesField) : grant.Sees(field);
}

// Keeps visible values, masking as granted; returns the filtered list.
std::vector<wire::ProvenancedValue> Filter(const security::Grant& grant, Redactor* redact,
                                           std::vector<wire::ProvenancedValue> values) {
  std::vector<wire::ProvenancedValue> out;
  for (auto& v : values) {
    if (!Visible(grant, v.field)) continue;
    if (IsAttributeField(v.field)) {
      v.value = redact->FreeText(v.value);
    } else if (grant.Masks(v.field)) {
      v.value = security::MaskValue(v.field, v.value);
    }
    v.record_id = redact->RecordId(v.record_id);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

void ApplyGrant(const security::Grant& grant, wire::Resident* r) {
  Redactor redact(grant);
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
  r->values = Filter(grant, &redact, std::move(r->values));
  std::vector<wire::FieldConflict> conflicts;
  for (auto& c : r->conflicts) {
    if (!grant.Sees(c.field)) continue;
    c.values = Filter(grant, &redact, std::move(c.values));
    conflicts.push_back(std::move(c));
  }
  r->conflicts = std::move(conflicts);
  r->__isset.conflicts = !r->conflicts.empty();
  for (auto& ref : r->records) ref.record_id = redact.RecordId(ref.record_id);
  if (grant.Sees(security::kAttributesField)) {
    for (auto& [key, value] : r->attributes) value = redact.FreeText(value);
  } else {
    r->attributes.clear();
    r->__isset.attributes = false;
  }
}

}  // namespace gridhub::hub
