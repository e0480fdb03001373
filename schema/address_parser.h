// schema/address_parser.h: the rule-based parser behind NormalizeAddress
// (schema/address.h). It splits a cleaned Chinese address (valid UTF-8
// decoded to UTF-32, no spaces between Han characters) into administrative
// and street parts by their suffixes, left to right:
//   - a named part is the shortest run of Han characters ending in one of its
//     level's suffixes (县, 镇, 村, 路...) that crosses no other level's
//     suffix character and is not followed by a character that continues it
//     (旧县|街道 is a town, not the county 旧县);
//   - province > city > county > town appear in that order and before the
//     street parts; village and road may come in either order;
//   - numeric parts are Arabic digits or Chinese numerals before 号/幢/栋/座/
//     号楼/单元/室/房/组/队; "5-2-302" is building-unit-room;
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

// True when `rest` starts with a character that would extend the name
// before it (街, 路, 道, 镇, 乡, 村, 区, 县, 市...): "余杭" + "街道".
bool ContinuesName(std::u32string_view rest);

// True for Han ideographs (including 〇).
bool IsHan(char32_t c);

// UTF-8 <-> UTF-32. ToUtf32 expects valid UTF-8 (ill-formed bytes are
// dropped).
std::u32string ToUtf32(std::string_view utf8);
std::string ToUtf8(std::u32string_view text);

}  // namespace gridhub::schema::address

#endif  // GRIDHUB_SCHEMA_ADDRESS_PARSER_H_
