// schema/normalize.h: turning a raw value of any canonical field into its
// canonical form, with flags that explain what was repaired or doubted.
//
// Every normalizer returns a Normalized: the canonical value (or, when the
// value is unusable, the cleaned input for display), whether it is valid,
// flags (stable lower_snake strings: repairs such as "full_width", doubts
// such as "month_only", reasons such as "bad_check_digit"), and derived parts
// (a name's pinyin key, an address's components, the birth date inside an ID
// number). Normalizers never fail and never guess: a value they cannot read
// is invalid with a reason flag.
//
// Per-field contracts are in the field headers: id_number.h, name.h,
// gender.h, birth_date.h, phone.h, address.h, ethnicity.h, grid_code.h,
// other_id.h.
// CrossCheck compares fields of one record (gender and birth date against
// the ID number).
//
// Thread-safe: all functions may be called concurrently (ICU objects are
// per-thread).
#ifndef GRIDHUB_SCHEMA_NORMALIZE_H_
#define GRIDHUB_SCHEMA_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

#include "schema/wire_map.h"

namespace gridhub::schema {

// Flags shared by several normalizers.
inline constexpr std::string_view kFlagNfkc = "nfkc_changed";        // repaired: full-width etc.
inline constexpr std::string_view kFlagInvalidUtf8 = "invalid_utf8";  // invalid
inline constexpr std::string_view kFlagUnrecognized = "unrecognized"; // invalid: not a value of the field
// Cross-field doubts (set by CrossCheck on the field that disagrees).
inline constexpr std::string_view kFlagContradictsIdSex = "contradicts_id_sex";
inline constexpr std::string_view kFlagContradictsIdBirthDate = "contradicts_id_birth_date";

// Bumped whenever a normalizer's output changes for some input, so stored
// records are normalized again when their source is re-imported.
inline constexpr int kNormalizerVersion = 3;

// True for flags that record a repair (the value was fixed and is usable):
// full_width, whitespace, leading_apostrophe, lowercase_x, upgraded_from_15,
// nfkc_changed, separators... False for reasons and doubts.
bool IsRepairFlag(std::string_view flag);

struct NormalizeOptions {
  // Today as YYYYMMDD, for "not in the future" checks. Default: 0 = the
  // system clock.
  int today_yyyymmdd = 0;
  // The home county's full name prefix, e.g. "浙江省杭州市桐庐县". Addresses
  // in it get a comparison key without that prefix. Default: "" (none).
  std::string home_county;
  // The value came from a cell typed as a date or number in a spreadsheet:
  // a number in a date field is a spreadsheet serial day (1900 system).
  // Default: false (text sources).
  bool spreadsheet_number = false;
};

struct Normalized {
  std::string value;  // canonical value; "" when nothing usable
  bool valid = false;
  std::vector<std::string> flags;
  // Derived parts, e.g. {"pinyin": "zhang san"} for a name, {"province":
  // "浙江省", "county": "桐庐县", ...} for an address, {"birth_date": ...,
  // "sex": "1"} for an ID number.
  StringMap parts;

  bool HasFlag(std::string_view flag) const;
  void AddFlag(std::string_view flag);  // once only
};

// Normalizes `raw` as canonical field `field`. Unknown field names (source
// attributes) get the common text repairs of CleanText.
Normalized NormalizeField(std::string_view field, std::string_view raw,
                          const NormalizeOptions& options = {});

// Compares the fields of one record and adds cross-field flags: gender
// against the ID number's sex digit, birth date against the ID number's
// date (a month-only date agrees when the month matches). `fields` maps
// canonical field names to their normalized values.
void CrossCheck(FlatMap<Normalized>* fields);

// NFKC, trim, collapse whitespace runs (including U+3000) to one ASCII space,
// drop control characters. Sets *changed when NFKC or the dropping altered
// the text. Invalid UTF-8 yields "" and
// *ok = false.
std::string CleanText(std::string_view raw, bool* changed, bool* ok);

namespace internal {
// CleanText without its shortcut for plain text (ASCII and CJK ideographs
// that need nothing): every character through ICU. Tests compare the two.
std::string CleanTextIcu(std::string_view raw, bool* changed, bool* ok);
}  // namespace internal

// Today as YYYYMMDD: options.today_yyyymmdd, or the system clock (local time).
int TodayYyyymmdd(const NormalizeOptions& options);

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_NORMALIZE_H_
