// hub/hubctl/text.h: lining up columns of Chinese text in a terminal.
// East Asian characters (3- and 4-byte UTF-8) take two columns.
#ifndef GRIDHUB_HUB_HUBCTL_TEXT_H_
#define GRIDHUB_HUB_HUBCTL_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace gridhub::hubctl {

inline size_t DisplayWidth(std::string_view s) {
  size_t width = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    width += len >= 3 ? 2 : 1;
    i += len;
  }
  return width;
}

// `s` followed by spaces up to `width` display columns.
inline std::string PadDisplay(std::string_view s, size_t width) {
  std::string out(s);
  for (size_t w = DisplayWidth(s); w < width; ++w) out.push_back(' ');
  return out;
}

}  // namespace gridhub::hubctl

#endif  // GRIDHUB_HUB_HUBCTL_TEXT_H_
