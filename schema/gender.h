// schema/gender.h: sex as GB/T 2261.1 codes: "1" male, "2" female.
// From 男, 女, 男性, 女性, 1, 2, M, F, male, female (any case, full-width).
// Also "0"/"未知" (unknown) and "9"/"未说明" (unstated) are recognized and
// invalid with flag "unknown_gender". Anything else invalid ("unrecognized").
// GB/T 2261.1's own labels 未知的性别 / 未说明的性别 (and traditional 未說明)
// count as 0 / 9. Only trimming and NFKC are applied ("男 性" is not read).
// Flags: kFlagNfkc, kFlagEmpty, kFlagInvalidUtf8, kFlagUnrecognized,
// kFlagUnknownGender. parts: none. Thread-safe.
#ifndef GRIDHUB_SCHEMA_GENDER_H_
#define GRIDHUB_SCHEMA_GENDER_H_

#include "schema/normalize.h"

namespace gridhub::schema {

// Invalid: the value says the sex is unknown or unstated (GB/T 2261.1 0, 9).
inline constexpr std::string_view kFlagUnknownGender = "unknown_gender";

Normalized NormalizeGender(std::string_view raw, const NormalizeOptions& options = {});

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_GENDER_H_
