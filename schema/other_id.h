// schema/other_id.h: a generic identifier of a person other than the GB 11643
// ID number: a membership, social-security, case or another system's person
// number (FEBRL's soc_sec_id is one). It carries no check character, so a
// typo in it cannot be told from another person's number: matching treats a
// difference as weak evidence, never as a cannot-link (hub/resolve/compare.h).
//
// Canonical form: ASCII letters (upper-case) and digits, separators removed
// ("ab-12 345" -> "AB12345"), full-width characters folded: the cleaning of
// grid codes (schema/grid_code.h NormalizeCode), with '/' as a separator too.
// Repairs, each flagged: full-width (kFlagNfkc "nfkc_changed"), spaces
// (kFlagWhitespace "whitespace"), '-', '_', '.', '/' (kFlagSeparators
// "separators"), lower-case letters (kFlagLowercase "lowercase"), a leading
// apostrophe a spreadsheet added (kFlagLeadingApostrophe), a spreadsheet's
// ".0" after a number of 4 or more digits (kFlagDecimalSuffix).
// Invalid: empty (kFlagEmpty, also when only separators); scientific
// notation (kFlagScientific: digits are lost); a number cell of more than 15
// digits (kFlagSpreadsheetNumber: a spreadsheet rounded it); anything but
// ASCII letters, digits and separators (kFlagBadCharacter); fewer than 4 or
// more than 32 characters (kFlagBadLength); no digit at all, or one
// character repeated ("NONE", "0000000": kFlagPlaceholder "placeholder").
// The value of an invalid identifier is the cleaned text (the code, for the
// last three reasons), for display.
// Thread-safe.
#ifndef GRIDHUB_SCHEMA_OTHER_ID_H_
#define GRIDHUB_SCHEMA_OTHER_ID_H_

#include <string_view>

#include "schema/normalize.h"

namespace gridhub::schema {

Normalized NormalizeOtherId(std::string_view raw, const NormalizeOptions& options = {});

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_OTHER_ID_H_
