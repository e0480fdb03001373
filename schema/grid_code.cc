#include "schema/grid_code.h"

#include <string>

#include "absl/strings/ascii.h"
#include "schema/id_number.h"

namespace gridhub::schema {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

// Spreadsheet scientific notation: digits, '.', digits, 'E'/'e', sign, digits.
bool IsScientific(std::string_view s) {
  const size_t e = s.find_first_of("Ee");
  if (e == std::string_view::npos || e == 0) return false;
  std::string_view mantissa = s.substr(0, e);
  std::string_view exponent = s.substr(e + 1);
  const size_t dot = mantissa.find('.');
  if (dot != std::string_view::npos) {
    if (!AllDigits(mantissa.substr(0, dot)) || !AllDigits(mantissa.substr(dot + 1))) return false;
  } else if (!AllDigits(mantissa)) {
    return false;
  }
  if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) exponent.remove_prefix(1);
  return AllDigits(exponent);
}

// A county code: province 11-82 and a county part other than "00".
bool IsCountyCode(std::string_view six) {
  if (six.size() != 6 || !AllDigits(six)) return false;
  const int province = (six[0] - '0') * 10 + (six[1] - '0');
  return province >= 11 && province <= 82 && six.substr(4, 2) != "00";
}

}  // namespace

Normalized NormalizeCode(std::string_view raw, const CodeRules& rules) {
  Normalized out;
  bool changed = false, ok = true;
  std::string text = CleanText(raw, &changed, &ok);
  if (!ok) {
    out.AddFlag(kFlagInvalidUtf8);
    return out;
  }
  if (changed) out.AddFlag(kFlagNfkc);
  out.value = text;  // for display while invalid
  std::string_view s = text;
  if (s.starts_with('\'')) {
    out.AddFlag(kFlagLeadingApostrophe);
    s.remove_prefix(1);
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  }
  if (s.empty()) {
    out.AddFlag(kFlagEmpty);
    return out;
  }
  if (IsScientific(s) && s.find_first_of("+-.") != std::string_view::npos) {
    out.AddFlag(kFlagScientific);
    return out;
  }
  if (s.size() >= rules.min_decimal_digits + 2 && s.ends_with(".0") &&
      AllDigits(s.substr(0, s.size() - 2))) {
    out.AddFlag(kFlagDecimalSuffix);
    s.remove_suffix(2);
  }
  std::string code;
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isdigit(u) || absl::ascii_isupper(u)) {
      code += c;
    } else if (absl::ascii_islower(u)) {
      out.AddFlag(kFlagLowercase);
      code += absl::ascii_toupper(u);
    } else if (c == ' ') {
      out.AddFlag(kFlagWhitespace);
    } else if (rules.separators.find(c) != std::string_view::npos) {
      out.AddFlag(kFlagSeparators);
    } else {
      out.AddFlag(kFlagBadCharacter);
      return out;
    }
  }
  if (code.empty()) {
    out.AddFlag(kFlagEmpty);
    return out;
  }
  out.value = code;
  out.valid = true;
  return out;
}

Normalized NormalizeGridCode(std::string_view raw, const NormalizeOptions& options) {
  (void)options;  // no option applies to grid codes
  Normalized out = NormalizeCode(raw, CodeRules{});
  if (out.valid && out.value.size() >= 6 && IsCountyCode(std::string_view(out.value).substr(0, 6))) {
    out.parts["county"] = out.value.substr(0, 6);
  }
  return out;
}

}  // namespace gridhub::schema
