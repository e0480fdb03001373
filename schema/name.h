// schema/name.h: person names.
//
// NFKC, trimmed; spaces between Han characters removed ("张 三" -> "张三");
// traditional characters converted to simplified (ICU "Hant-Hans");
// the minority-name separator unified to "·" (U+00B7) from "•", ".", "・",
// "-", "．" and the like ("买买提.艾力" -> "买买提·艾力"); names written in
// Latin letters lower-cased with single spaces ("Zhang  WEI" -> "zhang wei").
// parts["pinyin"]: the ASCII pinyin key for matching (ICU "Han-Latin;
// Latin-ASCII", lower-case, syllables separated by one space, no separator
// dot): "张三" -> "zhang san"; for Latin names the name itself.
// Invalid: empty, digits or symbols only, invalid UTF-8.
//
// Details: a separator (or a run of them, with spaces around) is kept as
// one "·" only between two name segments and dropped at either end. Han
// characters that are also standard in simplified names (乾, 於, 昇) are not
// converted. Letters of any case are lower-cased, also in mixed names
// ("李 Lily" -> "李 lily"). Digits and symbols among letters are kept (never
// guessed away) and flagged. The pinyin key keeps ASCII letters and digits,
// drops apostrophes, and splits Han syllables from neighbouring characters
// ("张三1" -> "zhang san 1"). Polyphonic characters get ICU's one reading
// (单 -> "dan"), also as a surname.
// Thread-safe.
#ifndef GRIDHUB_SCHEMA_NAME_H_
#define GRIDHUB_SCHEMA_NAME_H_

#include "schema/normalize.h"

namespace gridhub::schema {

// Flags of NormalizeName (besides kFlagNfkc, kFlagInvalidUtf8 and kFlagEmpty).
inline constexpr std::string_view kFlagHanSpacesRemoved = "han_spaces_removed";      // repaired
inline constexpr std::string_view kFlagTraditionalConverted = "traditional_converted";  // repaired
// Repaired: a separator variant replaced by "·", spaces around it removed,
// or a doubled or dangling separator dropped.
inline constexpr std::string_view kFlagSeparatorUnified = "separator_unified";
inline constexpr std::string_view kFlagLatinName = "latin_name";  // Latin letters, no Han
inline constexpr std::string_view kFlagMixedScript = "mixed_script";  // doubt: Han and other letters
// Doubt: digits or symbols among the letters ("张三1", "张三(退休)").
inline constexpr std::string_view kFlagUnexpectedCharacters = "unexpected_characters";
inline constexpr std::string_view kFlagNoLetters = "no_letters";  // invalid: digits/symbols only
// invalid: what exports write for "no name" (无, 不详, 未知, null, N/A, ...)
inline constexpr std::string_view kFlagPlaceholder = "placeholder";

Normalized NormalizeName(std::string_view raw, const NormalizeOptions& options = {});

// Converts traditional Han characters in valid UTF-8 `text` to simplified
// (ICU "Hant-Hans"), keeping 乾, 於 and 昇. Sets *changed when anything was
// converted. Returns `text` unchanged if ICU cannot create the transform.
// Thread-safe (one ICU transform per thread).
std::string ToSimplifiedHan(std::string_view text, bool* changed);

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_NAME_H_
