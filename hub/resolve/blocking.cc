#include "hub/resolve/blocking.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/str_cat.h"

#include "gridhub_types.h"
#include "hub/store/keys.h"
#include "schema/address_parser.h"
#include "schema/fields.h"
#include "schema/id_number.h"

namespace gridhub::hub {
namespace {

const wire::NormalizedValue* Valid(const wire::StoredRecord& rec, std::string_view field) {
  auto it = rec.fields.find(std::string(field));
  return it == rec.fields.end() || !it->second.valid || it->second.value.empty() ? nullptr
                                                                                  : &it->second;
}

bool HasFlag(const wire::NormalizedValue& v, std::string_view flag) {
  return std::find(v.flags.begin(), v.flags.end(), flag) != v.flags.end();
}

// The first syllable of a Han name's pinyin (its surname, or the first
// half of a compound one); "" for a name that does not start with a Han
// character (a Latin spelling's words may come in either order) and for
// no name.
std::string SurnameKey(const wire::NormalizedValue* name) {
  if (name == nullptr) return "";
  const std::u32string cps = schema::address::ToUtf32(name->value);
  if (cps.empty() || !schema::address::IsHan(cps.front())) return "";
  auto it = name->parts.find("pinyin");
  if (it == name->parts.end()) return "";
  return it->second.substr(0, it->second.find(' '));
}

std::string PinyinKey(const wire::NormalizedValue& name) {
  auto it = name.parts.find("pinyin");
  std::string key = it == name.parts.end() || it->second.empty() ? name.value : it->second;
  key.erase(std::remove(key.begin(), key.end(), ' '), key.end());
  return key;
}

bool IsDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A date of the shape YYYYMMDD that could be a birth date (year from 1850,
// month 1-12, day 1-31; the day is not checked against the month).
bool PlausibleBirth(std::string_view yyyymmdd) {
  if (yyyymmdd.size() != 8 || !IsDigits(yyyymmdd)) return false;
  auto number = [yyyymmdd](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) v = v * 10 + (yyyymmdd[i] - '0');
    return v;
  };
  const int year = number(0, 4), month = number(4, 2), day = number(6, 2);
  return year >= 1850 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// The rb key of an 18-character number: its region and birth date (first
// 14 characters) + the surname's sound; "" when they are not digits and a
// plausible date.
std::string RegionBirthKey(std::string_view id18, const wire::StoredRecord& record) {
  if (id18.size() != 18 || !IsDigits(id18.substr(0, 6)) || !PlausibleBirth(id18.substr(6, 8))) {
    return "";
  }
  return keys::Index(kBlockRegionBirth, absl::StrCat(std::string(id18.substr(0, 14)), "|",
                                                     SurnameKey(Valid(record, schema::kName))));
}

}  // namespace

std::string MistypedIdNumber(const wire::StoredRecord& record) {
  auto it = record.fields.find(std::string(schema::kIdNumber));
  if (it == record.fields.end() || it->second.valid) return "";
  const wire::NormalizedValue& id = it->second;
  if (id.value.size() != 18) return "";
  for (std::string_view lost : {schema::kFlagScientific, schema::kFlagSpreadsheetNumber,
                                schema::kFlagBadLength, schema::kFlagBadCharacter,
                                schema::kFlagOtherIdentifier, schema::kFlagEmpty}) {
    if (HasFlag(id, lost)) return "";
  }
  return IsDigits(std::string_view(id.value).substr(0, 17)) ? id.value : "";
}

std::vector<std::string> IdNumberCorrections(std::string_view id18) {
  std::vector<std::string> out;
  if (id18.size() != 18) return out;
  auto keep = [&out](std::string candidate) {
    if (!PlausibleBirth(std::string_view(candidate).substr(6, 8))) return;
    if (schema::IdCheckCharacter(std::string_view(candidate).substr(0, 17)) != candidate[17]) return;
    out.push_back(std::move(candidate));
  };
  std::string c(id18);
  for (size_t i = 0; i < 18; ++i) {
    const char was = c[i];
    const std::string_view alphabet = i < 17 ? "0123456789" : "0123456789X";
    for (char d : alphabet) {
      if (d == was) continue;
      c[i] = d;
      keep(c);
    }
    c[i] = was;
  }
  for (size_t i = 0; i + 1 < 18; ++i) {
    if (c[i] == c[i + 1]) continue;
    std::swap(c[i], c[i + 1]);
    if (c[i] != 'X') keep(c);  // X only ever ends a number
    std::swap(c[i], c[i + 1]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string GbIdNumber(const wire::StoredRecord& record) {
  const wire::NormalizedValue* id = Valid(record, schema::kIdNumber);
  if (id == nullptr || HasFlag(*id, schema::kFlagOtherIdentifier) || id->value.size() != 18) {
    return "";
  }
  return id->value;
}

std::string BirthDateOf(const wire::StoredRecord& record) {
  if (const auto* b = Valid(record, schema::kBirthDate)) return b->value;
  if (const std::string v = GbIdNumber(record); !v.empty()) {
    return v.substr(6, 4) + "-" + v.substr(10, 2) + "-" + v.substr(12, 2);
  }
  return "";
}

std::vector<std::string> BlockKeys(const wire::StoredRecord& record) {
  std::vector<std::string> out;
  if (const std::string id = GbIdNumber(record); !id.empty()) {
    out.push_back(keys::Index(kBlockId, id));
  } else if (const std::string typo = MistypedIdNumber(record); !typo.empty()) {
    // Listed where records with a number of the same region and birth date
    // look (rb), and where each valid number one slip away looks (ix).
    if (std::string rb = RegionBirthKey(typo, record); !rb.empty()) out.push_back(std::move(rb));
    for (const std::string& c : IdNumberCorrections(typo)) {
      out.push_back(keys::Index(kBlockIdSlip, c));
    }
  }
  if (const auto* phone = Valid(record, schema::kPhone)) {
    out.push_back(keys::Index(kBlockPhone, phone->value));
  }
  const std::string birth = BirthDateOf(record);
  const wire::NormalizedValue* name = Valid(record, schema::kName);
  const std::string name_sound = name != nullptr ? PinyinKey(*name) : "";
  if (name != nullptr) {
    out.push_back(keys::Index(kBlockName, name->value));
    // Year and month, so a month-only date meets the full one.
    if (birth.size() >= 7) {
      out.push_back(keys::Index(kBlockPinyinBirth, name_sound + "|" + birth.substr(0, 7)));
    }
    if (const auto* grid = Valid(record, schema::kGridCode)) {
      out.push_back(keys::Index(kBlockNameGrid, name->value + "|" + grid->value));
    }
  }
  if (const auto* other = Valid(record, schema::kOtherId)) {
    out.push_back(keys::Index(kBlockOtherId, other->value));
  }
  // Each word of a name of several words (Latin spellings, minority names)
  // with the full birth date: finds a name whose other word is misspelt or
  // whose words are in another order.
  if (name != nullptr && birth.size() == 10) {
    std::vector<std::string> words;
    std::string word;
    for (size_t i = 0; i <= name->value.size(); ++i) {
      const bool dot = name->value.compare(i, 2, "\xC2\xB7") == 0;  // U+00B7 middle dot
      if (i == name->value.size() || name->value[i] == ' ' || dot) {
        if (!word.empty()) words.push_back(std::move(word));
        word.clear();
        if (dot) ++i;
      } else {
        word.push_back(name->value[i]);
      }
    }
    if (words.size() >= 2) {
      for (const auto& w : words) out.push_back(keys::Index(kBlockNameWordBirth, w + "|" + birth));
    }
  }
  for (std::string_view field : {schema::kHouseholdAddress, schema::kCurrentAddress}) {
    const auto* address = Valid(record, field);
    if (address == nullptr) continue;
    auto key = address->parts.find("key");
    if (key != address->parts.end() && !key->second.empty()) {
      if (!name_sound.empty()) {
        out.push_back(keys::Index(kBlockNameAddress, absl::StrCat(name_sound, "|", key->second)));
      }
      if (!birth.empty()) out.push_back(keys::Index(kBlockBirthAddress, birth + "|" + key->second));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> ProbeKeys(const wire::StoredRecord& record,
                                   const std::vector<std::string>& block_keys) {
  std::vector<std::string> extra;
  if (const std::string id = GbIdNumber(record); !id.empty()) {
    // Mistyped numbers one slip away from this one.
    extra.push_back(keys::Index(kBlockIdSlip, id));
  } else if (const std::string typo = MistypedIdNumber(record); !typo.empty()) {
    // The residents of the valid numbers one slip away.
    for (const std::string& c : IdNumberCorrections(typo)) extra.push_back(keys::Index(kBlockId, c));
    std::sort(extra.begin(), extra.end());
  }
  // Both sorted: merged in one pass (a full sort of every record's keys
  // was 4% of the pre-processing thread).
  std::vector<std::string> out;
  out.reserve(block_keys.size() + extra.size());
  std::merge(block_keys.begin(), block_keys.end(), std::make_move_iterator(extra.begin()),
             std::make_move_iterator(extra.end()), std::back_inserter(out));
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool FindsCandidates(std::string_view index_key) {
  const std::string_view kind = keys::IndexKind(index_key);
  return kind == kBlockId || kind == kBlockRegionBirth || kind == kBlockIdSlip ||
         kind == kBlockPhone || kind == kBlockPinyinBirth || kind == kBlockNameGrid ||
         kind == kBlockOtherId || kind == kBlockNameWordBirth || kind == kBlockBirthAddress ||
         kind == kBlockNameAddress;
}

}  // namespace gridhub::hub
