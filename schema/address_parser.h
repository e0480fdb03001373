// schema/address_parser.h: the rule-based parser behind NormalizeAddress
// (schema/address.h). It splits a cleaned Chinese address (valid UTF-8
// decoded to UTF-32, no spaces between Han characters) into administrative
// and street parts by their suffixes, left to right:
//   - a named part is the shortest run of Han characters ending in one of its
//     level's suffixes (县, 镇, 村, 路...) that crosses no other level's
//     suffix character after its first (县前街, 市心路, 镇中村 are names;
//     县县, 市市 are not) and is not followed by a suffix that would make the
//     run a lower level's name, unless a level in between starts there
//     (旧县|街道 is a town, 中关村|大街 a road; 平凉市|镇原县 stays split);
//   - a zone (开发区, 园区, 新区, 市区, ...) is never a county: it is "other";
//   - province > city > county > town appear in that order and before the
//     street parts; village and road may come in either order;
//   - numeric parts are Arabic digits or Chinese numerals before 号/幢/栋/座/
//     号楼/单元/室/房/组/队; "5-2-302" is building-unit-room, "5-302" alone
//     building-room; digits ending the text after a unit or building, a room;
//   - anything else is "other".
// Internal to schema/. Thread-safe: pure functions.
#ifndef GRIDHUB_SCHEMA_ADDRESS_PARSER_H_
#define GRIDHUB_SCHEMA_ADDRESS_PARSER_H_

#include <array>
#include <string>
#include <string_view>

namespace gridhub::schema::address {

enum Level : int {
  kProvince, kCity, kCounty, kTown, kVillage, kGroup,
  kRoad, kNumber, kBuilding, kUnit, kRoom, kLevelCount
};

// The parts[] name of each level.
inline constexpr std::array<std::string_view, kLevelCount> kLevelNames = {
    "province", "city", "county", "town", "village", "group",
    "road", "number", "building", "unit", "room"};

struct Parsed {
  std::array<std::u32string, kLevelCount> parts;  // "" when absent
  std::u32string other;  // letters, digits, Han recognised as no part
  std::u32string text;   // the input rewritten: numerals Arabic, shorthand expanded
  bool chinese_numerals = false;  // some Chinese numeral was made Arabic
  bool shorthand = false;         // "5-2-302" was expanded
};

// Parses `text`, looking for no level above `first` (a caller that already
// consumed a province passes kCity). When `first` is kProvince and the
// address opens with a 市 followed by no county, that 市 is the county.
Parsed Parse(std::u32string_view text, Level first);

// True when `rest` starts with a character that could extend the name
// before it (街, 路, 道, 镇, 乡, 村, 区, 县, 市...): "余杭" + "街道". Used
// for home-county short forms and numbers (六房村); named parts look further.
bool ContinuesName(std::u32string_view rest);

// A Chinese digit (〇一二...九, 零, 两) as 0-9, else -1; a unit (十百千) as
// 10/100/1000, else 0.
int ChineseDigit(char32_t c);
int ChineseUnit(char32_t c);

// The Arabic form of a Chinese numeral: positional (二十三, 一百零五, 十二)
// or digit by digit (三〇二). Empty when malformed or ambiguous (一百一).
std::u32string ChineseToArabic(std::u32string_view s);

// Digits without leading zeros ("05" -> "5", "0" stays).
std::u32string StripZeros(std::u32string digits);

// True for Han ideographs (including 〇).
bool IsHan(char32_t c);

// UTF-8 <-> UTF-32. ToUtf32 expects valid UTF-8 (ill-formed bytes are
// dropped). These helpers live in address_text.cc.
std::u32string ToUtf32(std::string_view utf8);
std::string ToUtf8(std::u32string_view text);

}  // namespace gridhub::schema::address

#endif  // GRIDHUB_SCHEMA_ADDRESS_PARSER_H_
