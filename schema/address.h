// schema/address.h: household and current addresses.
//
// The value is the NFKC-cleaned text with these repairs: whitespace removed
// (kept only between two ASCII letters or digits), traditional characters
// common in addresses converted to simplified (縣 -> 县, 號 -> 号, 樓 -> 楼,
// ...; a fixed table, not ICU's Hant-Hans, which would turn 乾潭镇 into
// 干潭镇), Chinese numerals of a number, building, unit, room or group made
// Arabic where unambiguous (三单元 -> 3单元, 十二组 -> 12组; "一百一" is
// left alone), and the "5-2-302" shorthand expanded to 5幢2单元302室. The
// two-part "5-302" is expanded to 5幢302室 only when it stands alone (nothing
// below the county before it, nothing after it but 室; up to 3 digits, then
// at least 3): after a number ("迎春路1号5-302") or as "12-1" it could be a
// house number, and is left as it is.
// parts["raw"] keeps the original text.
//
// The address is parsed by its suffixes into parts, each present only when
// found: "province" (省/自治区, or a municipality 北京市/天津市/上海市/重庆市;
// also the short name of a province or autonomous region followed by a city,
// 广西南宁市 or 浙江杭州市, stored in full: 广西壮族自治区, 浙江省), "city"
// (市/地区/自治州/盟), "county" (县/区/市/旗; a second 市 after a city is a
// county-level city; a 市 that opens the address with no province and no
// county after it, as in 建德市大慈岩镇 or 杭州市市民中心, is taken as the
// county; a zone is never a county but "other": 小区/社区/园区/开发区/工业区/
// 新区/城区/市区/高新区, though 浦东新区 is a county), "town" (镇/乡/街道),
// "village" (村/社区/居委会/小区/花园/家园/公寓/大厦/苑), "road" (路/街/大街/
// 大道/巷/弄/胡同; "123弄" after a road is appended to it), "number" (the
// digits of 号, e.g. "288" or "12-1"), "building" (幢/栋/座/号楼: "5", or a
// letter "A"), "unit" (单元), "room" (室/房, or bare digits ending the
// address right after the unit or building: 5幢302 = 5幢302室), "group"
// (组/队: "7"). Numeric parts are Arabic digits without leading zeros.
// "other": letters, digits and Han characters recognised as no part
// (punctuation dropped). A name may begin with a suffix character (县前街,
// 市心路, 村口村, 镇中村, 镇原县, 市中区) but is not that character alone
// (县县, 市市); a name ends at the first suffix unless what follows would make
// a lower level of it (旧县街道 is a town, 中关村大街 a road, 新市镇 a town)
// and no level in between starts there (平凉市|镇原县).
//
// The home county (options.home_county, e.g. "浙江省杭州市桐庐县") is parsed
// with the same parser. A leading prefix naming it in full or short form
// ("浙江省杭州市桐庐县", "杭州市桐庐县", "桐庐县", "浙江杭州桐庐") is
// recognised; a short form followed by a suffix (余杭街道 for 余杭区) is not.
// The address is in the home county when each of its province, city and
// county that is present equals the home county's (a missing one agrees).
//
// parts["key"], the comparison key, is the slots
//   town|village|group|road|number|building|unit|room|other
// (empty slots kept, so always 9 slots) for an address in the home county,
// so, with home county 浙江省杭州市桐庐县, "浙江省杭州市桐庐县城南街道迎春路1号",
// "浙江杭州桐庐城南街道迎春路1号" and "城南街道迎春路1号" all have the key
// "城南街道|||迎春路|1||||". For an address outside the home county, or when
// there is no home county, the most specific of county, city and province
// that the address names comes first ("余杭区|仁和街道|||建设街|230||||",
// 10 slots; "|" + the 9 slots when it names none): sources often drop the
// province and city, and a county with its town and street is specific
// enough, so "浙江省杭州市余杭区…" and "余杭区…" compare equal too.
//
// The key alone cannot tell 河北省石家庄市长安区… from 陕西省西安市长安区…
// (both "长安区|…"): parts["region_key"] is "province|city|county" as the
// address names them ("河北省|石家庄市|长安区", "|杭州市|余杭区", "||" when none;
// short forms in full, home-county prefixes as matched, nothing filled in).
// A matcher comparing keys must also compare region_key slot by slot, a slot
// empty on either side agreeing: so "浙江省杭州市余杭区…" and "余杭区…" still
// match, the two 长安区 do not. (Putting the city into the key instead would
// make the common city-less spelling miss its full form.)
//
// Invalid only when empty or invalid UTF-8. Thread-safe.
#ifndef GRIDHUB_SCHEMA_ADDRESS_H_
#define GRIDHUB_SCHEMA_ADDRESS_H_

#include <string_view>

#include "schema/normalize.h"

namespace gridhub::schema {

// Flags (besides kFlagNfkc, kFlagInvalidUtf8 and kFlagEmpty).
inline constexpr std::string_view kFlagSpacesRemoved = "spaces_removed";  // repaired
inline constexpr std::string_view kFlagTraditional = "traditional_converted";  // repaired
inline constexpr std::string_view kFlagChineseNumerals = "chinese_numerals";  // repaired
inline constexpr std::string_view kFlagShorthand = "shorthand_expanded";  // 5-2-302
// The address named the home county, so the key was computed without it.
inline constexpr std::string_view kFlagHomeCountyRemoved = "home_county_removed";
// A home county is set and the address's province, city or county differs.
inline constexpr std::string_view kFlagOutsideHomeCounty = "outside_home_county";
// Nothing recognised as any part: the key holds only "other" (still valid).
inline constexpr std::string_view kFlagUnparsed = "unparsed";

Normalized NormalizeAddress(std::string_view raw, const NormalizeOptions& options = {});

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_ADDRESS_H_
