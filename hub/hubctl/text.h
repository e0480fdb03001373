// hub/hubctl/text.h: lining up columns of Chinese text in a terminal.
// East Asian characters (3- and 4-byte UTF-8) take two columns.
#ifndef GRIDHUB_HUB_HUBCTL_TEXT_H_
#define GRIDHUB_HUB_HUBCTL_TEXT_H_

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

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

// `s` preceded by spaces up to `width` display columns (numbers).
inline std::string PadDisplayLeft(std::string_view s, size_t width) {
  std::string out;
  for (size_t w = DisplayWidth(s); w < width; ++w) out.push_back(' ');
  return out.append(s);
}

// Rows of cells lined up in columns two spaces apart, each line starting
// with `indent`; columns flagged in `right` are aligned to the right. The
// last column is not padded.
//   TextTable t({false, true}); t.Row({"name", "+8.1"}); out += t.Render("  ");
class TextTable {
 public:
  explicit TextTable(std::vector<bool> right = {}) : right_(std::move(right)) {}
  void Row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }

  std::string Render(std::string_view indent = "") const {
    std::vector<size_t> width;
    for (const auto& row : rows_) {
      if (width.size() < row.size()) width.resize(row.size(), 0);
      for (size_t i = 0; i < row.size(); ++i) {
        width[i] = std::max(width[i], DisplayWidth(row[i]));
      }
    }
    std::string out;
    for (const auto& row : rows_) {
      std::string line(indent);
      for (size_t i = 0; i < row.size(); ++i) {
        const bool right = i < right_.size() && right_[i];
        const bool last = i + 1 == row.size();
        if (i > 0) line += "  ";
        line += right ? PadDisplayLeft(row[i], width[i])
                      : (last ? row[i] : PadDisplay(row[i], width[i]));
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line;
      out += '\n';
    }
    return out;
  }

 private:
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace gridhub::hubctl

#endif  // GRIDHUB_HUB_HUBCTL_TEXT_H_
