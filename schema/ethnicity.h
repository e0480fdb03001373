// schema/ethnicity.h: ethnic group per GB 3304 (56 groups): canonical value
// is the two-digit code ("01" 汉族 ... "56" 基诺族), parts["name"] the full
// name with 族. From the full name (汉族), the name without 族 (汉, 蒙古),
// the code with or without a leading zero (1, 01), full-width digits.
// "97" 其他 and "98" 外国血统中国籍人士 are recognized. Anything else invalid
// ("unrecognized"). Spaces inside are ignored ("汉 族"); traditional
// spellings are converted (漢族, flag "traditional_converted"); also read:
// 其它 (97), 外国血统 (98), the common short forms 蒙族 (02) and 维族 (05),
// and the variant 畬 of 畲 (22). A code is 1 or 2 digits. Flags: kFlagNfkc,
// kFlagTraditionalConverted (name.h), kFlagEmpty, kFlagInvalidUtf8,
// kFlagUnrecognized. Thread-safe.
#ifndef GRIDHUB_SCHEMA_ETHNICITY_H_
#define GRIDHUB_SCHEMA_ETHNICITY_H_

#include "schema/normalize.h"

namespace gridhub::schema {

Normalized NormalizeEthnicity(std::string_view raw, const NormalizeOptions& options = {});

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_ETHNICITY_H_
