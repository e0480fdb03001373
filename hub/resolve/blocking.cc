#include "hub/resolve/blocking.h"

#include <algorithm>

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

}  // namespace

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
    // With the surname's sound: a county's residents share the region, so
    // region + birth date alone lists everyone born that day (tens in a
    // county of half a million), all of them scored against every record.
    out.push_back(keys::Index(kBlockRegionBirth,
                              id.substr(0, 14) + "|" + SurnameKey(Valid(record, schema::kName))));
  }
  if (const auto* phone = Valid(record, schema::kPhone)) {
    out.push_back(keys::Index(kBlockPhone, phone->value));
  }
  const std::string birth = BirthDateOf(record);
  if (const auto* name = Valid(record, schema::kName)) {
    out.push_back(keys::Index(kBlockName, name->value));
    // Year and month, so a month-only date meets the full one.
    if (birth.size() >= 7) {
      out.push_back(keys::Index(kBlockPinyinBirth, PinyinKey(*name) + "|" + birth.substr(0, 7)));
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
  if (const auto* name = Valid(record, schema::kName); name != nullptr && birth.size() == 10) {
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
      out.push_back(keys::Index(kBlockAddress, key->second));
      if (!birth.empty()) out.push_back(keys::Index(kBlockBirthAddress, birth + "|" + key->second));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool IsStrongBlock(std::string_view index_key) {
  const std::string_view kind = keys::IndexKind(index_key);
  return kind == kBlockId || kind == kBlockRegionBirth || kind == kBlockPhone ||
         kind == kBlockPinyinBirth || kind == kBlockNameGrid || kind == kBlockOtherId ||
         kind == kBlockNameWordBirth || kind == kBlockBirthAddress;
}

}  // namespace gridhub::hub
