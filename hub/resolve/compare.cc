#include "hub/resolve/compare.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <map>

#include "absl/strings/str_split.h"
#include "gridhub_types.h"
#include "schema/address.h"
#include "schema/fields.h"
#include "hub/resolve/blocking.h"
#include "schema/id_number.h"
#include "schema/name.h"

namespace gridhub::hub {
namespace {

// A valid value of `field` in `rec`, or nullptr when absent or invalid.
const wire::NormalizedValue* ValidValue(const wire::StoredRecord& rec, std::string_view field) {
  auto it = rec.fields.find(std::string(field));
  if (it == rec.fields.end() || !it->second.valid) return nullptr;
  return &it->second;
}

const std::string& Part(const wire::NormalizedValue& v, const std::string& part) {
  static const std::string* const kNone = new std::string();
  auto it = v.parts.find(part);
  return it == v.parts.end() ? *kNone : it->second;
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

Level CompareIdNumbers(const wire::NormalizedValue& a, const wire::NormalizedValue& b) {
  if (a.value == b.value) return Level::kExact;
  if (a.value.size() != b.value.size()) return Level::kDifferent;
  if (a.value.size() != 18 || HasFlag(a, schema::kFlagOtherIdentifier) ||
      HasFlag(b, schema::kFlagOtherIdentifier)) {
    return Distance(a.value, b.value) == 1 ? Level::kTypo : Level::kDifferent;
  }
  // Two valid GB 11643 numbers: the check character catches every single
  // substitution and adjacent swap, so a typo can only hide in a number
  // upgraded from 15 digits (its check character computed from the mistyped
  // digits). Compare the first 17 characters, from which it is derived.
  if (!HasFlag(a, schema::kFlagUpgraded15) && !HasFlag(b, schema::kFlagUpgraded15)) {
    return Level::kDifferent;
  }
  if (Distance(std::string_view(a.value).substr(0, 17), std::string_view(b.value).substr(0, 17)) !=
      1) {
    return Level::kDifferent;
  }
  // Numbers stating different sexes (the parity of the 17th character) are
  // a twin's and a sibling's, consecutive sequence numbers, far more often
  // than a typo that happened to change the parity.
  return (a.value[16] - '0') % 2 == (b.value[16] - '0') % 2 ? Level::kTypo : Level::kDifferent;
}

Level CompareOtherIds(const std::string& a, const std::string& b) {
  if (a == b) return Level::kExact;
  return Distance(a, b) == 1 ? Level::kTypo : Level::kDifferent;
}

// The maximal runs of code points of `text` that satisfy `keep`.
template <typename Keep>
std::vector<std::u32string> Runs(std::string_view text, Keep keep) {
  std::vector<std::u32string> out;
  std::u32string run;
  for (char32_t c : CodePoints(text)) {
    if (keep(c)) {
      run.push_back(c);
    } else if (!run.empty()) {
      out.push_back(std::move(run));
      run.clear();
    }
  }
  if (!run.empty()) out.push_back(std::move(run));
  return out;
}

// `text` split at `separators`, empty pieces dropped.
std::vector<std::u32string> Split(std::string_view text, std::u32string_view separators) {
  return Runs(text, [&](char32_t c) { return separators.find(c) == std::u32string_view::npos; });
}

// Two words the same but for spelling: at most one edit (Damerau) per four
// characters of the shorter, and at least one.
bool SimilarWords(const std::u32string& a, const std::u32string& b) {
  if (a == b) return true;
  const int allowed = std::max<int>(1, static_cast<int>(std::min(a.size(), b.size()) / 4));
  return DamerauDistance(a, b) <= allowed;
}

// `a` and `b` differ only by two adjacent code points swapped.
bool Transposed(const std::u32string& a, const std::u32string& b) {
  if (a.size() != b.size()) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
         a.substr(i + 2) == b.substr(i + 2);
}

// Beyond this many parts a name is matched in order only (no permutations).
constexpr size_t kMaxPermutedParts = 6;

// Whether every part of `few` pairs with a different part of `many`
// (few.size() <= many.size()), in any order, each pair SimilarWords.
bool PairUp(const std::vector<std::u32string>& few, const std::vector<std::u32string>& many,
            size_t i, std::vector<bool>* used) {
  if (i == few.size()) return true;
  for (size_t j = 0; j < many.size(); ++j) {
    if ((*used)[j] || !SimilarWords(few[i], many[j])) continue;
    (*used)[j] = true;
    if (PairUp(few, many, i + 1, used)) return true;
    (*used)[j] = false;
  }
  return false;
}

bool PairUp(const std::vector<std::u32string>& few, const std::vector<std::u32string>& many) {
  if (few.empty() || few.size() > many.size()) return false;
  if (many.size() > kMaxPermutedParts) {  // in order: a prefix of `many`
    for (size_t i = 0; i < few.size(); ++i) {
      if (!SimilarWords(few[i], many[i])) return false;
    }
    return true;
  }
  std::vector<bool> used(many.size(), false);
  return PairUp(few, many, 0, &used);
}

// Some order of the Latin name's parts `latin` spells `key` (a pinyin key
// without spaces): "wei zhang" and 张伟 (zhangwei).
bool ReorderedSpells(std::vector<std::u32string> latin, const std::u32string& key) {
  if (latin.size() < 2 || latin.size() > kMaxPermutedParts) return false;
  std::sort(latin.begin(), latin.end());
  do {
    std::u32string joined;
    for (const auto& part : latin) joined += part;
    if (joined == key) return true;
  } while (std::next_permutation(latin.begin(), latin.end()));
  return false;
}

Level CompareNames(const wire::NormalizedValue& a, const wire::NormalizedValue& b) {
  if (a.value == b.value) return Level::kExact;
  const std::string pa = WithoutSpaces(Part(a, "pinyin"));
  const std::string pb = WithoutSpaces(Part(b, "pinyin"));
  if (!pa.empty() && pa == pb) return Level::kHomophone;
  const bool latin_a = HasFlag(a, schema::kFlagLatinName);
  const bool latin_b = HasFlag(b, schema::kFlagLatinName);
  // Name parts: words of a Latin name, the parts of a minority name (·).
  const std::vector<std::u32string> parts_a = Split(a.value, U" \u00B7");
  const std::vector<std::u32string> parts_b = Split(b.value, U" \u00B7");
  if (latin_a && latin_b && parts_a.size() == parts_b.size()) {
    std::vector<std::u32string> sa = parts_a, sb = parts_b;
    std::sort(sa.begin(), sa.end());
    std::sort(sb.begin(), sb.end());
    if (sa == sb) return Level::kHomophone;  // "green mitchell" / "mitchell green"
  }
  if (latin_a && !latin_b && !pb.empty() && ReorderedSpells(parts_a, CodePoints(pb))) {
    return Level::kHomophone;
  }
  if (latin_b && !latin_a && !pa.empty() && ReorderedSpells(parts_b, CodePoints(pa))) {
    return Level::kHomophone;
  }
  if (Distance(a.value, b.value) == 1) {
    // One Han character for another is a typo when it sounds alike (王阳 /
    // 王燕, one pinyin letter apart). Otherwise it is as likely a sibling's
    // name (刘岩 / 刘亮, 王建国 / 王建军) as a slip of the pen (张大伟 /
    // 张太伟): partial. Dropped, added and swapped characters are typos.
    const bool substitution = CodePoints(a.value).size() == CodePoints(b.value).size() &&
                              !Transposed(CodePoints(a.value), CodePoints(b.value));
    if (latin_a || latin_b || !substitution || pa.empty() || pb.empty() ||
        Distance(pa, pb) <= 1) {
      return Level::kTypo;
    }
    return Level::kPartial;
  }
  if (latin_a != latin_b && !pa.empty() && !pb.empty() && Distance(pa, pb) == 1) {
    return Level::kTypo;
  }
  if (latin_a == latin_b) {
    const bool a_fewer = parts_a.size() < parts_b.size();
    const auto& few = a_fewer ? parts_a : parts_b;
    const auto& many = a_fewer ? parts_b : parts_a;
    if (few.size() == many.size() && (few.size() > 1 || latin_a) && PairUp(few, many)) {
      return Level::kTypo;
    }
    if (few.size() < many.size() && PairUp(few, many)) return Level::kPartial;
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
  const std::string &pa = Part(a, part), &pb = Part(b, part);
  return pa.empty() || pb.empty() || pa == pb;
}

// Both sides name `part`, identically.
bool SameNamed(const wire::NormalizedValue& a, const wire::NormalizedValue& b,
               const std::string& part) {
  const std::string& pa = Part(a, part);
  return !pa.empty() && pa == Part(b, part);
}

// parts["region_key"] ("province|city|county") of both sides agree slot by
// slot, a slot empty on either side agreeing.
bool RegionsAgree(const wire::NormalizedValue& a, const wire::NormalizedValue& b) {
  const std::vector<absl::string_view> ra = absl::StrSplit(Part(a, "region_key"), '|');
  const std::vector<absl::string_view> rb = absl::StrSplit(Part(b, "region_key"), '|');
  for (size_t i = 0; i < ra.size() && i < rb.size(); ++i) {
    if (!ra[i].empty() && !rb[i].empty() && ra[i] != rb[i]) return false;
  }
  return true;
}

// Dice coefficient of the multisets of character bigrams of `a` and `b`
// (spaces removed): 1 for equal texts, 0 for texts sharing no bigram.
double BigramDice(std::string_view a, std::string_view b) {
  auto bigrams = [](std::string_view text) {
    std::u32string cps = CodePoints(text);
    cps.erase(std::remove(cps.begin(), cps.end(), U' '), cps.end());
    std::vector<std::u32string> out;
    for (size_t i = 0; i + 1 < cps.size(); ++i) out.push_back(cps.substr(i, 2));
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::vector<std::u32string> ga = bigrams(a), gb = bigrams(b);
  if (ga.empty() || gb.empty()) return 0;
  std::vector<std::u32string> shared;
  std::set_intersection(ga.begin(), ga.end(), gb.begin(), gb.end(), std::back_inserter(shared));
  return 2.0 * static_cast<double>(shared.size()) / static_cast<double>(ga.size() + gb.size());
}

// The runs of ASCII digits in `text`, in order: house numbers, postcodes.
std::vector<std::u32string> DigitRuns(std::string_view text) {
  return Runs(text, [](char32_t c) { return c >= U'0' && c <= U'9'; });
}

Level CompareAddresses(const wire::NormalizedValue& a, const wire::NormalizedValue& b) {
  // A province, city or county named differently on both sides differs,
  // whatever the rest (长安区 of Xi'an and of Shijiazhuang).
  if (!RegionsAgree(a, b)) return Level::kDifferent;
  const std::string& key_a = Part(a, "key");
  if (!key_a.empty() && key_a == Part(b, "key")) return Level::kExact;
  if (HasFlag(a, schema::kFlagUnparsed) || HasFlag(b, schema::kFlagUnparsed)) {
    const double dice = BigramDice(a.value, b.value);
    if (dice >= kAddressTypoDice && DigitRuns(a.value) == DigitRuns(b.value)) return Level::kTypo;
    if (dice >= kAddressPartialDice) return Level::kPartial;
    return Level::kDifferent;
  }
  for (const char* part : {"province", "city", "county", "town"}) {
    if (!Agrees(a, b, part)) return Level::kDifferent;
  }
  const bool town = !Part(a, "town").empty() || !Part(b, "town").empty();
  if (town && (SameNamed(a, b, "road") || SameNamed(a, b, "village"))) return Level::kPartial;
  return Level::kDifferent;
}

Level CompareField(std::string_view field, const wire::NormalizedValue& a,
                   const wire::NormalizedValue& b) {
  if (field == schema::kIdNumber) return CompareIdNumbers(a, b);
  if (field == schema::kOtherId) return CompareOtherIds(a.value, b.value);
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
      {schema::kName,
       {Level::kExact, Level::kHomophone, Level::kTypo, Level::kPartial, Level::kDifferent}},
      {schema::kBirthDate, {Level::kExact, Level::kPartial, Level::kTypo, Level::kDifferent}},
      {schema::kGender, {Level::kExact, Level::kDifferent}},
      {schema::kPhone, {Level::kExact, Level::kDifferent}},
      {schema::kHouseholdAddress,
       {Level::kExact, Level::kTypo, Level::kPartial, Level::kDifferent}},
      {schema::kCurrentAddress, {Level::kExact, Level::kTypo, Level::kPartial, Level::kDifferent}},
      {schema::kGridCode, {Level::kExact, Level::kDifferent}},
      {schema::kEthnicity, {Level::kExact, Level::kDifferent}},
      {schema::kOtherId, {Level::kExact, Level::kTypo, Level::kDifferent}},
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
    } else if (field == schema::kIdNumber && (va != nullptr) != (vb != nullptr)) {
      // A number that fails its checks is no evidence, except one slip (a
      // character replaced, two neighbours swapped) away from the other
      // record's valid number: that is the typo level of two numbers, as
      // for a number upgraded from 15 digits, and as there not when the two
      // state different sexes (a twin's number, more often than a typo).
      const std::string valid = GbIdNumber(va != nullptr ? a : b);
      const std::string slipped = MistypedIdNumber(va != nullptr ? b : a);
      if (!valid.empty() && !slipped.empty() && Distance(valid, slipped) == 1 &&
          (valid[16] - '0') % 2 == (slipped[16] - '0') % 2) {
        c.level = Level::kTypo;
      }
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
