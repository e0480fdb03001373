#include "schema/address_parser.h"

#include <unicode/uchar.h>

#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace gridhub::schema::address {
namespace {

using Sv = std::u32string_view;

// How a named (Han) level is recognised.
struct NamedRule {
  Level level;
  std::vector<Sv> suffixes;  // at one name end, the longest is tried first
  size_t min_name;
  size_t max_name;
  Sv barrier;        // characters not allowed in the name after its first one
  Sv first_barrier;  // characters not allowed as its first one (镇原县, 市中区,
                     // 路桥区, 县前街, 村口村, 市心路 are names)
  Sv own;            // its one-character suffixes: never a one-character name (县县, 市区)
  Sv soft;           // barrier characters allowed right before the suffix (新区大道, 菜市街)
};

// In level order; entries kProvince..kVillage are indexed by their Level.
const std::vector<NamedRule>& NamedRules() {
  static const auto* rules = new std::vector<NamedRule>{
      {kProvince, {U"自治区", U"省"}, 2, 7, U"省市县区镇乡村路街号", U"省市县区镇乡村路街号", U"省"},
      {kCity, {U"自治州", U"地区", U"市", U"盟"}, 2, 9, U"省市县区镇乡村路街号",
       U"省市县区乡村路街号", U"市盟"},
      {kCounty, {U"县", U"区", U"市", U"旗"}, 1, 10, U"省市县区镇乡村路街号", U"省县区村街号",
       U"县区市旗"},
      {kTown, {U"街道", U"镇", U"乡"}, 1, 8, U"省区路街号组", U"省街号组", U"镇乡", U"区"},
      {kVillage, {U"居委会", U"社区", U"小区", U"花园", U"家园", U"公寓", U"大厦",
                  U"村", U"苑"}, 1, 8, U"省县区镇乡路街号组", U"省号组", U"村苑", U"区"},
      {kRoad, {U"胡同", U"大道", U"大街", U"路", U"街", U"巷", U"弄"}, 1, 10, U"省县镇乡区市",
       U"区", U"路街巷弄", U"区市"},
  };
  return *rules;
}

constexpr Sv kMunicipalities[] = {U"北京市", U"天津市", U"上海市", U"重庆市"};
// Provinces and autonomous regions by their short names, recognised when a
// city follows (广西南宁市, 浙江杭州市; not 浙江大学, not 吉林市).
constexpr std::pair<Sv, Sv> kProvinces[] = {
    {U"河北", U"河北省"},   {U"山西", U"山西省"},     {U"辽宁", U"辽宁省"},
    {U"吉林", U"吉林省"},   {U"黑龙江", U"黑龙江省"}, {U"江苏", U"江苏省"},
    {U"浙江", U"浙江省"},   {U"安徽", U"安徽省"},     {U"福建", U"福建省"},
    {U"江西", U"江西省"},   {U"山东", U"山东省"},     {U"河南", U"河南省"},
    {U"湖北", U"湖北省"},   {U"湖南", U"湖南省"},     {U"广东", U"广东省"},
    {U"海南", U"海南省"},   {U"四川", U"四川省"},     {U"贵州", U"贵州省"},
    {U"云南", U"云南省"},   {U"陕西", U"陕西省"},     {U"甘肃", U"甘肃省"},
    {U"青海", U"青海省"},   {U"台湾", U"台湾省"},     {U"内蒙古", U"内蒙古自治区"},
    {U"广西", U"广西壮族自治区"}, {U"西藏", U"西藏自治区"}, {U"宁夏", U"宁夏回族自治区"},
    {U"新疆", U"新疆维吾尔自治区"}};
// A 区 after one of these is an estate or a zone, not a county; so are 新区,
// 城区, 市区 and 高新区 (浦东新区 is a county).
constexpr Sv kEstateBeforeQu = U"小社园校景片厂发业";
constexpr Sv kZoneNames = U"新城市";
// Characters that may continue the name before them (余杭|街道): checked
// after numbers (六房村) and home-county short forms.
constexpr Sv kContinuations = U"街路道巷弄镇乡村区县市场委段";
// After a named part's suffix these make a word: 街道, 市场, 村委, 路段.
constexpr Sv kWordAfterSuffix = U"道场委段";

// Numeric suffixes, longest first, and the level each one gives.
struct NumericSuffix {
  Sv suffix;
  Level level;
};
constexpr NumericSuffix kNumericSuffixes[] = {
    {U"号楼", kBuilding}, {U"单元", kUnit}, {U"幢", kBuilding}, {U"栋", kBuilding},
    {U"座", kBuilding},   {U"号", kNumber}, {U"室", kRoom},     {U"房", kRoom},
    {U"组", kGroup},      {U"队", kGroup},  {U"弄", kRoad},     {U"巷", kRoad}};
// After 号 these make a road name (一号路) or something else, not a number.
constexpr Sv kNotAfterNumber = U"路街巷弄桥院线";

constexpr size_t kMaxDigits = 24;

bool Contains(Sv set, char32_t c) { return set.find(c) != Sv::npos; }
bool IsAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool IsAsciiLetter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }
bool IsDash(char32_t c) { return c == U'-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212; }

class Parser {
 public:
  Parser(Sv text, Level first) : t_(text), first_(first), admin_floor_(first) {}

  Parsed Run() {
    while (pos_ < t_.size()) {
      if (Shorthand() || Numeric() || TrailingRoom() || Named() || ZoneOther()) continue;
      // Recognised as nothing: one character, or a whole run of digits (no
      // part starts inside one, and rescanning it would be quadratic).
      size_t end = pos_ + 1;
      while (IsAsciiDigit(t_[pos_]) && end < t_.size() && IsAsciiDigit(t_[end])) ++end;
      for (; pos_ < end; ++pos_) {
        const char32_t c = t_[pos_];
        out_.text += c;
        if (IsHan(c) || u_isalnum(static_cast<UChar32>(c))) out_.other += c;
      }
    }
    auto& p = out_.parts;
    if (first_ == kProvince && p[kProvince].empty() && p[kCounty].empty() &&
        !p[kCity].empty() && p[kCity].back() == U'市') {
      p[kCounty] = std::move(p[kCity]);
      p[kCity].clear();
    }
    return std::move(out_);
  }

 private:
  char32_t At(size_t i) const { return i < t_.size() ? t_[i] : 0; }
  bool StartsWith(size_t i, Sv s) const { return i <= t_.size() && t_.substr(i).starts_with(s); }

  void Take(Level level, std::u32string part, Sv emitted, size_t end) {
    out_.parts[level] = std::move(part);
    out_.text += emitted;
    pos_ = end;
    last_ = level;
    admin_floor_ = level <= kTown ? level + 1 : kVillage;
  }

  bool NumericSuffixAt(size_t i) const {
    for (const NumericSuffix& s : kNumericSuffixes) {
      if (StartsWith(i, s.suffix)) return true;
    }
    return false;
  }

  // 5-2-302 (optionally followed by 室): building 5, unit 2, room 302. And,
  // conservatively, 5-302 alone (nothing below the county before it, nothing
  // after it): building 5, room 302 (up to 3 digits, then at least 3).
  bool Shorthand() {
    if (!out_.parts[kBuilding].empty() || !out_.parts[kUnit].empty() ||
        !out_.parts[kRoom].empty() || !IsAsciiDigit(At(pos_))) {
      return false;
    }
    std::u32string groups[3];
    size_t i = pos_;
    int count = 0;
    for (; count < 3; ++count) {
      if (count > 0 && !(IsDash(At(i)) && IsAsciiDigit(At(i + 1)))) break;
      if (count > 0) ++i;
      while (IsAsciiDigit(At(i)) && groups[count].size() <= kMaxDigits) groups[count] += t_[i++];
    }
    if (count < 2 || IsAsciiDigit(At(i)) || IsDash(At(i))) return false;
    if (At(i) == U'室') {
      ++i;
    } else if (NumericSuffixAt(i)) {
      return false;  // 12-1-3号 is a number
    }
    if (count == 2) {
      bool alone = out_.other.empty() && i == t_.size() && groups[0].size() <= 3 &&
                   groups[1].size() >= 3;
      for (int l = kTown; l < kLevelCount; ++l) alone &= out_.parts[l].empty();
      if (!alone) return false;
    }
    out_.shorthand = true;
    Take(kBuilding, StripZeros(groups[0]), groups[0] + U"幢", i);
    if (count == 3) Take(kUnit, StripZeros(groups[1]), groups[1] + U"单元", i);
    Take(kRoom, StripZeros(groups[count - 1]), groups[count - 1] + U"室", i);
    return true;
  }

  // [第] digits|Chinese numeral|letter, then a numeric suffix.
  bool Numeric() {
    size_t i = pos_;
    const bool ordinal = At(i) == U'第';
    if (ordinal) ++i;
    const size_t start = i;
    std::u32string digits;
    bool chinese = false;
    if (IsAsciiDigit(At(i))) {
      while (IsAsciiDigit(At(i)) || (IsDash(At(i)) && IsAsciiDigit(At(i + 1)))) {
        digits += IsDash(At(i)) ? U'-' : At(i);
        ++i;
        if (digits.size() > kMaxDigits) return false;  // no house number, and linear time
      }
    } else if (ChineseDigit(At(i)) >= 0 || ChineseUnit(At(i)) != 0) {
      while (i - start < 8 && (ChineseDigit(At(i)) >= 0 || ChineseUnit(At(i)) != 0)) ++i;
      digits = ChineseToArabic(t_.substr(start, i - start));
      if (digits.empty()) {  // 一百一号: keep it whole rather than read 一号
        if (!NumericSuffixAt(i)) return false;
        out_.text += t_.substr(pos_, i - pos_);
        out_.other += t_.substr(pos_, i - pos_);
        pos_ = i;
        return true;
      }
      chinese = true;
    } else if (IsAsciiLetter(At(i)) && !IsAsciiLetter(At(i + 1))) {
      digits = static_cast<char32_t>(u_toupper(static_cast<UChar32>(At(i++))));
    } else {
      return false;
    }
    for (const NumericSuffix& s : kNumericSuffixes) {
      if (!StartsWith(i, s.suffix)) continue;
      const size_t end = i + s.suffix.size();
      const bool letter = IsAsciiLetter(digits[0]);
      const bool dashed = digits.find(U'-') != std::u32string::npos;
      if ((letter && s.level != kBuilding) || (dashed && s.level != kNumber)) return false;
      if (s.level == kNumber && Contains(kNotAfterNumber, At(end))) return false;
      if (ContinuesName(t_.substr(end))) return false;  // 六房村 is a village
      std::u32string emitted = (ordinal ? U"第" : U"") + digits + std::u32string(s.suffix);
      if (s.level == kRoad) {  // 长乐路123弄: a lane of the road just read
        if (last_ != kRoad || chinese) return false;
        out_.parts[kRoad] += t_.substr(pos_, end - pos_);
        out_.text += t_.substr(pos_, end - pos_);
        pos_ = end;
        return true;
      }
      if (!out_.parts[s.level].empty()) return false;
      out_.chinese_numerals |= chinese;
      Take(s.level, letter || dashed ? digits : StripZeros(digits), emitted, end);
      return true;
    }
    return false;
  }

  // 3单元302, 5幢302: digits right after the unit or building, ending the
  // address, are the room.
  bool TrailingRoom() {
    if ((last_ != kUnit && last_ != kBuilding) || !out_.parts[kRoom].empty() ||
        !IsAsciiDigit(At(pos_))) {
      return false;
    }
    size_t i = pos_;
    while (IsAsciiDigit(At(i))) ++i;
    if (i < t_.size() && (IsHan(t_[i]) || u_isalnum(static_cast<UChar32>(t_[i])))) return false;
    const Sv digits = t_.substr(pos_, i - pos_);
    Take(kRoom, StripZeros(std::u32string(digits)), digits, i);
    return true;
  }

  // Whether the n-th character (n >= 1) of a name of `rule` at `pos` is allowed.
  bool NameChar(const NamedRule& rule, size_t pos, size_t n) const {
    const char32_t c = At(pos + n - 1);
    if (!IsHan(c)) return false;
    if (n == 1) return !Contains(rule.first_barrier, c);
    if (!Contains(rule.barrier, c)) return true;
    if (!Contains(rule.soft, c)) return false;
    for (Sv s : rule.suffixes) {  // 新区大道, 菜市街
      if (StartsWith(pos + n, s)) return true;
    }
    return false;
  }

  // The name t_[pos, pos + n) ending before a 区 is a zone, not a county.
  bool Zone(size_t pos, size_t n) const {
    const char32_t last = t_[pos + n - 1];
    return Contains(kEstateBeforeQu, last) || (n == 1 && Contains(kZoneNames, last)) ||
           (n >= 2 && t_.substr(pos + n - 2, 2) == U"高新");
  }

  // Whether t_[pos, pos + n) followed by `suffix` makes a name of `rule`.
  bool NameFits(const NamedRule& rule, size_t pos, size_t n, Sv suffix) const {
    if (n < rule.min_name || n > rule.max_name) return false;
    if (n == 1 && Contains(rule.own, t_[pos])) return false;
    for (size_t k = 1; k <= n; ++k) {
      if (!NameChar(rule, pos, k)) return false;
    }
    return !(rule.level == kCounty && suffix == U"区" && Zone(pos, n));
  }

  // Whether the name t_[pos, end) of `level`, its suffix from `stem`, must
  // not end at `end`: the text after it makes a word (街道, 市场), or opens
  // with the suffix of a lower level that would make the whole a name of that
  // level, and the split is the weaker reading. A suffix of two characters
  // after it, or a name of one character before its suffix, reads as one
  // name unless an administrative level in between starts after it (旧县|
  // 街道 and 新市|镇 are towns, 中关村|大街 and 菜|市|街 roads; 平凉市|镇原县
  // is split); otherwise
  // it splits when any lower level starts after it (建德市|镇中村, 杭州市|
  // 村口村, but 双溪村路口 is a road). An administrative suffix of two
  // characters is never extended (恩施土家族苗族自治州|市中区). The levels
  // looked at rise with each nested look, so it ends.
  bool Refused(Level level, size_t pos, size_t stem, size_t end) const {
    if (end < t_.size() && Contains(kWordAfterSuffix, t_[end])) return true;
    if (level <= kTown && end - stem > 1) return false;
    const auto& rules = NamedRules();
    for (const NamedRule& lower : rules) {
      if (lower.level <= level) continue;
      for (Sv s : lower.suffixes) {
        if (!StartsWith(end, s) || !NameFits(lower, pos, end - pos, s)) continue;
        const bool strong = s.size() > 1 || stem - pos == 1;
        bool split = false;
        for (const NamedRule& next : rules) {
          const bool in_between = next.level < lower.level && next.level <= kTown;
          if (next.level > level && (!strong || in_between)) split = split || MatchNamed(next, end);
        }
        if (!split) return true;
      }
    }
    return false;
  }

  // The end of the shortest name of `rule` at `pos`, if any. Memoized: it
  // depends on the text only, and Refused() asks for it again.
  std::optional<size_t> MatchNamed(const NamedRule& rule, size_t pos) const {
    if (memo_.empty()) memo_.assign(t_.size() + 1, {});
    int32_t& m = memo_[pos][rule.level];
    if (m == 0) m = static_cast<int32_t>(ComputeNamed(rule, pos).value_or(pos)) + 1;
    if (m == static_cast<int32_t>(pos) + 1) return std::nullopt;
    return static_cast<size_t>(m - 1);
  }

  std::optional<size_t> ComputeNamed(const NamedRule& rule, size_t pos) const {
    if (rule.level == kProvince) {
      for (Sv m : kMunicipalities) {  // 北京市, or 北京 before a county (not 北京东路)
        if (StartsWith(pos, m) && !ContinuesName(t_.substr(pos + m.size()))) return pos + m.size();
        const size_t len = m.size() - 1;
        if (StartsWith(pos, m.substr(0, len)) &&
            MatchNamed(NamedRules()[kCounty], pos + len)) {
          return pos + len;
        }
      }
      for (const auto& [brief, full] : kProvinces) {  // 广西南宁市 (not 海南藏族自治州)
        if (StartsWith(pos, brief) && At(pos + brief.size() + 1) != U'族' &&
            MatchNamed(NamedRules()[kCity], pos + brief.size())) {
          return pos + brief.size();
        }
      }
    }
    for (size_t n = 1; n <= rule.max_name && pos + n <= t_.size(); ++n) {
      if (!NameChar(rule, pos, n)) break;
      if (n < rule.min_name || (n == 1 && Contains(rule.own, t_[pos]))) continue;
      for (Sv s : rule.suffixes) {
        if (!StartsWith(pos + n, s)) continue;
        if (rule.level == kCounty && s == U"区" && Zone(pos, n)) continue;
        const size_t end = pos + n + s.size();
        if (Refused(rule.level, pos, pos + n, end)) continue;
        return end;
      }
    }
    return std::nullopt;
  }

  bool Named() {
    if (!IsHan(At(pos_))) return false;
    for (const NamedRule& rule : NamedRules()) {
      const bool admin = rule.level <= kTown;
      if (!out_.parts[rule.level].empty() || (admin && rule.level < admin_floor_)) continue;
      const std::optional<size_t> end = MatchNamed(rule, pos_);
      if (!end) continue;
      const Sv name = t_.substr(pos_, *end - pos_);
      std::u32string part(name);
      if (rule.level == kProvince) ExpandProvince(&part);  // 北京 -> 北京市, 广西 -> 广西壮族自治区
      Take(rule.level, std::move(part), name, *end);
      return true;
    }
    return false;
  }

  static void ExpandProvince(std::u32string* name) {
    for (const auto& [brief, full] : kProvinces) {
      if (*name == brief) *name = full;
    }
    if (name->size() == 2) *name += U'市';
  }

  // 经济开发区, 市区, 科技园区: a zone (no county) is "other" as a whole, so
  // that no part starts inside it (区创业路).
  bool ZoneOther() {
    const NamedRule& county = NamedRules()[kCounty];
    for (size_t n = 1; n <= county.max_name && NameChar(county, pos_, n); ++n) {
      if (At(pos_ + n) != U'区' || !Zone(pos_, n)) continue;
      const Sv zone = t_.substr(pos_, n + 1);
      out_.text += zone;
      out_.other += zone;
      pos_ += n + 1;
      return true;
    }
    return false;
  }

  Sv t_;
  Level first_;
  size_t pos_ = 0;
  int admin_floor_;
  int last_ = -1;
  Parsed out_;
  // MatchNamed() per position and level: 0 unknown, else its end + 1 (pos + 1: none).
  mutable std::vector<std::array<int32_t, kRoad + 1>> memo_;
};

}  // namespace

Parsed Parse(std::u32string_view text, Level first) { return Parser(text, first).Run(); }

bool ContinuesName(std::u32string_view rest) {
  return !rest.empty() && Contains(kContinuations, rest[0]);
}

}  // namespace gridhub::schema::address
