// connectors/xlsx/sheet_reader.cc: see sheet_reader.h.
//
// Why a pull parser for sheets when the other parts use SAX: a SAX parser
// pushes the whole document through its handler in one call, which would
// force either buffering every row of the sheet or a second thread to feed
// Connector::Next. Poco's XMLStreamParser is the same expat underneath, but
// the caller pulls events, so Next() parses exactly one <row> and returns.
#include "connectors/xlsx/sheet_reader.h"

#include <exception>
#include <optional>
#include <utility>

#include "Poco/Exception.h"
#include "Poco/XML/QName.h"
#include "Poco/XML/XMLStreamParser.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "connectors/xlsx/shared_strings.h"
#include "connectors/xlsx/styles.h"

namespace gridhub::connectors::xlsx {
namespace {

constexpr int kMaxColumns = 16384;  // XFD, Excel's last column

using Parser = Poco::XML::XMLStreamParser;

// An attribute without a namespace, or "". Marks every attribute of the
// element handled: XMLStreamParser throws at an element's end otherwise.
std::string Attribute(const Parser& parser, const char* name) {
  const Parser::AttributeMapType& attributes = parser.attributeMap();
  const auto it = attributes.find(Poco::XML::QName(name));
  return it == attributes.end() ? std::string() : it->second.value;
}

// Whether text starts with an ISO date "YYYY-MM-DD".
bool StartsWithIsoDate(std::string_view text) {
  if (text.size() < 10) return false;
  for (size_t i = 0; i < 10; ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? text[i] != '-' : (text[i] < '0' || text[i] > '9')) return false;
  }
  return true;
}

}  // namespace

// The cell being parsed, from <c> to </c>.
struct SheetReader::CellState {
  int column = 0;
  std::string reference;  // the r attribute, for messages
  std::string type;       // the t attribute; "" means "n"
  int style = 0;
  std::string value;        // <v>
  std::string inline_text;  // <is> text runs
  bool in_value = false;
  bool in_inline = false;
  bool in_text = false;
  int phonetic_depth = 0;
};

bool ParseCellReference(std::string_view reference, int* column, int64_t* row) {
  size_t i = 0;
  int col = 0;
  while (i < reference.size() && ((reference[i] >= 'A' && reference[i] <= 'Z') ||
                                  (reference[i] >= 'a' && reference[i] <= 'z'))) {
    const char c = reference[i] >= 'a' ? static_cast<char>(reference[i] - 'a' + 'A') : reference[i];
    col = col * 26 + (c - 'A' + 1);
    if (col > kMaxColumns) return false;
    ++i;
  }
  if (i == 0) return false;
  int64_t number = 0;
  const std::string_view digits = reference.substr(i);
  if (!digits.empty() &&
      !absl::SimpleAtoi(absl::string_view(digits.data(), digits.size()), &number)) {
    return false;
  }
  *column = col - 1;
  *row = number;
  return true;
}

SheetReader::SheetReader(std::unique_ptr<PartStream> part, std::string where, SheetContext context)
    : part_(std::move(part)), where_(std::move(where)), context_(context) {}

SheetReader::~SheetReader() = default;

absl::StatusOr<bool> SheetReader::Next(SheetRow* row) {
  if (!failed_.ok()) return failed_;
  absl::StatusOr<bool> result;
  try {
    if (parser_ == nullptr) parser_ = std::make_unique<Parser>(part_->stream(), where_);
    result = ReadRow(row);
  } catch (const Poco::Exception& e) {
    result = absl::DataLossError(
        absl::StrCat(where_, " is damaged after row ", last_row_, ": ", e.displayText()));
  } catch (const std::exception& e) {
    result = absl::DataLossError(
        absl::StrCat(where_, " is damaged after row ", last_row_, ": ", e.what()));
  }
  if (!result.ok()) failed_ = result.status();
  return result;
}

