// schema/address_text.cc: text helpers of the address parser (address_parser.h):
// Chinese numerals, UTF-8 <-> UTF-32, Han test.
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <string>

#include "schema/address_parser.h"

namespace gridhub::schema::address {

int ChineseDigit(char32_t c) {
  constexpr std::u32string_view kDigits = U"〇一二三四五六七八九";
  if (c == U'零') return 0;
  if (c == U'两') return 2;
  const size_t i = kDigits.find(c);
  return i == std::u32string_view::npos ? -1 : static_cast<int>(i);
}

int ChineseUnit(char32_t c) { return c == U'十' ? 10 : c == U'百' ? 100 : c == U'千' ? 1000 : 0; }

std::u32string ChineseToArabic(std::u32string_view s) {
  bool positional = false;
  for (char32_t c : s) positional |= ChineseUnit(c) != 0;
  std::u32string out;
  if (!positional) {
    for (char32_t c : s) out += static_cast<char32_t>(U'0' + ChineseDigit(c));
    return out;
  }
  long total = 0;
  int pending = -1;
  int last_unit = 10000;
  bool zero = false;
  for (char32_t c : s) {
    const int unit = ChineseUnit(c);
    if (unit == 0) {
      const int d = ChineseDigit(c);
      if (pending >= 0) return U"";
      if (d == 0) {
        zero = true;
      } else {
        pending = d;
      }
      continue;
    }
    if (unit >= last_unit) return U"";
    if (pending < 0) {
      if (unit != 10 || total != 0 || zero) return U"";
      pending = 1;  // 十二 = 12
    }
    total += pending * unit;
    pending = -1;
    last_unit = unit;
    zero = false;
  }
  if (pending >= 0) {
    if (last_unit > 10 && !zero) return U"";  // 一百一: 101 or 110?
    total += pending;
  }
  for (char32_t c : std::to_string(total)) out += c;
  return out;
}

std::u32string StripZeros(std::u32string digits) {
  size_t i = 0;
  auto digit = [](char32_t c) { return c >= U'0' && c <= U'9'; };
  while (i + 1 < digits.size() && digits[i] == U'0' && digit(digits[i + 1])) ++i;
  return digits.substr(i);
}

bool IsHan(char32_t c) {
  return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_IDEOGRAPHIC) != 0;
}

std::u32string ToUtf32(std::string_view utf8) {
  std::u32string out;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(utf8.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(utf8.data(), i, n, c);
    if (c >= 0) out += static_cast<char32_t>(c);
  }
  return out;
}

std::string ToUtf8(std::u32string_view text) {
  std::string out;
  for (char32_t c : text) {
    char buf[4];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, static_cast<UChar32>(c));
    out.append(buf, static_cast<size_t>(len));
  }
  return out;
}

}  // namespace gridhub::schema::address
