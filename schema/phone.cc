// schema/phone.cc: telephone number normalization (see the header for the
// contract). Hand-written parsing of the cleaned text; no regular expressions.
#include "schema/phone.h"

#include <string>
#include <vector>

#include "schema/id_number.h"

namespace gridhub::schema {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return !s.empty();
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "1.38123E+10": what a spreadsheet shows for a long number; digits are lost.
bool IsScientificNotation(std::string_view s) {
  const size_t e = s.find_first_of("eE");
  if (e == std::string_view::npos) return false;
  std::string_view mantissa = s.substr(0, e);
  std::string_view exponent = s.substr(e + 1);
  const size_t dot = mantissa.find('.');
  if (!AllDigits(mantissa.substr(0, dot))) return false;
  if (dot != std::string_view::npos && !mantissa.substr(dot + 1).empty() &&
      !AllDigits(mantissa.substr(dot + 1))) {
    return false;
  }
  if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) exponent.remove_prefix(1);
  return AllDigits(exponent);
}

// Strips one leading apostrophe (ASCII ', backtick, U+2018, U+2019) that a
// spreadsheet adds to keep a value as text.
bool StripApostrophe(std::string_view* s) {
  for (std::string_view a : {"'", "`", "\u2018", "\u2019"}) {
    if (StartsWith(*s, a)) {
      s->remove_prefix(a.size());
      if (!s->empty() && s->front() == ' ') s->remove_prefix(1);
      return true;
    }
  }
  return false;
}

// Splits off an extension introduced by a marker (转, 分机, ext, x, #).
// Returns false when a marker is not followed by 1-6 digits.
bool SplitExtension(std::string_view s, std::string_view* main, std::string* extension) {
  std::string lower(s);
  for (char& ch : lower) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  size_t at = std::string::npos;
  size_t marker_len = 0;
  for (std::string_view marker : {"转", "分机", "ext", "x", "#"}) {
    const size_t p = lower.find(marker);
    if (p < at) at = p, marker_len = marker.size();
  }
  *main = s.substr(0, at);
  while (!main->empty() && main->back() == ' ') main->remove_suffix(1);
  if (at == std::string::npos) return true;
  std::string_view rest = s.substr(at + marker_len);
  for (std::string_view skip : {"分机", "号", "."}) {
    if (StartsWith(rest, skip)) rest.remove_prefix(skip.size());
  }
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == ':')) rest.remove_prefix(1);
  if (rest.size() > 6 || !AllDigits(rest)) return false;
  *extension = std::string(rest);
  return true;
}

// The number's digit groups, as separated by spaces, '-', '.' and one pair
// of parentheses, after an optional leading '+'.
struct Groups {
  bool plus = false;
  bool separators = false;
  std::vector<std::string> digits;
  std::vector<bool> after_dash;  // the separators before group i had a '-'
};

bool Tokenize(std::string_view s, Groups* g) {
  int opens = 0, closes = 0;
  bool in_group = false, dash = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (IsDigit(c)) {
      if (!in_group) {
        g->digits.emplace_back();
        g->after_dash.push_back(dash);
        in_group = true;
        dash = false;
      }
      g->digits.back() += c;
    } else if (c == '+' && !g->plus && g->digits.empty() && (i == 0 || s[i - 1] == '(')) {
      g->plus = true;
    } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
      in_group = false;
      g->separators = true;
      if (c == '-') dash = true;
      if (c == '(' && (++opens > 1 || closes > 0)) return false;
      if (c == ')' && ++closes > opens) return false;
    } else {
      return false;
    }
  }
  return opens == closes && !g->digits.empty();
}

// The 3- or 4-digit area code length of a national number starting with 0,
// or 0 when it starts no area code.
size_t AreaCodeLength(std::string_view national) {
  if (national.size() < 4 || national[0] != '0') return 0;
  if (national[1] == '1') return national[2] == '0' ? 3 : 0;  // only 010
  if (national[1] == '2') return 3;
  return national[1] >= '3' ? 4 : 0;
}

bool IsLocalNumber(std::string_view local) {
  return (local.size() == 7 || local.size() == 8) && AllDigits(local) && local[0] >= '2';
}

Normalized Refuse(Normalized out, std::string_view reason) {
  out.AddFlag(reason);
  return out;
}

}  // namespace

