// schema/phone.h: telephone numbers.
// Mobiles: 11 digits starting with 1[3-9] ("13812345678"), from separators
// (spaces, '-', '.', parentheses), "+86"/"86"/"0086" prefixes, full-width
// digits. Landlines: "AREA-NUMBER" with a 3- or 4-digit area code starting
// with 0 and a 7- or 8-digit number ("0571-64123456"), from "057164123456",
// "(0571)64123456", "0571 6412 3456", "+86 571 64123456". An extension
// ("转123", "分机123", "ext 123", "-123" after a full number, "x123", "#123")
// is kept apart in parts["extension"], not in the value. parts["kind"]:
// "mobile" or "landline"; parts["area_code"] for landlines. A number without
// an area code ("64123456") is invalid with flag "missing_area_code";
// anything else invalid ("unrecognized").
//
// Details of the contract:
// - Area codes: "010" and "020"-"029" have 3 digits, "03xx"-"09xx" have 4;
//   other "01x" and "00..." are unrecognized. The local number must not
//   start with 0 or 1.
// - "86" without '+' is a country code only when it stands apart ("86 138
//   1234 5678") or before an 11-digit mobile ("8613812345678"). After a
//   country code the trunk 0 is optional ("+86 571 …", "+86 (0)571 …").
//   Any other country code is unrecognized.
// - A group boundary inside the area code ("057 164123456") is unrecognized.
// - Mobiles have no extensions: "13812345678转1" is unrecognized.
// - Repairs: "nfkc_changed", "leading_apostrophe" (a spreadsheet's text
//   marker), "separators_removed", "country_code_removed", "extension_split".
// - Invalid: "empty", "invalid_utf8", "scientific_notation" ("1.38123E+10":
//   digits were lost), "multiple_numbers" (a list: '/', ',', ';', '、'),
//   "missing_area_code", "placeholder" (the last eight digits one digit
//   repeated: "13800000000", "0571-88888888", a form's filler that
//   strangers share), "unrecognized". An invalid value keeps the cleaned
//   input as its value and only the flags "nfkc_changed" and
//   "leading_apostrophe" besides its reason.
// Thread-safe: pure function.
#ifndef GRIDHUB_SCHEMA_PHONE_H_
#define GRIDHUB_SCHEMA_PHONE_H_

#include <string_view>

#include "schema/name.h"  // kFlagPlaceholder
#include "schema/normalize.h"

namespace gridhub::schema {

// Flags (besides kFlagNfkc, kFlagInvalidUtf8, kFlagUnrecognized, and
// kFlagEmpty / kFlagLeadingApostrophe / kFlagScientific from id_number.h).
inline constexpr std::string_view kFlagCountryCodeRemoved = "country_code_removed";  // repaired
inline constexpr std::string_view kFlagSeparatorsRemoved = "separators_removed";     // repaired
inline constexpr std::string_view kFlagExtensionSplit = "extension_split";           // repaired
inline constexpr std::string_view kFlagMissingAreaCode = "missing_area_code";        // invalid
inline constexpr std::string_view kFlagMultipleNumbers = "multiple_numbers";         // invalid

// Never fails: problems are reported through `valid == false` and flags.
Normalized NormalizePhone(std::string_view raw, const NormalizeOptions& options = {});

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_PHONE_H_
