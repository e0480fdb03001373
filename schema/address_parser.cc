#include "schema/address_parser.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <optional>
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
  Sv barrier;  // characters not allowed in the name after its first one
};

// In level order; entries kProvince..kVillage are indexed by their Level.
const std::vector<NamedRule>& NamedRules() {
  static const auto* rules = new std::vector<NamedRule>{
      {kProvince, {U"自治区", U"省"}, 2, 7, U"省市县区镇乡村路街号"},
      {kCity, {U"自治州", U"地区", U"市", U"盟"}, 2, 9, U"省市县区镇乡村路街号"},
      {kCounty, {U"县", U"区", U"市", U"旗"}, 1, 10, U"省市县区镇乡村路街号"},
      {kTown, {U"街道", U"镇", U"乡"}, 1, 8, U"省路街号组"},
      {kVillage, {U"居委会", U"社区", U"小区", U"花园", U"家园", U"公寓", U"大厦",
                  U"村", U"苑"}, 1, 8, U"省县镇乡路街号组"},
      {kRoad, {U"胡同", U"大道", U"路", U"街", U"巷", U"弄"}, 1, 10, U"省县镇乡"},
  };
  return *rules;
}

constexpr Sv kMunicipalities[] = {U"北京市", U"天津市", U"上海市", U"重庆市"};
// A 区 after one of these is an estate or a zone, not a county.
constexpr Sv kEstateBeforeQu = U"小社园校景片厂";
constexpr Sv kContinuations = U"街路道巷弄镇乡村区县市场委段";

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

int ChineseDigit(char32_t c) {
  constexpr Sv kDigits = U"〇一二三四五六七八九";
  if (c == U'零') return 0;
  if (c == U'两') return 2;
  const size_t i = kDigits.find(c);
  return i == Sv::npos ? -1 : static_cast<int>(i);
}

int ChineseUnit(char32_t c) { return c == U'十' ? 10 : c == U'百' ? 100 : c == U'千' ? 1000 : 0; }

// The Arabic form of a Chinese numeral: positional (二十三, 一百零五, 十二)
// or digit by digit (三〇二). Empty when malformed or ambiguous (一百一).
std::u32string ChineseToArabic(Sv s) {
  bool positional = false;
  for (char32_t c : s) positional |= ChineseUnit(c) != 0;
  std::u32string out;
  if (!positional) {
    for (char32_t c : s) out += static_cast<char32_t>(U'0' + ChineseDigit(c));
    return out;
  }
  long total = 0;
  int pending = -1;
  int last_unit = 10000;
  bool zero = false;
  for (char32_t c : s) {
    const int unit = ChineseUnit(c);
    if (unit == 0) {
      const int d = ChineseDigit(c);
      if (pending >= 0) return U"";
      if (d == 0) {
        zero = true;
      } else {
        pending = d;
      }
      continue;
    }
    if (unit >= last_unit) return U"";
    if (pending < 0) {
      if (unit != 10 || total != 0 || zero) return U"";
      pending = 1;  // 十二 = 12
    }
    total += pending * unit;
    pending = -1;
    last_unit = unit;
    zero = false;
  }
  if (pending >= 0) {
    if (last_unit > 10 && !zero) return U"";  // 一百一: 101 or 110?
    total += pending;
  }
  for (char32_t c : std::to_string(total)) out += c;
  return out;
}

std::u32string StripZeros(std::u32string digits) {
  size_t i = 0;
  while (i + 1 < digits.size() && digits[i] == U'0' && IsAsciiDigit(digits[i + 1])) ++i;
  return digits.substr(i);
}

class Parser {
 public:
  Parser(Sv text, Level first) : t_(text), first_(first), admin_floor_(first) {}

