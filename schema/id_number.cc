// schema/id_number.cc: GB 11643 identity number normalization (see the
// header for the contract). Plain byte handling of UTF-8, no ICU.
#include "schema/id_number.h"

#include <algorithm>
#include <cstdint>
#include <ctime>

#include "schema/regions.h"

namespace gridhub::schema {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point at `s[*pos]` and advances `*pos`. Returns false for
// an invalid sequence (stray continuation byte, truncation, overlong form,
// surrogate, > U+10FFFF); then `*pos` advances by one byte.
bool DecodeUtf8(std::string_view s, size_t* pos, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[*pos]);
  int len = 0;
  char32_t min = 0;
  if (b0 < 0x80) {
    *cp = b0;
    ++*pos;
    return true;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, *cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, *cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, *cp = b0 & 0x07;
  } else {
    ++*pos;
    return false;
  }
  if (*pos + len > s.size()) {
    ++*pos;
    return false;
  }
  for (int i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[*pos + i]);
    if ((b & 0xC0) != 0x80) {
      ++*pos;
      return false;
    }
    *cp = (*cp << 6) | (b & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) {
    ++*pos;
    return false;
  }
  *pos += len;
  return true;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Spaces, including the invisible ones spreadsheets and web forms leave
// behind (zero-width space and joiners, BOM, word joiner, the en/em spaces).
bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0xA0 ||
         cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF ||
         cp == 0x202F;
}

// ASCII ', backtick, and the curly quotes U+2018 / U+2019.
bool IsApostrophe(char32_t cp) {
  return cp == '\'' || cp == '`' || cp == 0x2018 || cp == 0x2019;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Adds `flag` once; flags keep the order in which they were first found.
void AddFlag(std::string_view flag, IdNumber* id) {
  if (!id->HasFlag(flag)) id->flags.emplace_back(flag);
}

// What a spreadsheet shows for a long number: digits, an optional fraction,
// then e/E, an optional sign and an exponent ("3.30122E+17"). Digits are
// lost, so such a value is never repaired.
bool IsScientificNotation(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    return i > start;
  };
  if (!digits()) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    digits();  // "3.E+17" is still scientific notation
  }
  if (i >= s.size() || (s[i] != 'e' && s[i] != 'E')) return false;
  ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  return digits() && i == s.size();
}

int ParseInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

bool IsRealDate(int year, int month, int day) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int max_day = (month == 2 && leap) ? 29 : kDays[month - 1];
  return day <= max_day;
}

// Today in local time (the hub runs on China Standard Time) as YYYYMMDD.
int TodayYyyymmdd() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return (local.tm_year + 1900) * 10000 + (local.tm_mon + 1) * 100 + local.tm_mday;
}

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

// Counts leading characters of `s` from `pos` satisfying `pred`.
template <typename Pred>
size_t Span(std::string_view s, size_t pos, Pred pred) {
  size_t n = 0;
  while (pos + n < s.size() && pred(s[pos + n])) ++n;
  return n;
}

// Passports, travel permits and old foreign permanent residence cards:
// letters then digits. Returns the type, or "" when `s` is none of them.
std::string_view OtherIdentifierType(std::string_view s) {
  const size_t letters = Span(s, 0, IsUpper);
  const size_t digits = Span(s, letters, IsDigit);
  if (letters + digits != s.size() || letters == 0) return "";
  if (letters == 1 && (s[0] == 'H' || s[0] == 'M') && (digits == 8 || digits == 10)) {
    return kTypeHkMacauPermit;
  }
  // Passports: E (ordinary, E + 8 digits or E + letter + 7 digits), G (old
  // ordinary), D (diplomatic), S (service), P (public affairs).
  const bool passport_letter = s[0] == 'E' || s[0] == 'G' || s[0] == 'D' || s[0] == 'S' || s[0] == 'P';
  if (passport_letter && letters == 1 && (digits == 7 || digits == 8)) return kTypePassport;
  if (s[0] == 'E' && letters == 2 && digits == 7) return kTypePassport;
  if (letters == 3 && digits == 12) return kTypeForeignPermanent;
  return "";
}

// Household registers adopted renamed or retired codes late, and the table's
// years are years of change, not the day numbers stopped being issued: a
// code counts as in force for this many years after its retirement.
constexpr int kRegionGraceYears = 3;

// Checks the region code against the GB/T 2260 history for a holder born in
// `birth_year` and sets the type.
void CheckRegion(int birth_year, int today_year, IdNumber* id) {
  const std::string& s = id->value;
  if (s[0] == '9') {  // foreign permanent residence card: 9 + province + country
    id->type = kTypeForeignPermanent;
    if (!ProvinceExists(ParseInt(std::string_view(s).substr(1, 2)))) AddFlag(kFlagBadRegion, id);
    return;
  }
  if ((s[0] == '8' && s[1] >= '1' && s[1] <= '3') && s.compare(2, 4, "0000") == 0) {
    id->type = kTypeHmtResidencePermit;
    return;
  }
  id->type = kTypeResidentId;
  if (!ProvinceExists(ParseInt(std::string_view(s).substr(0, 2)))) {
    AddFlag(kFlagBadRegion, id);
    return;
  }
  const int code = ParseInt(std::string_view(s).substr(0, 6));
  if (RegionPeriods(code).empty()) {
    AddFlag(kFlagRegionUnknown, id);
  } else if (!RegionInForce(code, std::max(birth_year, 1984) - kRegionGraceYears, today_year)) {
    AddFlag(kFlagRegionNotInForce, id);
  }
}

}  // namespace

