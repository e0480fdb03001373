// schema/normalize.h: one entry point that normalizes a value of any
// canonical field.
//
// id_number goes through the GB 11643 normalizer (schema/id_number.h). The
// other fields get the common text repairs every source needs: Unicode NFKC
// (full-width digits and letters to ASCII), trimming, and runs of whitespace
// collapsed to one space. Field-specific normalizers for names, dates,
// phones and addresses replace that common path field by field.
//
// Thread-safe: the ICU normalizer instance is immutable and shared.
#ifndef GRIDHUB_SCHEMA_NORMALIZE_H_
#define GRIDHUB_SCHEMA_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

namespace gridhub::schema {

inline constexpr std::string_view kFlagNfkc = "nfkc_changed";  // text repaired by NFKC
inline constexpr std::string_view kFlagInvalidUtf8 = "invalid_utf8";

struct Normalized {
  std::string value;  // canonical value ("" when nothing usable)
  bool valid = false;
  std::vector<std::string> flags;
};

// Normalizes `raw` as canonical field `field`. Unknown field names get the
// common text repairs. An empty (after trimming) value is invalid with flag
// "empty".
Normalized NormalizeField(std::string_view field, std::string_view raw);

// NFKC, trim, collapse whitespace runs (including U+3000) to one ASCII space.
// Sets *changed when NFKC altered the text. Invalid UTF-8 yields "" and
// *ok = false.
std::string CleanText(std::string_view raw, bool* changed, bool* ok);

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_NORMALIZE_H_
