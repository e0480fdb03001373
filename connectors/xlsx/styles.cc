// connectors/xlsx/styles.cc: see styles.h.
#include "connectors/xlsx/styles.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <utility>

#include "Poco/SAX/Attributes.h"
#include "Poco/SAX/DefaultHandler.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "schema/status.h"

namespace gridhub::connectors::xlsx {
namespace {

// Reads <numFmts><numFmt numFmtId formatCode> and <cellXfs><xf numFmtId>.
class StylesHandler : public Poco::XML::DefaultHandler {
 public:
  void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local_name,
                    const Poco::XML::XMLString& qname,
                    const Poco::XML::Attributes& attributes) override {
    if (local_name == "numFmt") {
      int id = 0;
      if (absl::SimpleAtoi(AttributeValue(attributes, "numFmtId"), &id)) {
        custom_formats_[id] = AttributeValue(attributes, "formatCode");
      }
    } else if (local_name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (local_name == "xf" && in_cell_xfs_) {
      int id = 0;
      if (!absl::SimpleAtoi(AttributeValue(attributes, "numFmtId"), &id)) id = 0;
      xf_formats_.push_back(id);
    }
  }

  void endElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local_name,
                  const Poco::XML::XMLString& qname) override {
    if (local_name == "cellXfs") in_cell_xfs_ = false;
  }

  std::vector<bool> DateStyles() const {
    std::vector<bool> dates;
    dates.reserve(xf_formats_.size());
    for (const int id : xf_formats_) {
      const auto custom = custom_formats_.find(id);
      dates.push_back(custom != custom_formats_.end() ? IsDateFormatCode(custom->second)
                                                      : IsBuiltInDateFormat(id));
    }
    return dates;
  }

 private:
  bool in_cell_xfs_ = false;
  std::map<int, std::string> custom_formats_;
  std::vector<int> xf_formats_;
};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The inverse of DaysFromCivil.
void CivilFromDays(int64_t z, int64_t* year, int64_t* month, int64_t* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = yoe + era * 400 + (*month <= 2 ? 1 : 0);
}

std::string IsoDate(int64_t year, int64_t month, int64_t day) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", static_cast<int>(year),
                static_cast<int>(month), static_cast<int>(day));
  return buffer;
}

}  // namespace

bool IsBuiltInDateFormat(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

bool IsDateFormatCode(std::string_view code) {
  bool has_ymd = false;  // y or d
  bool has_m = false;
  bool has_time = false;  // h or s: an m beside them is minutes
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '"') {
      const size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '[') {
      const size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      // [h], [mm], [ss]: elapsed time, so an m elsewhere is minutes.
      const std::string_view inside = code.substr(i + 1, close - i - 1);
      if (!inside.empty() && inside.find_first_not_of("hHmMsS") == std::string_view::npos) {
        has_time = true;
      }
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal text or padding
    } else {
      const char lower = absl::ascii_tolower(static_cast<unsigned char>(c));
      if (lower == 'y' || lower == 'd') {
        has_ymd = true;
      } else if (lower == 'm') {
        has_m = true;
      } else if (lower == 'h' || lower == 's') {
        has_time = true;
      }
    }
  }
  return has_ymd || (has_m && !has_time);
}

std::optional<std::string> SerialToIsoDate(std::string_view value, bool date1904) {
  double serial = 0;
  if (!absl::SimpleAtod(absl::string_view(value.data(), value.size()), &serial) ||
      !std::isfinite(serial) || serial < 0 || serial > 3.0e6) {
    return std::nullopt;
  }
  const int64_t day = static_cast<int64_t>(std::floor(serial));
  int64_t days_since_epoch = 0;
  if (date1904) {
    days_since_epoch = DaysFromCivil(1904, 1, 1) + day;
  } else if (day < 1) {
    return std::nullopt;  // Excel's "1900-01-00": a time of day, not a date
  } else if (day == 60) {
    return std::string("1900-02-29");  // the day Excel believes 1900 had
  } else {
    days_since_epoch = DaysFromCivil(1899, 12, day < 60 ? 31 : 30) + day;
  }
  int64_t year = 0, month = 0, mday = 0;
  CivilFromDays(days_since_epoch, &year, &month, &mday);
  if (year > 9999) return std::nullopt;
  return IsoDate(year, month, mday);
}

absl::StatusOr<std::vector<bool>> ReadDateStyles(const XlsxPackage& package,
                                                 const std::string& part) {
  StylesHandler handler;
  GRIDHUB_RETURN_IF_ERROR(package.ParseXml(part, &handler));
  return handler.DateStyles();
}

}  // namespace gridhub::connectors::xlsx
