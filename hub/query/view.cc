#include "hub/query/view.h"

#include <algorithm>
#include <map>

#include "gridhub_types.h"
#include "hub/resolve/golden.h"
#include "schema/fields.h"
#include "security/mask.h"

namespace gridhub::hub {
namespace {

// Hides identifiers that appear outside their own field: in record ids,
// attributes, free text of other fields (an address with a phone in it), raw
// quarantined rows. Any run of digits shaped like an ID number (15-18 digits,
// a trailing X allowed) or a phone (11 digits from 1[3-9], or 10-12 from 0;
// single dashes or spaces inside) is treated as that field: shown in clear,
// masked, or hidden ('*' for every character) as the grant says for it.
// Shape, not validity, decides: a mistyped ID number is still personal data.
class Redactor {
 public:
  explicit Redactor(const security::Grant& grant) : grant_(grant) {}

  std::string Text(const std::string& text) {
    if (Clear(schema::kIdNumber) && Clear(schema::kPhone)) return text;
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
      if (!IsDigit(text[i])) {
        out.push_back(text[i++]);
        continue;
      }
      // A run of digits with single '-' or ' ' between digits, maybe a final X.
      size_t j = i;
      std::string digits;
      while (j < text.size()) {
        if (IsDigit(text[j])) {
          digits.push_back(text[j++]);
        } else if ((text[j] == '-' || text[j] == ' ') && j + 1 < text.size() && IsDigit(text[j + 1])) {
          ++j;
        } else {
          break;
        }
      }
      if (j < text.size() && (text[j] == 'X' || text[j] == 'x') && digits.size() == 17) {
        digits.push_back('X');
        ++j;
      }
      const std::string run = text.substr(i, j - i);
      out += Redact(run, digits);
      i = j;
    }
    return out;
  }

 private:
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  bool Clear(std::string_view field) const { return grant_.Sees(field) && !grant_.Masks(field); }

  std::string Redact(const std::string& run, const std::string& digits) const {
    std::string_view field;
    if (digits.size() >= 15 && digits.size() <= 18) {
      field = schema::kIdNumber;
    } else if ((digits.size() == 11 && digits[0] == '1' && digits[1] >= '3') ||
               (digits.size() >= 10 && digits.size() <= 12 && digits[0] == '0')) {
      field = schema::kPhone;
    } else {
      return run;
    }
    if (Clear(field)) return run;
    if (grant_.Sees(field)) return security::MaskValue(field, digits);
    return std::string(digits.size(), '*');
  }

  const security::Grant& grant_;
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
    if (grant.Masks(v.field)) {
      v.value = security::MaskValue(v.field, v.value);
    } else if (v.field != schema::kIdNumber && v.field != schema::kPhone) {
      v.value = redact->Text(v.value);  // attributes and free text
    }
    v.record_id = redact->Text(v.record_id);
    // Comparison keys and parts repeat the value unmasked: never shown.
    v.match_key.clear();
    v.__isset.match_key = false;
    v.parts.clear();
    v.__isset.parts = false;
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
    } else if (it->first != schema::kIdNumber && it->first != schema::kPhone) {
      it->second = redact.Text(it->second);
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
  for (auto& ref : r->records) ref.record_id = redact.Text(ref.record_id);
  for (auto& event : r->history) {
    for (auto& ref : event.records) ref.record_id = redact.Text(ref.record_id);
  }
  if (grant.Sees(security::kAttributesField)) {
    for (auto& [key, value] : r->attributes) value = redact.Text(value);
  } else {
    r->attributes.clear();
    r->__isset.attributes = false;
  }
}

void ApplyGrant(const security::Grant& grant, wire::QuarantineEntry* entry) {
  Redactor redact(grant);
  if (entry->__isset.record_id) entry->record_id = redact.Text(entry->record_id);
  if (entry->__isset.raw) entry->raw = redact.Text(entry->raw);
  if (entry->__isset.record) {
    wire::SourceRecord& rec = entry->record;
    rec.record_id = redact.Text(rec.record_id);
    for (auto it = rec.fields.begin(); it != rec.fields.end();) {
      if (!grant.Sees(it->first)) {
        it = rec.fields.erase(it);
        continue;
      }
      it->second = grant.Masks(it->first) ? security::MaskValue(it->first, it->second)
                                          : redact.Text(it->second);
      ++it;
    }
    if (grant.Sees(security::kAttributesField)) {
      for (auto& [column, value] : rec.attributes) value = redact.Text(value);
    } else {
      rec.attributes.clear();
      rec.__isset.attributes = false;
    }
  }
}

}  // namespace gridhub::hub