Normalized NormalizePhone(std::string_view raw, const NormalizeOptions& options) {
  (void)options;  // no option applies to phone numbers
  Normalized out;
  bool changed = false;
  bool ok = true;
  out.value = CleanText(raw, &changed, &ok);
  if (!ok) return Refuse(std::move(out), kFlagInvalidUtf8);
  if (changed) out.AddFlag(kFlagNfkc);
  std::string_view s = out.value;
  if (StripApostrophe(&s)) out.AddFlag(kFlagLeadingApostrophe);
  if (s.empty()) return Refuse(std::move(out), kFlagEmpty);
  if (IsScientificNotation(s)) return Refuse(std::move(out), kFlagScientific);
  if (s.find_first_of("/,;") != std::string_view::npos ||
      s.find("、") != std::string_view::npos) {
    return Refuse(std::move(out), kFlagMultipleNumbers);
  }

  std::string_view main;
  std::string extension;
  Groups g;
  if (!SplitExtension(s, &main, &extension) || !Tokenize(main, &g)) {
    return Refuse(std::move(out), kFlagUnrecognized);
  }
  std::string digits;
  for (const std::string& group : g.digits) digits += group;

  // Country code, then the trunk 0 that a national landline number starts with.
  size_t strip = 0;
  if (g.plus) {
    if (!StartsWith(digits, "86")) return Refuse(std::move(out), kFlagUnrecognized);
    strip = 2;
  } else if (StartsWith(digits, "0086")) {
    strip = 4;
  } else if ((g.digits.size() > 1 && g.digits[0] == "86") ||
             (digits.size() == 13 && StartsWith(digits, "861"))) {
    strip = 2;
  }
  std::string national = digits.substr(strip);
  // Mobiles start with 1[3-9]; anything else after a country code is a
  // landline whose trunk 0 was left out (Beijing: "+86 10 …").
  int shift = -static_cast<int>(strip);  // national index of a digits index
  if (strip > 0 && national.size() > 1 && national[0] != '0' &&
      (national[0] != '1' || national[1] == '0')) {
    national.insert(0, "0");
    ++shift;
  }
  if (national.empty()) return Refuse(std::move(out), kFlagUnrecognized);

  if (national[0] == '1') {
    if (national.size() != 11 || national[1] < '3' || !extension.empty()) {
      return Refuse(std::move(out), kFlagUnrecognized);
    }
    out.value = national;
    out.parts["kind"] = "mobile";
  } else if (national[0] == '0') {
    const size_t area_len = AreaCodeLength(national);
    if (area_len == 0) return Refuse(std::move(out), kFlagUnrecognized);
    // A group must not end inside the area code (after "+86 (0)" it may).
    int end = shift;
    for (size_t i = 0; i + 1 < g.digits.size(); ++i) {
      end += static_cast<int>(g.digits[i].size());
      if (end > 0 && end < static_cast<int>(area_len) && !(strip > 0 && end == 1)) {
        return Refuse(std::move(out), kFlagUnrecognized);
      }
    }
    std::string local = national.substr(area_len);
    const std::string& last = g.digits.back();
    if (extension.empty() && local.size() > 8 && g.digits.size() > 1 && g.after_dash.back() &&
        last.size() <= 6 && IsLocalNumber(local.substr(0, local.size() - last.size()))) {
      extension = last;  // "0571-64123456-123"
      local.resize(local.size() - last.size());
    }
    if (!IsLocalNumber(local)) return Refuse(std::move(out), kFlagUnrecognized);
    out.parts["area_code"] = national.substr(0, area_len);
    out.value = out.parts["area_code"] + "-" + local;
    out.parts["kind"] = "landline";
  } else if (strip == 0 && IsLocalNumber(national)) {
    return Refuse(std::move(out), kFlagMissingAreaCode);
  } else {
    return Refuse(std::move(out), kFlagUnrecognized);
  }

  // "13800000000", "0571-88888888": a form's filler, shared by strangers.
  {
    const std::string& v = out.value;
    const std::string subscriber = v.substr(v.size() >= 8 ? v.size() - 8 : 0);
    if (subscriber.size() == 8 &&
        subscriber.find_first_not_of(subscriber[0]) == std::string::npos) {
      return Refuse(std::move(out), kFlagPlaceholder);
    }
  }
  if (g.separators) out.AddFlag(kFlagSeparatorsRemoved);
  if (strip > 0) out.AddFlag(kFlagCountryCodeRemoved);
  if (!extension.empty()) {
    out.AddFlag(kFlagExtensionSplit);
    out.parts["extension"] = extension;
  }
  out.valid = true;
  return out;
}

}  // namespace gridhub::schema