bool IdNumber::HasFlag(std::string_view flag) const {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

char IdCheckCharacter(std::string_view first17) {
  // ISO 7064 MOD 11-2: weight of position i (0-based) is 2^(17-i) mod 11.
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
                                       3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

IdNumber NormalizeIdNumber(std::string_view raw, const IdNumberOptions& options) {
  IdNumber id;

  // Pass 1: decode, fold and strip. Anything left that is not a digit or X
  // is kept in `value` (so stewards see it) and reported as bad_character.
  std::string& s = id.value;
  s.reserve(raw.size());
  bool seen_content = false;  // a non-space code point has been seen
  for (size_t pos = 0; pos < raw.size();) {
    char32_t cp = 0;
    if (!DecodeUtf8(raw, &pos, &cp)) {
      AddFlag(kFlagBadCharacter, &id);
      AppendUtf8(kReplacement, &s);  // keep `value` valid UTF-8
      seen_content = true;
      continue;
    }
    if (IsSpace(cp)) {
      AddFlag(kFlagWhitespace, &id);
      continue;
    }
    if (!seen_content && IsApostrophe(cp)) {
      AddFlag(kFlagLeadingApostrophe, &id);
      seen_content = true;  // only one leading apostrophe is removed
      continue;
    }
    seen_content = true;
    if (cp >= 0xFF10 && cp <= 0xFF19) {  // full-width digits
      AddFlag(kFlagFullWidth, &id);
      cp = '0' + (cp - 0xFF10);
    } else if (cp == 0xFF38 || cp == 0xFF58) {  // full-width X, x
      AddFlag(kFlagFullWidth, &id);
      cp = cp == 0xFF38 ? 'X' : 'x';
    }
    if (cp == '-') {
      AddFlag(kFlagSeparators, &id);
      continue;
    }
    AppendUtf8(cp, &s);
  }

  if (s.empty()) {
    AddFlag(kFlagEmpty, &id);
    return id;
  }
  if (IsScientificNotation(s)) {
    AddFlag(kFlagScientific, &id);
    return id;
  }

  // Typed identifiers that are not GB 11643 numbers: letters then digits.
  {
    std::string upper = s;
    for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    if (std::string_view type = OtherIdentifierType(upper); !type.empty()) {
      s = std::move(upper);
      id.type = std::string(type);
      AddFlag(kFlagOtherIdentifier, &id);
      id.valid = true;
      return id;
    }
  }

  // Pass 2: shape. Digits everywhere, except an X as the 18th character.
  for (size_t i = 0; i < s.size(); ++i) {
    const bool x_allowed = i == 17 && i + 1 == s.size();
    if (x_allowed && s[i] == 'x') {
      AddFlag(kFlagLowercaseX, &id);
      s[i] = 'X';
    }
    if (!IsDigit(s[i]) && !(x_allowed && s[i] == 'X')) {
      AddFlag(kFlagBadCharacter, &id);
    }
  }
  if (s.size() != 15 && s.size() != 18) AddFlag(kFlagBadLength, &id);
  if (id.HasFlag(kFlagBadCharacter) || id.HasFlag(kFlagBadLength)) return id;
  if (options.spreadsheet_number) {
    // A numeric cell holds a double: 15 significant digits survive, so a
    // 15-digit legacy number is intact and an 18-digit one is not.
    AddFlag(kFlagSpreadsheetNumber, &id);
    if (s.size() == 18) return id;
  }

  if (s.size() == 15) {
    // Legacy number: YYMMDD with an implied "19", no check character.
    s.insert(6, "19");
    s.push_back(IdCheckCharacter(s));
    AddFlag(kFlagUpgraded15, &id);
  } else if (IdCheckCharacter(s) != s[17]) {
    AddFlag(kFlagBadCheckDigit, &id);
  }
  id.region_code = s.substr(0, 6);

  const int birth = ParseInt(std::string_view(s).substr(6, 8));
  const int year = birth / 10000, month = birth / 100 % 100, day = birth % 100;
  const int today = options.today_yyyymmdd != 0 ? options.today_yyyymmdd
                                                : TodayYyyymmdd();
  CheckRegion(year, today / 10000, &id);
  if (year < 1850 || !IsRealDate(year, month, day)) {
    AddFlag(kFlagBadBirthDate, &id);
  } else {
    if (birth > today) {
      AddFlag(kFlagFutureBirthDate, &id);
    } else {
      id.birth_date = s.substr(6, 4) + "-" + s.substr(10, 2) + "-" + s.substr(12, 2);
    }
  }

  // Repair flags do not make a value invalid; every other flag does.
  id.valid = std::none_of(id.flags.begin(), id.flags.end(), [](const std::string& f) {
    return f == kFlagBadCheckDigit || f == kFlagBadBirthDate ||
           f == kFlagFutureBirthDate || f == kFlagBadRegion || f == kFlagRegionNotInForce;
  });
  if (id.valid) id.sex = (s[16] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;
  return id;
}

}  // namespace gridhub::schema
