#include "schema/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <iterator>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "schema/address.h"
#include "schema/birth_date.h"
#include "schema/ethnicity.h"
#include "schema/fields.h"
#include "schema/gender.h"
#include "schema/grid_code.h"
#include "schema/id_number.h"
#include "schema/name.h"
#include "schema/other_id.h"
#include "schema/phone.h"

namespace gridhub::schema {
namespace {

bool IsValidUtf8(std::string_view s) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c < 0) return false;
  }
  return true;
}

Normalized FromIdNumber(std::string_view raw, const NormalizeOptions& options) {
  IdNumberOptions id_options;
  id_options.today_yyyymmdd = TodayYyyymmdd(options);
  id_options.spreadsheet_number = options.spreadsheet_number;
  IdNumber id = NormalizeIdNumber(raw, id_options);
  Normalized out;
  out.value = std::move(id.value);
  out.valid = id.valid;
  out.flags = std::move(id.flags);
  if (!id.birth_date.empty()) out.parts["birth_date"] = id.birth_date;
  if (id.sex != Sex::kUnknown) out.parts["sex"] = id.sex == Sex::kMale ? "1" : "2";
  if (!id.region_code.empty()) out.parts["region"] = id.region_code;
  if (!id.type.empty()) out.parts["type"] = id.type;
  return out;
}

Normalized FromText(std::string_view raw) {
  Normalized out;
  bool changed = false;
  bool ok = true;
  out.value = CleanText(raw, &changed, &ok);
  if (!ok) {
    out.AddFlag(kFlagInvalidUtf8);
    return out;
  }
  if (changed) out.AddFlag(kFlagNfkc);
  if (out.value.empty()) {
    out.AddFlag(kFlagEmpty);
    return out;
  }
  out.valid = true;
  return out;
}

}  // namespace

bool IsRepairFlag(std::string_view flag) {
  static constexpr std::string_view kRepairs[] = {
      "full_width",        "whitespace",         "separators",        "leading_apostrophe",
      "lowercase_x",       "upgraded_from_15",   "nfkc_changed",      "han_spaces_removed",
      "traditional_converted", "separator_unified", "latin_name",     "separators_removed",
      "country_code_removed",  "extension_split",  "time_dropped",    "spaces_removed",
      "shorthand_expanded",    "chinese_numerals", "home_county_removed", "lowercase",
      "decimal_suffix"};
  return std::find(std::begin(kRepairs), std::end(kRepairs), flag) != std::end(kRepairs);
}

bool Normalized::HasFlag(std::string_view flag) const {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

void Normalized::AddFlag(std::string_view flag) {
  if (!HasFlag(flag)) flags.emplace_back(flag);
}

int TodayYyyymmdd(const NormalizeOptions& options) {
  if (options.today_yyyymmdd != 0) return options.today_yyyymmdd;
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return (local.tm_year + 1900) * 10000 + (local.tm_mon + 1) * 100 + local.tm_mday;
}

namespace {

// Whether CleanText leaves `raw` as it is without asking ICU: ASCII graphic
// characters and CJK ideographs (U+3400-U+4DBF, U+4E00-U+9FFF) with single
// spaces between them. Such text is valid UTF-8 and in NFKC already (none of
// these code points decomposes and nothing in it composes), and has no
// whitespace run or control character to fold. Most names and addresses of
// a county's records are.
bool IsPlainText(std::string_view raw) {
  if (raw.empty() || raw.front() == ' ' || raw.back() == ' ') return false;
  bool after_space = false;
  for (size_t i = 0; i < raw.size();) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c < 0x80) {
      if (c == ' ') {
        if (after_space) return false;
        after_space = true;
      } else if (c < 0x21 || c > 0x7E) {
        return false;
      } else {
        after_space = false;
      }
      ++i;
      continue;
    }
    // A three-byte sequence 1110xxxx 10xxxxxx 10xxxxxx.
    if ((c & 0xF0) != 0xE0 || raw.size() - i < 3) return false;
    const auto b1 = static_cast<unsigned char>(raw[i + 1]);
    const auto b2 = static_cast<unsigned char>(raw[i + 2]);
    if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return false;
    const uint32_t cp = ((c & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
    if (!((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF))) return false;
    after_space = false;
    i += 3;
  }
  return true;
}

}  // namespace

std::string CleanText(std::string_view raw, bool* changed, bool* ok) {
  if (IsPlainText(raw)) {
    *changed = false;
    *ok = true;
    return std::string(raw);
  }
  return internal::CleanTextIcu(raw, changed, ok);
}

namespace internal {

std::string CleanTextIcu(std::string_view raw, bool* changed, bool* ok) {
  *changed = false;
  *ok = IsValidUtf8(raw);
  if (!*ok) return "";
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())));
  icu::UnicodeString normalized = text;
  // Most text is in NFKC already; the quick check costs less than
  // normalizing it again.
  if (U_SUCCESS(status) && !nfkc->isNormalized(text, status)) {
    normalized = nfkc->normalize(text, status);
    if (U_FAILURE(status)) normalized = text;
  }
  *changed = normalized != text;
  // Collapse whitespace runs (u_isUWhiteSpace covers U+3000 and NBSP) and trim.
  icu::UnicodeString out;
  bool pending_space = false;
  for (int32_t i = 0; i < normalized.length();) {
    UChar32 c = normalized.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c) || c == 0xFEFF) {
      pending_space = !out.isEmpty();
      continue;
    }
    if (u_iscntrl(c)) {  // NUL and other control characters carry no text
      *changed = true;
      continue;
    }
    if (pending_space) out.append(static_cast<UChar>(' '));
    pending_space = false;
    out.append(c);
  }
  // Dropping spaces and controls can leave combining marks side by side in
  // non-canonical order: normalize once more so the result is stable. (Text
  // the loop kept as it was is NFKC already.)
  if (U_SUCCESS(status) && out != normalized) {
    UErrorCode again = U_ZERO_ERROR;
    icu::UnicodeString renormalized = nfkc->normalize(out, again);
    if (U_SUCCESS(again)) out = renormalized;
  }
  std::string result;
  out.toUTF8String(result);
  return result;
}

}  // namespace internal

