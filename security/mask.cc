#include "security/mask.h"

#include <vector>

#include "schema/fields.h"

namespace gridhub::security {
namespace {

// Splits UTF-8 into characters (a malformed byte counts as one character).
std::vector<std::string_view> Chars(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) len = 1;
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

// Keeps `head` leading and `tail` trailing characters, stars in between.
std::string KeepEnds(std::string_view value, size_t head, size_t tail) {
  const std::vector<std::string_view> chars = Chars(value);
  if (chars.size() <= head + tail) {
    return std::string(chars.size(), '*');
  }
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (i < head || i >= chars.size() - tail) {
      out.append(chars[i]);
    } else {
      out.push_back('*');
    }
  }
  return out;
}

}  // namespace

std::string MaskValue(std::string_view field, std::string_view value) {
  if (value.empty()) return "";
  if (field == schema::kIdNumber) return KeepEnds(value, 6, 4);
  if (field == schema::kPhone) {
    const size_t dash = value.find('-');
    if (dash != std::string_view::npos) {
      return std::string(value.substr(0, dash + 1)) + KeepEnds(value.substr(dash + 1), 0, 4);
    }
    return KeepEnds(value, 3, 4);
  }
  return KeepEnds(value, 1, 0);
}

}  // namespace gridhub::security
