// hub/resolve/compare.h: field-by-field comparison of two source records,
// the first half of Fellegi-Sunter scoring (model.h turns levels into
// weights).
//
// CompareRecords gives, for every canonical field (schema/fields.h), the
// comparison level of the two records' values. Only valid values are
// compared: a value that is absent or invalid on either side is kMissing,
// which the model treats as no evidence either way. The levels per field:
//
//   id_number          exact | typo | different
//     typo: the first 17 characters (number without its check character,
//     which is derived from them) are at Damerau distance 1: one
//     substitution or one adjacent transposition. GB 11643's check
//     character catches every such error, so two valid 18-character numbers
//     can only be a typo apart when one was upgraded from a 15-digit number
//     (its check character computed from the mistyped digits). Identifiers
//     of another length (passports): Damerau distance 1 on the whole value.
//   name               exact | homophone | typo | different
//     homophone: same pinyin key (parts["pinyin"], spaces ignored) but a
//     different spelling: 张伟 / 章伟, and Latin / Han spellings of one name
//     ("zhang wei" / 张伟). typo: Damerau distance 1 on code points (张三 /
//     张山, 王小明 / 王明); a Latin name against a Han one compares pinyin
//     keys ("zhang wie" / 张伟). Homophone wins over typo.
//   birth_date         exact | partial | typo | different
//     partial: one side is month-only ("1980-03") and the other's year and
//     month are equal. typo: dates of the same precision at Damerau distance
//     1 on their digits (one digit differs, or two adjacent digits swapped),
//     or full dates with day and month swapped (1980-03-05 / 1980-05-03).
//     A month-only date against a full one with another year-month is
//     different.
//   gender, ethnicity, grid_code, phone           exact | different
//   household_address, current_address            exact | partial | different
//     exact: same comparison key (parts["key"]). partial: the same town
//     (parts["town"]) and the same road or the same village, the number
//     aside. A town, county, city or province named on one side only does
//     not disagree, one named differently on both sides does, and at least
//     one side must name the town (so "城南街道迎春路1号" and
//     "桐庐县城南街道迎春路5号" are partial, "迎春路1号" and "迎春路5号"
//     different: a road name recurs across towns). Household and current
//     addresses are compared each with its own kind, never cross-wise.
//
// Thread-safe: pure functions over their arguments.
//
// Example:
//   for (const FieldComparison& c : CompareRecords(police_rec, grid_rec)) {
//     // c.field == "name", c.level == Level::kHomophone, ...
//   }
#ifndef GRIDHUB_HUB_RESOLVE_COMPARE_H_
#define GRIDHUB_HUB_RESOLVE_COMPARE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gridhub::wire {
class StoredRecord;
}  // namespace gridhub::wire

namespace gridhub::hub {

// A comparison level. Its stored spelling (LevelName) is the `level` string
// of wire::LevelProbability. Declared from most to least similar.
enum class Level {
  kExact,
  kHomophone,
  kTypo,
  kPartial,
  kDifferent,
  kMissing,  // absent or invalid on either side: no evidence
};

// "exact", "homophone", "typo", "partial", "different", "missing".
std::string_view LevelName(Level level);

// The level spelled `name` (as LevelName), or nullopt for anything else.
std::optional<Level> ParseLevel(std::string_view name);

// The informative levels CompareRecords can give canonical field `field`,
// most similar first, without kMissing (e.g. name: exact, homophone, typo,
// different). Empty for a field that is not canonical.
const std::vector<Level>& FieldLevels(std::string_view field);

// The level of one canonical field for one pair of records.
struct FieldComparison {
  std::string field;  // canonical field name (schema/fields.h)
  Level level = Level::kMissing;
  // For kExact: the shared normalized value (the key of term-frequency
  // adjustment, model.h). Empty for the other levels.
  std::string value;
};

// Compares every canonical field of `a` and `b`: one entry per field, in
// the order of schema::kCanonicalFields. Never fails; fields the records
// lack are kMissing. Symmetric: CompareRecords(a, b) and CompareRecords(b, a)
// give the same levels.
std::vector<FieldComparison> CompareRecords(const wire::StoredRecord& a,
                                            const wire::StoredRecord& b);

// The restricted Damerau-Levenshtein (optimal string alignment) distance:
// the fewest insertions, deletions, substitutions and swaps of two adjacent
// characters that turn `a` into `b`, no substring edited twice. Code points
// are compared, so "张伟" / "伟张" is 1.
int DamerauDistance(std::u32string_view a, std::u32string_view b);

// The code points of valid UTF-8 `text` (an invalid sequence yields U+FFFD).
std::u32string CodePoints(std::string_view text);

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_RESOLVE_COMPARE_H_
