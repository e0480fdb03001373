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
//     typo: GB 11643's check character catches every single substitution
//     and adjacent swap, so two valid 18-character numbers that differ are
//     different, except when one was upgraded from a 15-digit number (its
//     check character computed from the mistyped digits): then the first 17
//     characters at Damerau distance 1 (one substitution or one adjacent
//     transposition) are a typo, unless the two numbers state different
//     sexes (the parity of the 17th character): consecutive numbers of twins
//     and siblings, different. Typed identifiers (passports, travel
//     permits: schema/id_number.h's "other_identifier") and other lengths:
//     Damerau distance 1 on the whole value.
//   name               exact | homophone | typo | partial | different
//     homophone: same pinyin key (parts["pinyin"], spaces ignored) but a
//     different spelling: 张伟 / 章伟, and Latin / Han spellings of one name
//     ("zhang wei" / 张伟); also the words of a Latin name in another order
//     ("wei zhang" / "zhang wei" / 张伟, "green mitchell" / "mitchell green").
//     typo: Damerau distance 1 on code points (王小明 / 王明, 李明华 /
//     李华明), where one Han character substituted for another must sound
//     alike, pinyin keys within distance 1 (王阳 / 王燕, 陈静 / 陈进); a
//     Latin name against a Han one compares pinyin keys ("zhang wie" /
//     张伟); two Latin names with as many words, or two minority names with
//     as many parts (·), whose parts pair up in some order (in order past
//     six parts), each pair at most one edit per four letters of the
//     shorter apart ("olivia blacwkell" / "oliiva blackwell", "spyke
//     karlen" / "karlsen spyke"). partial: both names Latin, or neither, and
//     one name's parts all pair up that way with parts of the other, which
//     has more ("michaela" / "michaela thrussell", 买买提 / 买买提·艾力); or
//     one Han character substituted by one that does not sound alike: as
//     often a sibling's name (刘岩 / 刘亮, 王建国 / 王建军) as a slip of the
//     pen (张大伟 / 张太伟). The first level that holds wins.
//   birth_date         exact | partial | typo | different
//     partial: one side is month-only ("1980-03") and the other's year and
//     month are equal. typo: dates of the same precision at Damerau distance
//     1 on their digits (one digit differs, or two adjacent digits swapped),
//     or full dates with day and month swapped (1980-03-05 / 1980-05-03).
//     A month-only date against a full one with another year-month is
//     different.
//   gender, ethnicity, grid_code, phone           exact | different
//   other_id           exact | typo | different
//     typo: Damerau distance 1. A generic identifier has no check
//     character: unlike id_number, a difference is no cannot-link.
//   household_address, current_address            exact | typo | partial | different
//     A province, city or county named on both sides differently
//     (parts["region_key"], "province|city|county", slot by slot; a slot
//     empty on either side agrees) is different whatever the rest: 长安区 of
//     西安市 and of 石家庄市. exact: same comparison key (parts["key"]).
//     When either side is unparsed (no part recognised, e.g. an address in
//     Latin letters), the texts are compared by the Dice coefficient of
//     their character bigrams, spaces removed: typo at kAddressTypoDice or
//     more with the same runs of digits in the same order (house number,
//     postcode: "7 wallaby place delmar 2119" / "7 walaby place delmar
//     2119"), partial at kAddressPartialDice or more ("12 main street
//     springfield" / "14 main street springfield"). Otherwise partial: the same
//     town (parts["town"]) and the same road or the same village, the number
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
// partial, different). Empty for a field that is not canonical.
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

// Bigram similarity (Dice) at or above which unparsed addresses are kTypo,
// resp. kPartial (see the header comment).
inline constexpr double kAddressTypoDice = 0.85;
inline constexpr double kAddressPartialDice = 0.6;

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_RESOLVE_COMPARE_H_
