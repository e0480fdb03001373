#include "schema/address.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "schema/address_parser.h"
#include "schema/id_number.h"

namespace gridhub::schema {
namespace {

using address::kCity;
using address::kCounty;
using address::kLevelCount;
using address::kProvince;
using address::Level;

// Traditional -> simplified for characters common in Chinese addresses, as
// pairs. Only characters that are never simplified ones themselves (ICU's
// Hant-Hans would turn 乾 into 干 and 乾潭镇 into 干潭镇).
constexpr std::u32string_view kTraditional =
    U"縣县區区號号鎮镇鄉乡單单樓楼棟栋門门廣广東东園园灣湾莊庄橋桥嶺岭溝沟龍龙陽阳興兴"
    U"華华臺台豐丰雲云開开發发寧宁蘇苏遼辽貴贵陝陕贛赣閩闽瓊琼澤泽濱滨鳳凤蓮莲環环廠厂"
    U"場场礦矿農农電电學学醫医軍军實实際际體体業业務务線线層层間间戶户組组隊队聯联黃黄"
    U"楊杨葉叶楓枫鳥鸟頭头灘滩島岛嶼屿紅红綠绿藍蓝陳陈馬马長长車车廟庙義义餘余鸕鸬錢钱"
    U"徑径倉仓嚴严齊齐岡冈濟济漢汉廈厦衛卫蘭兰邊边後后裡里裏里麗丽鐵铁關关壩坝圍围員员"
    U"會会歸归勝胜舊旧廬庐寶宝樂乐漁渔鹽盐鐘钟鍾钟魚鱼協协臨临嶽岳巖岩塢坞壽寿營营燈灯"
    U"廳厅陸陆鄭郑羅罗趙赵貝贝葦苇達达運运進进連连遠远選选鄰邻劉刘張张沖冲濤涛潤润"
    U"滬沪蒼苍藝艺銀银錦锦鎖锁閣阁閘闸隴陇雙双雞鸡飛飞館馆驛驿黨党齡龄";
static_assert(kTraditional.size() % 2 == 0);

struct Home {
  std::array<std::u32string, 3> full;   // province, city, county ("" when absent)
  std::array<std::u32string, 3> brief;  // the short forms (浙江, 杭州, 桐庐)
  bool ok = false;                      // a county was found
};

// The short form of a province, city or county name: without its suffix,
// when at least two characters remain.
std::u32string ShortForm(Level level, const std::u32string& name) {
  static constexpr std::pair<std::u32string_view, std::u32string_view> kRegions[] = {
      {U"内蒙古自治区", U"内蒙古"}, {U"广西壮族自治区", U"广西"}, {U"西藏自治区", U"西藏"},
      {U"宁夏回族自治区", U"宁夏"}, {U"新疆维吾尔自治区", U"新疆"}};
  for (const auto& [full, brief] : kRegions) {
    if (name == full) return std::u32string(brief);
  }
  static constexpr std::u32string_view kSuffixes[] = {U"自治州", U"地区", U"省", U"市",
                                                      U"县", U"区", U"旗", U"盟"};
  for (std::u32string_view s : kSuffixes) {
    if (level == kProvince && s != U"省" && s != U"市") continue;
    if (name.ends_with(s) && name.size() >= s.size() + 2) {
      return name.substr(0, name.size() - s.size());
    }
  }
  return U"";
}

// NFKC text with spaces removed (kept only between two ASCII letters or
// digits) and traditional characters converted.
std::u32string Prepare(const std::string& cleaned, bool* spaces, bool* traditional) {
  static const absl::flat_hash_map<char32_t, char32_t> kSimplifiedOf = [] {
    absl::flat_hash_map<char32_t, char32_t> m;
    for (size_t t = 0; t + 1 < kTraditional.size(); t += 2) m.emplace(kTraditional[t], kTraditional[t + 1]);
    return m;
  }();
  const std::u32string in = address::ToUtf32(cleaned);
  auto ascii_alnum = [](char32_t c) {
    return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
  };
  std::u32string out;
  for (size_t i = 0; i < in.size(); ++i) {
    char32_t c = in[i];
    if (c == U' ') {
      if (!out.empty() && i + 1 < in.size() && ascii_alnum(out.back()) && ascii_alnum(in[i + 1])) {
        out += c;
      } else {
        *spaces = true;
      }
      continue;
    }
    if (c >= 0x3400) {  // CJK: the table has no other characters
      if (auto it = kSimplifiedOf.find(c); it != kSimplifiedOf.end()) {
        c = it->second;
        *traditional = true;
      }
    }
    out += c;
  }
  return out;
}

Home ParseHome(const std::string& home_county) {
  Home home;
  bool changed = false, ok = true, ignored = false;
  const std::string cleaned = CleanText(home_county, &changed, &ok);
  if (!ok || cleaned.empty()) return home;
  const address::Parsed p = address::Parse(Prepare(cleaned, &ignored, &ignored), kProvince);
  for (int l = kProvince; l <= kCounty; ++l) {
    home.full[l] = p.parts[l];
    home.brief[l] = ShortForm(static_cast<Level>(l), p.parts[l]);
  }
  home.ok = !home.full[kCounty].empty();
  return home;
}

// Consumes a leading prefix naming the home county's province, city and
// county, each optional, in full or short form. Sets parts[] to the full
// names matched and returns the length consumed; *next is the level to parse
// from.
size_t MatchHomePrefix(std::u32string_view text, const Home& home,
                       std::array<std::u32string, kLevelCount>* parts, Level* next) {
  size_t pos = 0;
  *next = kProvince;
  for (int l = kProvince; l <= kCounty; ++l) {
    const std::u32string_view rest = text.substr(pos);
    size_t len = 0;
    if (!home.full[l].empty() && rest.starts_with(home.full[l])) {
      len = home.full[l].size();
    } else if (!home.brief[l].empty() && rest.starts_with(home.brief[l]) &&
               !address::ContinuesName(rest.substr(home.brief[l].size()))) {
      len = home.brief[l].size();
    }
    if (len == 0) continue;
    (*parts)[l] = home.full[l];
    pos += len;
    *next = static_cast<Level>(l + 1);
  }
  return pos;
}

// The comparison key (see address.h).
std::u32string Key(const address::Parsed& p, bool inside) {
  constexpr Level kKeyLevels[] = {address::kTown, address::kVillage, address::kGroup,
                                  address::kRoad, address::kNumber,  address::kBuilding,
                                  address::kUnit, address::kRoom};
  std::u32string key;
  if (!inside) {  // the most specific of county, city, province
    key = !p.parts[kCounty].empty() ? p.parts[kCounty]
          : !p.parts[kCity].empty() ? p.parts[kCity] : p.parts[kProvince];
    key += U"|";
  }
  for (Level l : kKeyLevels) key += p.parts[l] + U"|";
  return key + p.other;
}

// ParseHome, remembered per thread for the last home county seen.
const Home& CachedHome(const std::string& home_county) {
  thread_local std::string last;
  thread_local Home home;
  if (home_county != last) {
    home = home_county.empty() ? Home{} : ParseHome(home_county);
    last = home_county;
  }
  return home;
}

Normalized NormalizeOnce(std::string_view raw, const NormalizeOptions& options);

}  // namespace

Normalized NormalizeAddress(std::string_view raw, const NormalizeOptions& options) {
  // One pass rewrites parts (numerals, shorthands, spaces) and a rewrite can
  // create context another pass would read differently: repeat until the
  // value is a fixed point (at most three more passes). Flags describe the
  // input as given; parts and key come from the final pass.
  Normalized out = NormalizeOnce(raw, options);
  // A value the first pass left as it was is a fixed point already (a pass
  // over it would be that same first pass again).
  for (int pass = 0; pass < 3 && out.valid && out.value != raw; ++pass) {
    Normalized again = NormalizeOnce(out.value, options);
    if (!again.valid || again.value == out.value) break;
    again.parts["raw"] = std::string(raw);
    for (const auto& flag : out.flags) again.AddFlag(flag);
    std::vector<std::string> flags = std::move(out.flags);
    out = std::move(again);
    // Keep the first pass's flags first, in their order.
    for (const auto& flag : out.flags) {
      if (std::find(flags.begin(), flags.end(), flag) == flags.end()) flags.push_back(flag);
    }
    out.flags = std::move(flags);
  }
  return out;
}

namespace {

Normalized NormalizeOnce(std::string_view raw, const NormalizeOptions& options) {
  Normalized out;
  // Room for every part (raw, the levels, other, key, region_key): the map
  // is a sorted vector (schema/wire_map.h) that would otherwise grow by
  // moving its entries several times.
  out.parts.reserve(address::kLevelNames.size() + 4);
  out.parts["raw"] = std::string(raw);
  bool changed = false, ok = true;
  const std::string cleaned = CleanText(raw, &changed, &ok);
  if (!ok) {
    out.AddFlag(kFlagInvalidUtf8);
    return out;
  }
  if (changed) out.AddFlag(kFlagNfkc);
  if (cleaned.empty()) {
    out.AddFlag(kFlagEmpty);
    return out;
  }
  out.valid = true;
  bool spaces = false, traditional = false;
  const std::u32string text = Prepare(cleaned, &spaces, &traditional);
  if (spaces) out.AddFlag(kFlagSpacesRemoved);
  if (traditional) out.AddFlag(kFlagTraditional);

  const Home& home = CachedHome(options.home_county);
  std::array<std::u32string, kLevelCount> prefix;
  Level next = kProvince;
  const size_t consumed = home.ok ? MatchHomePrefix(text, home, &prefix, &next) : 0;
  address::Parsed p = address::Parse(std::u32string_view(text).substr(consumed), next);
  for (int l = kProvince; l <= kCounty; ++l) {
    if (p.parts[l].empty()) p.parts[l] = prefix[l];
  }
  // Rewriting (5-2-302 -> 5幢2单元302室) can leave a kept space beside a
  // Han character: apply the space rule once more so the value is stable.
  bool respaced = false, unused = false;
  out.value = address::ToUtf8(
      Prepare(address::ToUtf8(text.substr(0, consumed) + p.text), &respaced, &unused));
  if (respaced) out.AddFlag(kFlagSpacesRemoved);
  // Removing a space can bring a combining mark next to its base letter:
  // normalize once more so the value is a fixed point.
  bool renormalized = false, still_ok = true;
  out.value = CleanText(out.value, &renormalized, &still_ok);
  if (p.chinese_numerals) out.AddFlag(kFlagChineseNumerals);
  if (p.shorthand) out.AddFlag(kFlagShorthand);

  bool any_part = false, any_prefix = false, inside = home.ok;
  for (int l = 0; l < kLevelCount; ++l) {
    if (p.parts[l].empty()) continue;
    any_part = true;
    out.parts[std::string(address::kLevelNames[l])] = address::ToUtf8(p.parts[l]);
    if (l > kCounty) continue;
    any_prefix = true;
    if (!home.full[l].empty() && p.parts[l] != home.full[l]) inside = false;
  }
  if (!p.other.empty()) out.parts["other"] = address::ToUtf8(p.other);
  if (!any_part) out.AddFlag(kFlagUnparsed);
  if (home.ok && inside && any_prefix) out.AddFlag(kFlagHomeCountyRemoved);
  if (home.ok && !inside) out.AddFlag(kFlagOutsideHomeCounty);

  out.parts["key"] = address::ToUtf8(Key(p, inside));
  out.parts["region_key"] = address::ToUtf8(p.parts[kProvince] + U"|" + p.parts[kCity] + U"|" +
                                            p.parts[kCounty]);
  return out;
}

}  // namespace
}  // namespace gridhub::schema