absl::StatusOr<bool> SheetReader::ReadRow(SheetRow* row) {
  row->cells.clear();
  bool in_row = false;
  bool in_cell = false;
  int last_column = -1;  // of the previous <c> in this row, empty or not
  CellState cell;
  while (true) {
    const Parser::EventType event = parser_->next();
    switch (event) {
      case Parser::EV_EOF:
        return false;
      case Parser::EV_START_ELEMENT: {
        const std::string& name = parser_->localName();
        if (name == "row") {
          int64_t number = 0;
          if (!absl::SimpleAtoi(Attribute(*parser_, "r"), &number) || number <= 0) {
            number = last_row_ + 1;
          }
          row->number = number;
          last_row_ = number;
          last_column = -1;
          in_row = true;
        } else if (name == "c" && in_row) {
          cell = CellState();
          cell.column = last_column + 1;
          cell.reference = Attribute(*parser_, "r");
          cell.type = Attribute(*parser_, "t");
          if (!absl::SimpleAtoi(Attribute(*parser_, "s"), &cell.style)) cell.style = 0;
          int64_t unused_row = 0;
          if (!cell.reference.empty() &&
              !ParseCellReference(cell.reference, &cell.column, &unused_row)) {
            return absl::DataLossError(absl::StrCat(where_, ": row ", row->number,
                                                    " has a cell with the bad reference '",
                                                    cell.reference, "'"));
          }
          if (cell.column >= kMaxColumns) {
            return absl::DataLossError(absl::StrCat(where_, ": row ", row->number,
                                                    " has more than ", kMaxColumns, " columns"));
          }
          last_column = cell.column;
          in_cell = true;
        } else {
          parser_->attributeMap();  // mark this element's attributes handled
          if (!in_cell) break;
          if (name == "v") {
            cell.in_value = true;
          } else if (name == "is") {
            cell.in_inline = true;
          } else if (name == "rPh") {
            ++cell.phonetic_depth;
          } else if (name == "t") {
            cell.in_text = cell.in_inline && cell.phonetic_depth == 0;
          }
        }
        break;
      }
      case Parser::EV_CHARACTERS:
        if (cell.in_value) {
          cell.value += parser_->value();
        } else if (cell.in_text) {
          cell.inline_text += parser_->value();
        }
        break;
      case Parser::EV_END_ELEMENT: {
        const std::string& name = parser_->localName();
        if (name == "row" && in_row) return true;
        if (!in_cell) break;
        if (name == "c") {
          in_cell = false;
          const absl::Status finished = FinishCell(cell, row);
          if (!finished.ok()) return finished;
        } else if (name == "v") {
          cell.in_value = false;
        } else if (name == "is") {
          cell.in_inline = false;
        } else if (name == "rPh") {
          if (cell.phonetic_depth > 0) --cell.phonetic_depth;
        } else if (name == "t") {
          cell.in_text = false;
        }
        break;
      }
      default:
        break;
    }
  }
}

absl::Status SheetReader::FinishCell(const CellState& cell, SheetRow* row) const {
  SheetCell out;
  out.column = cell.column;
  const std::string& type = cell.type;
  if (type == "s") {
    int64_t index = -1;
    if (cell.value.empty()) return absl::OkStatus();
    const std::vector<std::string>& strings = *context_.shared_strings;
    if (!absl::SimpleAtoi(cell.value, &index) || index < 0 ||
        static_cast<uint64_t>(index) >= strings.size()) {
      const std::string which =
          cell.reference.empty() ? absl::StrCat("in column ", cell.column + 1) : cell.reference;
      return absl::DataLossError(absl::StrCat(where_, ": cell ", which, " (row ", row->number,
                                              ") points at shared string '", cell.value,
                                              "', but the workbook has ", strings.size()));
    }
    out.text = strings[static_cast<size_t>(index)];
  } else if (type == "inlineStr") {
    out.text = DecodeEscapes(cell.inline_text);
  } else if (type == "str") {
    out.text = DecodeEscapes(cell.value);
  } else if (type == "b") {
    out.kind = CellKind::kBoolean;
    out.text = cell.value == "1" ? "TRUE" : cell.value == "0" ? "FALSE" : cell.value;
  } else if (type == "e") {
    out.kind = CellKind::kError;
    out.text = cell.value;
  } else if (type == "d") {
    const bool is_date = StartsWithIsoDate(cell.value);
    out.kind = is_date ? CellKind::kDate : CellKind::kText;
    out.text = is_date ? cell.value.substr(0, 10) : cell.value;
  } else {  // "n" or absent: a number
    out.kind = CellKind::kNumber;
    out.text = cell.value;
    const std::vector<bool>& dates = *context_.date_styles;
    if (!cell.value.empty() && cell.style >= 0 && static_cast<size_t>(cell.style) < dates.size() &&
        dates[static_cast<size_t>(cell.style)]) {
      std::optional<std::string> date = SerialToIsoDate(cell.value, context_.date1904);
      if (date.has_value()) {
        out.kind = CellKind::kDate;
        out.text = std::move(*date);
      }
    }
  }
  if (out.text.empty()) return absl::OkStatus();  // an empty cell is no cell
  row->cells.push_back(std::move(out));
  return absl::OkStatus();
}

}  // namespace gridhub::connectors::xlsx