Normalized NormalizeField(std::string_view field, std::string_view raw,
                          const NormalizeOptions& options) {
  if (field == kIdNumber) return FromIdNumber(raw, options);
  if (field == kName) {
    // A county's names repeat (a million generated records hold about
    // 107,000 distinct ones): results are kept by raw value, as
    // transliterating is most of a name's cost, in one memo that every
    // normalizing thread shares (an import normalizes on up to three).
    // NormalizeName does not depend on `options`. Bounded: at most
    // kMemoEntries names of at most kMemoLongest bytes each (a few tens of
    // MB at worst), a shard dropped when full; longer values are not kept.
    constexpr size_t kShards = 16;
    constexpr size_t kMemoEntries = 1 << 16;
    constexpr size_t kMemoLongest = 64;
    if (raw.size() > kMemoLongest) return NormalizeName(raw, options);
    struct Shard {
      std::mutex mu;
      std::unordered_map<std::string, Normalized> names;
    };
    static Shard* const memo = new Shard[kShards];  // never freed: threads may outlive main
    Shard& shard = memo[std::hash<std::string_view>()(raw) % kShards];
    std::string key(raw);
    {
      std::lock_guard<std::mutex> lock(shard.mu);
      if (auto it = shard.names.find(key); it != shard.names.end()) return it->second;
    }
    Normalized out = NormalizeName(raw, options);
    std::lock_guard<std::mutex> lock(shard.mu);
    if (shard.names.size() >= kMemoEntries / kShards) shard.names.clear();
    shard.names.emplace(std::move(key), out);
    return out;
  }
  if (field == kGender) return NormalizeGender(raw, options);
  if (field == kBirthDate) return NormalizeBirthDate(raw, options);
  if (field == kPhone) return NormalizePhone(raw, options);
  if (field == kHouseholdAddress || field == kCurrentAddress) return NormalizeAddress(raw, options);
  if (field == kGridCode) return NormalizeGridCode(raw, options);
  if (field == kEthnicity) return NormalizeEthnicity(raw, options);
  if (field == kOtherId) return NormalizeOtherId(raw, options);
  return FromText(raw);
}

void CrossCheck(FlatMap<Normalized>* fields) {
  auto id = fields->find(kIdNumber);
  if (id == fields->end() || !id->second.valid) return;
  const auto& parts = id->second.parts;
  auto gender = fields->find(kGender);
  auto sex = parts.find("sex");
  if (gender != fields->end() && gender->second.valid && sex != parts.end() &&
      gender->second.value != sex->second) {
    gender->second.AddFlag(kFlagContradictsIdSex);
  }
  auto birth = fields->find(kBirthDate);
  auto id_birth = parts.find("birth_date");
  if (birth != fields->end() && birth->second.valid && id_birth != parts.end()) {
    const std::string& date = birth->second.value;  // YYYY-MM-DD or YYYY-MM
    if (id_birth->second.compare(0, date.size(), date) != 0) {
      birth->second.AddFlag(kFlagContradictsIdBirthDate);
    }
  }
}

}  // namespace gridhub::schema
