#include "schema/headers.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <set>

#include "schema/fields.h"
#include "schema/normalize.h"

namespace gridhub::schema {
namespace {

struct Entry {
  const char* field;  // "" = the record-id column
  std::vector<const char*> exact;
  std::vector<const char*> words;  // contained words, tried when nothing matched exactly
  std::vector<const char*> not_words = {};  // contained words that veto a word match
};

const std::vector<Entry>& Dictionary() {
  static const std::vector<Entry> kEntries = {
      // Before id_number: its word 证件号 is in these headers too.
      {"other_id", {"其他证件号码", "其他证件号", "其他证件", "otherid"}, {"其他证件"}},
      {"id_number",
       {"身份证号", "身份证号码", "公民身份号码", "公民身份证号", "证件号码", "证件号", "身份证",
        "证件号码身份证", "idcard", "idnumber", "idno", "身份证件号码"},
       {"身份证", "证件号", "身份号码"},
       {"其他证件"}},
      {"name", {"姓名", "名字", "人员姓名", "居民姓名", "name", "fullname"}, {"姓名"}},
      {"gender", {"性别", "性别代码", "sex", "gender"}, {"性别"}},
      {"birth_date",
       {"出生日期", "出生年月", "出生年月日", "生日", "出生时间", "birthdate", "birthday", "dob",
        "dateofbirth"},
       {"出生"}},
      {"phone",
       {"联系电话", "手机号码", "手机号", "手机", "联系方式", "电话", "电话号码", "移动电话",
        "phone", "mobile", "tel", "telephone"},
       {"电话", "手机", "联系方式"}},
      {"household_address",
       {"户籍地址", "户籍地", "户籍所在地", "户口所在地", "户口地址", "家庭住址", "户籍详址",
        "householdaddress"},
       {"户籍", "户口"}},
      {"current_address",
       {"现住址", "现居住地", "现住地址", "居住地址", "实际居住地", "现居住地址", "住址",
        "currentaddress", "address"},
       {"现住", "居住地", "现居"}},
      {"grid_code",
       {"网格编码", "网格编号", "网格代码", "所属网格编码", "gridcode", "grid"},
       {"网格"}},
      {"ethnicity", {"民族", "民族代码", "ethnicity", "nation"}, {"民族"}},
      // Record-id headers, most trustworthy first: a row counter (序号, 流水号)
      // changes when rows are reordered, so it is the last resort.
      {"",
       {"人员编号", "档案号", "档案编号", "走访编号", "记录编号", "登记编号", "居民编号", "编号",
        "recordid", "记录号", "id", "no", "序号", "流水号"},
       {}},
  };
  return kEntries;
}

// Headers about someone else (the household head, a guardian, an emergency
// contact) or about something else (the kind of household, the place of
// birth, the grid member) are never matched by a word they contain.
bool AboutSomethingElse(const std::string& key) {
  static constexpr const char* kOthers[] = {"户主", "监护人", "联系人", "家属", "父亲", "母亲",
                                            "配偶", "子女", "性质", "类型", "类别", "出生地",
                                            "网格员", "籍贯", "单位"};
  for (const char* w : kOthers) {
    if (key.find(w) != std::string::npos) return true;
  }
  return false;
}

// A key column of something other than a person's record (a house, a
// household, a building, a grid).
bool KeyOfSomethingElse(const std::string& key) {
  static constexpr const char* kThings[] = {"房", "户", "楼", "网格", "单位", "地址", "门牌"};
  for (const char* w : kThings) {
    if (key.find(w) != std::string::npos) return true;
  }
  return false;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string HeaderKey(const std::string& header) {
  bool changed = false, ok = true;
  const std::string clean = CleanText(header, &changed, &ok);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(clean);
  text.toLower();
  icu::UnicodeString out;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    // Keep letters and digits (Han included); drop spaces, punctuation, *, _.
    if (u_isalnum(c) || u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC)) out.append(c);
  }
  std::string key;
  out.toUTF8String(key);
  // "姓名（必填）" -> "姓名必填": drop the usual decorations.
  for (const char* noise : {"必填", "选填", "必须"}) {
    const size_t pos = key.find(noise);
    if (pos != std::string::npos) key.erase(pos, std::string(noise).size());
  }
  return key;
}

HeaderDetection DetectHeaders(const std::vector<std::string>& header) {
  HeaderDetection out;
  out.columns.resize(header.size());
  std::vector<std::string> keys;
  for (size_t i = 0; i < header.size(); ++i) {
    out.columns[i].header = header[i];
    keys.push_back(HeaderKey(header[i]));
  }
  std::set<std::string> taken;
  auto assign = [&](size_t i, const std::string& field, bool exact) {
    out.columns[i].field = field;
    out.columns[i].exact = exact;
    taken.insert(field);
  };
  // Pass 1: exact dictionary forms; pass 2: telling words.
  for (int pass = 0; pass < 2; ++pass) {
    for (const Entry& e : Dictionary()) {
      const std::string field = e.field;
      if (field.empty() || taken.count(field)) continue;
      for (size_t i = 0; i < keys.size() && !taken.count(field); ++i) {
        if (!out.columns[i].field.empty() || keys[i].empty()) continue;
        bool match = false;
        if (pass == 0) {
          match = std::any_of(e.exact.begin(), e.exact.end(),
                              [&](const char* f) { return keys[i] == f; });
        } else if (!AboutSomethingElse(keys[i])) {
          auto contains = [&](const char* w) { return keys[i].find(w) != std::string::npos; };
          match = std::any_of(e.words.begin(), e.words.end(), contains) &&
                  std::none_of(e.not_words.begin(), e.not_words.end(), contains);
        }
        if (match) assign(i, field, pass == 0);
      }
    }
  }
  // The record id: the best-ranked exact id header, else a person's key
  // column ending in 编号 / 档案号 (not a house's or household's).
  const Entry& ids = Dictionary().back();
  int rid = -1;
  for (const char* form : ids.exact) {
    for (size_t i = 0; i < keys.size() && rid < 0; ++i) {
      if (out.columns[i].field.empty() && keys[i] == form) rid = static_cast<int>(i);
    }
    if (rid >= 0) break;
  }
  for (size_t i = 0; i < keys.size() && rid < 0; ++i) {
    if (out.columns[i].field.empty() && !KeyOfSomethingElse(keys[i]) &&
        (EndsWith(keys[i], "编号") || EndsWith(keys[i], "档案号"))) {
      rid = static_cast<int>(i);
    }
  }
  if (rid >= 0) {
    out.columns[rid].record_id = true;
    out.mapping.record_id_column = header[rid];
  }
  for (size_t i = 0; i < header.size(); ++i) {
    if (!out.columns[i].field.empty()) out.mapping.column_fields.emplace_back(header[i], out.columns[i].field);
  }
  return out;
}

}  // namespace gridhub::schema
