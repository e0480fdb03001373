#include "schema/fields.h"

#include <algorithm>

namespace gridhub::schema {

bool IsCanonicalField(std::string_view name) {
  return std::find(kCanonicalFields.begin(), kCanonicalFields.end(), name) !=
         kCanonicalFields.end();
}

}  // namespace gridhub::schema
