// connectors/header_row.cc: see header_row.h.
#include "connectors/header_row.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "schema/headers.h"

namespace gridhub::connectors {
namespace {

constexpr std::string_view kOpenBrackets[] = {"(", "[", "\xEF\xBC\x88" /*（*/, "\xE3\x80\x90" /*【*/};
constexpr std::string_view kCloseBrackets[] = {")", "]", "\xEF\xBC\x89" /*）*/,
                                               "\xE3\x80\x91" /*】*/};
constexpr std::string_view kColons[] = {":", "\xEF\xBC\x9A" /*：*/};
constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";

// The length of the token of `tokens` that `text` starts with, or 0.
size_t StartsWithAny(std::string_view text, const std::string_view* begin,
                     const std::string_view* end) {
  for (const std::string_view* t = begin; t != end; ++t) {
    if (text.substr(0, t->size()) == *t) return t->size();
  }
  return 0;
}

// True if only ASCII and ideographic spaces are left in `text`.
bool IsBlank(std::string_view text) {
  while (!text.empty()) {
    if (absl::ascii_isspace(static_cast<unsigned char>(text.front()))) {
      text.remove_prefix(1);
    } else if (text.substr(0, kIdeographicSpace.size()) == kIdeographicSpace) {
      text.remove_prefix(kIdeographicSpace.size());
    } else {
      return false;
    }
  }
  return true;
}

// "填报单位：城南街道" (a colon outside brackets with text after it) is a
// label and its value, not a column header; "性别(1:男 2:女)" is a header.
bool IsLabelAndValue(std::string_view cell) {
  int depth = 0;
  while (!cell.empty()) {
    if (size_t n = StartsWithAny(cell, std::begin(kOpenBrackets), std::end(kOpenBrackets))) {
      ++depth;
      cell.remove_prefix(n);
    } else if (size_t n =
                   StartsWithAny(cell, std::begin(kCloseBrackets), std::end(kCloseBrackets))) {
      depth = std::max(0, depth - 1);
      cell.remove_prefix(n);
    } else if (size_t n = StartsWithAny(cell, std::begin(kColons), std::end(kColons))) {
      cell.remove_prefix(n);
      if (depth == 0 && !IsBlank(cell)) return true;
    } else {
      cell.remove_prefix(1);
    }
  }
  return false;
}

size_t NonEmptyCount(const std::vector<std::string>& cells) {
  return static_cast<size_t>(std::count_if(cells.begin(), cells.end(), [](const std::string& c) {
    return !IsBlank(c);
  }));
}

}  // namespace

int KnownHeaderCount(const std::vector<std::string>& cells) {
  // Only the non-empty cells, in order (a spreadsheet row may be mostly gaps).
  std::vector<std::string> filled;
  for (const std::string& cell : cells) {
    if (!IsBlank(cell)) filled.push_back(cell);
  }
  if (filled.size() < 2) return 0;  // too few to be anything but a title
  const schema::HeaderDetection detection = schema::DetectHeaders(filled);
  int known = 0;
  for (size_t i = 0; i < detection.columns.size() && i < filled.size(); ++i) {
    const schema::DetectedColumn& column = detection.columns[i];
    if ((!column.field.empty() || column.record_id) && !IsLabelAndValue(filled[i])) ++known;
  }
  return known;
}

size_t ChooseHeaderRow(const std::vector<std::vector<std::string>>& rows) {
  for (size_t i = 0; i < rows.size(); ++i) {
    if (KnownHeaderCount(rows[i]) >= 2) return i;
  }
  size_t fullest = 0;
  for (const std::vector<std::string>& row : rows) fullest = std::max(fullest, NonEmptyCount(row));
  for (size_t i = 0; i < rows.size(); ++i) {
    if (2 * NonEmptyCount(rows[i]) > fullest) return i;
  }
  return 0;
}

std::vector<std::string> ColumnNames(std::vector<std::string> cells,
                                     std::vector<std::string>* renamed) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].empty()) cells[i] = absl::StrCat("column_", i + 1);
  }
  auto key = [](const std::string& name) { return std::string(absl::StripAsciiWhitespace(name)); };
  std::set<std::string> taken;  // every name in the header, and every new name
  for (const std::string& name : cells) taken.insert(key(name));
  std::set<std::string> seen;
  for (std::string& name : cells) {
    const std::string base = key(name);
    if (seen.insert(base).second) continue;
    std::string fresh;
    for (int n = 2;; ++n) {
      fresh = absl::StrCat(base, "_", n);
      if (!taken.count(fresh)) break;
    }
    taken.insert(fresh);
    seen.insert(fresh);
    name = fresh;
    if (renamed != nullptr) renamed->push_back(fresh);
  }
  return cells;
}

absl::StatusOr<int64_t> ParseHeaderRowOption(const std::string& connector, const std::string& value) {
  const std::string text(absl::StripAsciiWhitespace(value));
  if (text.empty() || absl::EqualsIgnoreCase(text, "auto")) return 0;
  int64_t line = 0;
  if (!absl::SimpleAtoi(text, &line) || line < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(connector, ": header_row must be 'auto' or a line number from 1, not '",
                     value, "'"));
  }
  return line;
}

std::string DescribeHeader(int64_t header_line, int64_t title_rows, bool configured,
                           const std::vector<std::string>& renamed) {
  std::string out;
  if (title_rows > 0 || configured) {
    absl::StrAppend(&out, "; header at line ", header_line, configured ? " (header_row)" : "");
    if (title_rows > 0) {
      absl::StrAppend(&out, "; ", title_rows, title_rows == 1 ? " title row" : " title rows",
                      " skipped");
    }
  }
  if (!renamed.empty()) {
    absl::StrAppend(&out, "; duplicate columns renamed: ", absl::StrJoin(renamed, ", "));
  }
  return out;
}

}  // namespace gridhub::connectors
