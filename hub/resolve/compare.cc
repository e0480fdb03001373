#include "hub/resolve/compare.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <map>

#include "gridhub_types.h"
#include "schema/fields.h"
#include "schema/name.h"

namespace gridhub::hub {
namespace {

// A valid value of `field` in `rec`, or nullptr when absent or invalid.
const wire::NormalizedValue* ValidValue(const wire::StoredRecord& rec, std::string_view field) {
  auto it = rec.fields.find(std::string(field));
  if (it == rec.fields.end() || !it->second.valid) return nullptr;
  return &it->second;
}

std::string Part(const wire::NormalizedValue& v, const std::string& part) {
  auto it = v.parts.find(part);
  return it == v.parts.end() ? std::string() : it->second;
}

bool HasFlag(const wire::NormalizedValue& v, std::string_view flag) {
  return std::find(v.flags.begin(), v.flags.end(), flag) != v.flags.end();
}

int Distance(std::string_view a, std::string_view b) {
  return DamerauDistance(CodePoints(a), CodePoints(b));
}

std::string WithoutSpaces(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  return text;
}

Level CompareIdNumbers(const std::string& a, const std::string& b) {
  if (a == b) return Level::kExact;
  if (a.size() != b.size()) return Level::kDifferent;
  // The check character is derived from the first 17: compare those only.
  const size_t n = a.size() == 18 ? 17 : a.size();
  return Distance(std::string_view(a).substr(0, n), std::string_view(b).substr(0, n)) == 1
             ? Level::kTypo
             : Level::kDifferent;
}

Level CompareNames(const wire::NormalizedValue& a, const wire::NormalizedValue& b) {
  if (a.value == b.value) return Level::kExact;
  const std::string pa = WithoutSpaces(Part(a, "pinyin"));
  const std::string pb = WithoutSpaces(Part(b, "pinyin"));
  if (!pa.empty() && pa == pb) return Level::kHomophone;
  if (Distance(a.value, b.value) == 1) return Level::kTypo;
  const bool latin_a = HasFlag(a, schema::kFlagLatinName);
  const bool latin_b = HasFlag(b, schema::kFlagLatinName);
  if (latin_a != latin_b && !pa.empty() && !pb.empty() && Distance(pa, pb) == 1) {
    return Level::kTypo;
  }
  return Level::kDifferent;
}

// "1980-03-05" -> "19800305"; "1980-03" -> "198003".
std::string DateDigits(const std::string& value) {
  std::string digits = value;
  digits.erase(std::remove(digits.begin(), digits.end(), '-'), digits.end());
  return digits;
}

Level CompareBirthDates(const std::string& a, const std::string& b) {
  if (a == b) return Level::kExact;
  constexpr size_t kFull = 10, kMonth = 7;  // "YYYY-MM-DD", "YYYY-MM"
  const bool full_a = a.size() == kFull, full_b = b.size() == kFull;
  const bool month_a = a.size() == kMonth, month_b = b.size() == kMonth;
  if ((month_a && full_b) || (full_a && month_b)) {
    return a.substr(0, kMonth) == b.substr(0, kMonth) ? Level::kPartial : Level::kDifferent;
  }
  if (!(full_a && full_b) && !(month_a && month_b)) return Level::kDifferent;
  if (Distance(DateDigits(a), DateDigits(b)) == 1) return Level::kTypo;
  // Day and month swapped: YYYY-MM-DD against YYYY-DD-MM.
  if (full_a && a.substr(0, 4) == b.substr(0, 4) && a.substr(5, 2) == b.substr(8, 2) &&
      a.substr(8, 2) == b.substr(5, 2)) {
    return Level::kTypo;
  }
  return Level::kDifferent;
}

// Neither side names `part` differently from the other.
bool Agrees(const wire::NormalizedValue& a, const wire::NormalizedValue& b,
            const std::string& part) {
  const std::string pa = Part(a, part), pb = Part(b, part);
  return pa.empty() || pb.empty() || pa == pb;
}

// Both sides name `part`, identically.
bool SameNamed(const wire::NormalizedValue& a, const wire::NormalizedValue& b,
               const std::string& part) {
  const std::string pa = Part(a, part);
  return !pa.empty() && pa == Part(b, part);
}

Level CompareAddresses(const wire::NormalizedValue& a, const wire::NormalizedValue& b) {
  const std::string key_a = Part(a, "key");
  if (!key_a.empty() && key_a == Part(b, "key")) return Level::kExact;
  for (const char* part : {"province", "city", "county", "town"}) {
    if (!Agrees(a, b, part)) return Level::kDifferent;
  }
  const bool town = !Part(a, "town").empty() || !Part(b, "town").empty();
  if (town && (SameNamed(a, b, "road") || SameNamed(a, b, "village"))) return Level::kPartial;
  return Level::kDifferent;
}

Level CompareField(std::string_view field, const wire::NormalizedValue& a,
                   const wire::NormalizedValue& b) {
  if (field == schema::kIdNumber) return CompareIdNumbers(a.value, b.value);
  if (field == schema::kName) return CompareNames(a, b);
  if (field == schema::kBirthDate) return CompareBirthDates(a.value, b.value);
  if (field == schema::kHouseholdAddress || field == schema::kCurrentAddress) {
    return CompareAddresses(a, b);
  }
  return a.value == b.value ? Level::kExact : Level::kDifferent;
}

}  // namespace

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kExact:
      return "exact";
    case Level::kHomophone:
      return "homophone";
    case Level::kTypo:
      return "typo";
    case Level::kPartial:
      return "partial";
    case Level::kDifferent:
      return "different";
    case Level::kMissing:
      return "missing";
  }
  return "missing";
}

