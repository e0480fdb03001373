// schema/fields.h: the canonical field names of a resident record.
//
// Every layer (mapping, normalizers, store, policy, CLI) speaks these names.
// Columns of a source that map to none of them are kept as attributes.
// Thread-safe: constant data only.
#ifndef GRIDHUB_SCHEMA_FIELDS_H_
#define GRIDHUB_SCHEMA_FIELDS_H_

#include <array>
#include <string_view>

namespace gridhub::schema {

inline constexpr std::string_view kIdNumber = "id_number";
inline constexpr std::string_view kName = "name";
inline constexpr std::string_view kGender = "gender";
inline constexpr std::string_view kBirthDate = "birth_date";
inline constexpr std::string_view kPhone = "phone";
inline constexpr std::string_view kHouseholdAddress = "household_address";
inline constexpr std::string_view kCurrentAddress = "current_address";
inline constexpr std::string_view kGridCode = "grid_code";
inline constexpr std::string_view kEthnicity = "ethnicity";
// A person's identifier other than the GB 11643 ID number (schema/other_id.h).
inline constexpr std::string_view kOtherId = "other_id";

// All canonical fields, in display order.
inline constexpr std::array<std::string_view, 10> kCanonicalFields = {
    kIdNumber,         kName,           kGender,   kBirthDate, kPhone,
    kHouseholdAddress, kCurrentAddress, kGridCode, kEthnicity, kOtherId};

// True if `name` is one of kCanonicalFields (exact, case-sensitive).
bool IsCanonicalField(std::string_view name);

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_FIELDS_H_
