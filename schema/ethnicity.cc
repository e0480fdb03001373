// schema/ethnicity.cc: GB 3304 ethnic groups (see the header).
#include "schema/ethnicity.h"

#include <array>

#include "schema/id_number.h"
#include "schema/name.h"

namespace gridhub::schema {
namespace {

struct Group {
  std::string_view code;
  std::string_view name;  // full name
};

constexpr std::array<Group, 58> kGroups = {{
    {"01", "汉族"},     {"02", "蒙古族"},     {"03", "回族"},       {"04", "藏族"},
    {"05", "维吾尔族"}, {"06", "苗族"},       {"07", "彝族"},       {"08", "壮族"},
    {"09", "布依族"},   {"10", "朝鲜族"},     {"11", "满族"},       {"12", "侗族"},
    {"13", "瑶族"},     {"14", "白族"},       {"15", "土家族"},     {"16", "哈尼族"},
    {"17", "哈萨克族"}, {"18", "傣族"},       {"19", "黎族"},       {"20", "傈僳族"},
    {"21", "佤族"},     {"22", "畲族"},       {"23", "高山族"},     {"24", "拉祜族"},
    {"25", "水族"},     {"26", "东乡族"},     {"27", "纳西族"},     {"28", "景颇族"},
    {"29", "柯尔克孜族"}, {"30", "土族"},     {"31", "达斡尔族"},   {"32", "仫佬族"},
    {"33", "羌族"},     {"34", "布朗族"},     {"35", "撒拉族"},     {"36", "毛南族"},
    {"37", "仡佬族"},   {"38", "锡伯族"},     {"39", "阿昌族"},     {"40", "普米族"},
    {"41", "塔吉克族"}, {"42", "怒族"},       {"43", "乌孜别克族"}, {"44", "俄罗斯族"},
    {"45", "鄂温克族"}, {"46", "德昂族"},     {"47", "保安族"},     {"48", "裕固族"},
    {"49", "京族"},     {"50", "塔塔尔族"},   {"51", "独龙族"},     {"52", "鄂伦春族"},
    {"53", "赫哲族"},   {"54", "门巴族"},     {"55", "珞巴族"},     {"56", "基诺族"},
    {"97", "其他"},     {"98", "外国血统中国籍人士"},
}};

struct Alias {
  std::string_view text;
  std::string_view code;
};

constexpr std::array<Alias, 6> kAliases = {{
    {"其它", "97"}, {"蒙族", "02"}, {"维族", "05"}, {"畬族", "22"}, {"畬", "22"},
    {"外国血统", "98"},
}};

constexpr std::string_view kZu = "族";

const Group* ByCode(std::string_view code) {
  for (const Group& g : kGroups) {
    if (g.code == code) return &g;
  }
  return nullptr;
}

// A code of 1 or 2 ASCII digits ("1", "01", "56", "97").
const Group* FromDigits(std::string_view s) {
  if (s.empty() || s.size() > 2) return nullptr;
  for (const char c : s) {
    if (c < '0' || c > '9') return nullptr;
  }
  return ByCode(s.size() == 2 ? s : "0" + std::string(s));
}

const Group* FromName(std::string_view s) {
  for (const Group& g : kGroups) {
    if (s == g.name) return &g;
    const std::string_view name = g.name;
    if (name.size() > kZu.size() && name.substr(name.size() - kZu.size()) == kZu &&
        s == name.substr(0, name.size() - kZu.size())) {
      return &g;
    }
  }
  for (const Alias& a : kAliases) {
    if (s == a.text) return ByCode(a.code);
  }
  return nullptr;
}

}  // namespace

Normalized NormalizeEthnicity(std::string_view raw, const NormalizeOptions& /*options*/) {
  Normalized out;
  bool nfkc_changed = false;
  bool ok = true;
  out.value = CleanText(raw, &nfkc_changed, &ok);
  if (!ok) {
    out.AddFlag(kFlagInvalidUtf8);
    return out;
  }
  if (nfkc_changed) out.AddFlag(kFlagNfkc);
  if (out.value.empty()) {
    out.AddFlag(kFlagEmpty);
    return out;
  }
  std::string compact;
  for (const char c : out.value) {
    if (c != ' ') compact.push_back(c);
  }
  const Group* group = FromDigits(compact);
  if (group == nullptr) {
    bool converted = false;
    const std::string simplified = ToSimplifiedHan(compact, &converted);
    group = FromName(simplified);
    if (group != nullptr && converted) out.AddFlag(kFlagTraditionalConverted);
  }
  if (group == nullptr) {
    out.AddFlag(kFlagUnrecognized);
    return out;
  }
  out.value = std::string(group->code);
  out.parts["name"] = std::string(group->name);
  out.valid = true;
  return out;
}

}  // namespace gridhub::schema