std::optional<Level> ParseLevel(std::string_view name) {
  for (Level level : {Level::kExact, Level::kHomophone, Level::kTypo, Level::kPartial,
                      Level::kDifferent, Level::kMissing}) {
    if (LevelName(level) == name) return level;
  }
  return std::nullopt;
}

const std::vector<Level>& FieldLevels(std::string_view field) {
  static const auto* const kLevels = new std::map<std::string_view, std::vector<Level>>{
      {schema::kIdNumber, {Level::kExact, Level::kTypo, Level::kDifferent}},
      {schema::kName, {Level::kExact, Level::kHomophone, Level::kTypo, Level::kDifferent}},
      {schema::kBirthDate, {Level::kExact, Level::kPartial, Level::kTypo, Level::kDifferent}},
      {schema::kGender, {Level::kExact, Level::kDifferent}},
      {schema::kPhone, {Level::kExact, Level::kDifferent}},
      {schema::kHouseholdAddress, {Level::kExact, Level::kPartial, Level::kDifferent}},
      {schema::kCurrentAddress, {Level::kExact, Level::kPartial, Level::kDifferent}},
      {schema::kGridCode, {Level::kExact, Level::kDifferent}},
      {schema::kEthnicity, {Level::kExact, Level::kDifferent}},
  };
  static const auto* const kNone = new std::vector<Level>();
  auto it = kLevels->find(field);
  return it == kLevels->end() ? *kNone : it->second;
}

std::vector<FieldComparison> CompareRecords(const wire::StoredRecord& a,
                                            const wire::StoredRecord& b) {
  std::vector<FieldComparison> out;
  out.reserve(schema::kCanonicalFields.size());
  for (std::string_view field : schema::kCanonicalFields) {
    FieldComparison c;
    c.field = std::string(field);
    const wire::NormalizedValue* va = ValidValue(a, field);
    const wire::NormalizedValue* vb = ValidValue(b, field);
    if (va != nullptr && vb != nullptr) {
      c.level = CompareField(field, *va, *vb);
      if (c.level == Level::kExact) c.value = va->value;
    }
    out.push_back(std::move(c));
  }
  return out;
}

int DamerauDistance(std::u32string_view a, std::u32string_view b) {
  const size_t n = a.size(), m = b.size();
  // Three rows of the optimal-string-alignment table.
  std::vector<int> before(m + 1), previous(m + 1), current(m + 1);
  for (size_t j = 0; j <= m; ++j) previous[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    current[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

std::u32string CodePoints(std::string_view text) {
  std::u32string out;
  const int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
  }
  return out;
}

}  // namespace gridhub::hub
