// schema/id_number.h: the GB 11643 citizen identity number normalizer.
//
// A resident identity number has 18 characters: a 6-digit region code, an
// 8-digit birth date (YYYYMMDD), a 3-digit sequence whose last digit is odd
// for men and even for women, and a check character (0-9 or X) computed with
// ISO 7064 MOD 11-2. Numbers issued before 1999 have 15 digits (2-digit year,
// no check character); they are upgraded to 18 by inserting "19" and
// computing the check character.
//
// NormalizeIdNumber repairs what exports typically do to the value (full-width
// digits, spaces and dashes inside, a leading apostrophe that a spreadsheet
// adds to keep text, a lower-case x) and reports each repair as a flag. It
// never guesses: a value in spreadsheet scientific notation ("3.30122E+17")
// has lost digits and is reported invalid with flag "scientific_notation";
// so is an 18-digit number read from a numeric spreadsheet cell.
//
// The region code must have been in force, per the GB/T 2260 history
// (schema/regions.h), at some time between the holder's birth (or 1984, when
// numbers were first issued) and today: an unknown province is "bad_region"
// and a code retired before that is "region_not_in_force" (both invalid); a
// code missing from the table under a known province is only a doubt
// ("region_unknown"). Residence permits of Hong Kong, Macao and Taiwan
// residents (prefixes 810000/820000/830000) and the 18-digit foreign permanent
// residence card (leading 9) follow the same layout and check character and
// are typed accordingly. Passports ("E12345678"), mainland travel permits for
// Hong Kong and Macao residents ("H12345678") and the old 15-character foreign
// permanent residence card ("USA110091205001") are kept as typed identifiers
// (flag "other_identifier").
//
// Thread-safe: pure functions.
//
// Example:
//   IdNumber id = NormalizeIdNumber("'11010519491231002x");
//   // id.value == "11010519491231002X", id.valid, id.flags has
//   // "leading_apostrophe" and "lowercase_x"; id.birth_date == "1949-12-31".
#ifndef GRIDHUB_SCHEMA_ID_NUMBER_H_
#define GRIDHUB_SCHEMA_ID_NUMBER_H_

#include <string>
#include <string_view>
#include <vector>

namespace gridhub::schema {

// Flags (stable strings: stored with values and shown to stewards).
inline constexpr std::string_view kFlagFullWidth = "full_width";          // repaired
inline constexpr std::string_view kFlagWhitespace = "whitespace";         // repaired
inline constexpr std::string_view kFlagSeparators = "separators";         // '-' removed
inline constexpr std::string_view kFlagLeadingApostrophe = "leading_apostrophe";
inline constexpr std::string_view kFlagLowercaseX = "lowercase_x";        // repaired
inline constexpr std::string_view kFlagUpgraded15 = "upgraded_from_15";   // repaired
inline constexpr std::string_view kFlagScientific = "scientific_notation"; // invalid
inline constexpr std::string_view kFlagBadLength = "bad_length";          // invalid
inline constexpr std::string_view kFlagBadCharacter = "bad_character";    // invalid
inline constexpr std::string_view kFlagBadCheckDigit = "bad_check_digit"; // invalid
inline constexpr std::string_view kFlagBadBirthDate = "bad_birth_date";   // invalid
inline constexpr std::string_view kFlagFutureBirthDate = "future_birth_date"; // invalid
inline constexpr std::string_view kFlagEmpty = "empty";                   // invalid
inline constexpr std::string_view kFlagBadRegion = "bad_region";          // invalid: no such province
inline constexpr std::string_view kFlagRegionNotInForce = "region_not_in_force";  // invalid
inline constexpr std::string_view kFlagRegionUnknown = "region_unknown";  // doubt: code not in GB/T 2260
inline constexpr std::string_view kFlagSpreadsheetNumber = "spreadsheet_number";  // invalid if > 15 digits
inline constexpr std::string_view kFlagOtherIdentifier = "other_identifier";  // not a GB 11643 number

// Identifier types (IdNumber::type).
inline constexpr std::string_view kTypeResidentId = "resident_id";            // GB 11643
inline constexpr std::string_view kTypeHmtResidencePermit = "hmt_residence_permit";  // 81/82/83 0000
inline constexpr std::string_view kTypeForeignPermanent = "foreign_permanent_residence";
inline constexpr std::string_view kTypePassport = "passport";
inline constexpr std::string_view kTypeHkMacauPermit = "hk_macau_permit";     // 港澳居民来往内地通行证

enum class Sex { kUnknown = 0, kMale = 1, kFemale = 2 };  // GB/T 2261.1 codes

struct IdNumber {
  // Canonical 18-character form (upper-case X) when it could be formed;
  // otherwise the cleaned input (for display and quarantine).
  std::string value;
  bool valid = false;
  std::vector<std::string> flags;  // repairs and reasons, in the order found
  std::string birth_date;          // "YYYY-MM-DD" when the date part is valid
  Sex sex = Sex::kUnknown;         // from the sequence digit when valid
  std::string region_code;         // first 6 digits when present
  std::string type;                // kType*, "" when unrecognized

  bool HasFlag(std::string_view flag) const;
};

// Options for NormalizeIdNumber. Defaults are right for production.
struct IdNumberOptions {
  // Today's date as YYYYMMDD, for the "not in the future" check.
  // Default: 0 means "use the system clock".
  int today_yyyymmdd = 0;
  // The value came from a spreadsheet cell typed as a number: a double keeps
  // only 15 significant digits, so an 18-digit number is destroyed.
  // Default: false.
  bool spreadsheet_number = false;
};

// Normalizes one raw value. Never fails: problems are reported through
// `valid == false` and `flags`. Accepts UTF-8 input; invalid UTF-8 yields
// flag "bad_character".
IdNumber NormalizeIdNumber(std::string_view raw, const IdNumberOptions& options = {});

// The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of the first 17
// digits of `first17`. Precondition: first17.size() >= 17 and all digits.
char IdCheckCharacter(std::string_view first17);

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_ID_NUMBER_H_