  Parsed Run() {
    while (pos_ < t_.size()) {
      if (Shorthand() || Numeric() || TrailingRoom() || Named()) continue;
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

  // 5-2-302 (optionally followed by 室): building 5, unit 2, room 302.
  bool Shorthand() {
    if (!out_.parts[kBuilding].empty() || !out_.parts[kUnit].empty() ||
        !out_.parts[kRoom].empty() || !IsAsciiDigit(At(pos_))) {
      return false;
    }
    std::u32string groups[3];
    size_t i = pos_;
    for (int g = 0; g < 3; ++g) {
      if (g > 0 && !IsDash(At(i++))) return false;
      while (IsAsciiDigit(At(i))) groups[g] += t_[i++];
      if (groups[g].empty()) return false;
    }
    if (IsAsciiDigit(At(i)) || IsDash(At(i))) return false;
    if (At(i) == U'室') {
      ++i;
    } else if (NumericSuffixAt(i)) {
      return false;  // 12-1-3号 is a number
    }
    out_.shorthand = true;
    Take(kBuilding, StripZeros(groups[0]), groups[0] + U"幢", i);
    Take(kUnit, StripZeros(groups[1]), groups[1] + U"单元", i);
    Take(kRoom, StripZeros(groups[2]), groups[2] + U"室", i);
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

  // 3单元302: digits right after the unit, ending the address, are the room.
  bool TrailingRoom() {
    if (last_ != kUnit || !out_.parts[kRoom].empty() || !IsAsciiDigit(At(pos_))) return false;
    size_t i = pos_;
    while (IsAsciiDigit(At(i))) ++i;
    if (i < t_.size() && (IsHan(t_[i]) || u_isalnum(static_cast<UChar32>(t_[i])))) return false;
    const Sv digits = t_.substr(pos_, i - pos_);
    Take(kRoom, StripZeros(std::u32string(digits)), digits, i);
    return true;
  }

  // The end of the shortest name of `rule` at `pos`, if any.
  std::optional<size_t> MatchNamed(const NamedRule& rule, size_t pos) const {
    if (rule.level == kProvince) {
      for (Sv m : kMunicipalities) {  // 北京市, or 北京 before a county (not 北京东路)
        if (StartsWith(pos, m) && !ContinuesName(t_.substr(pos + m.size()))) return pos + m.size();
        const size_t len = m.size() - 1;
        if (StartsWith(pos, m.substr(0, len)) && MatchNamed(NamedRules()[kCounty], pos + len)) {
          return pos + len;
        }
      }
    }
    for (size_t n = 1; n <= rule.max_name && pos + n <= t_.size(); ++n) {
      const char32_t c = t_[pos + n - 1];
      if (!IsHan(c) || (n > 1 && Contains(rule.barrier, c))) break;
      if (n < rule.min_name) continue;
      for (Sv s : rule.suffixes) {
        if (!StartsWith(pos + n, s)) continue;
        if (rule.level == kCounty && s == U"区" && Contains(kEstateBeforeQu, c)) continue;
        const size_t end = pos + n + s.size();
        if (ContinuesName(t_.substr(end))) continue;
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
      if (rule.level == kProvince && part.size() == 2) part += U'市';  // 北京 -> 北京市
      Take(rule.level, std::move(part), name, *end);
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
};

}  // namespace

Parsed Parse(std::u32string_view text, Level first) { return Parser(text, first).Run(); }

bool ContinuesName(std::u32string_view rest) {
  return !rest.empty() && Contains(kContinuations, rest[0]);
}

bool IsHan(char32_t c) {
  return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_IDEOGRAPHIC) != 0;
}

std::u32string ToUtf32(std::string_view utf8) {
  std::u32string out;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(utf8.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(utf8.data(), i, n, c);
    if (c >= 0) out += static_cast<char32_t>(c);
  }
  return out;
}

std::string ToUtf8(std::u32string_view text) {
  std::string out;
  for (char32_t c : text) {
    char buf[4];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, static_cast<UChar32>(c));
    out.append(buf, static_cast<size_t>(len));
  }
  return out;
}

}  // namespace gridhub::schema::address
