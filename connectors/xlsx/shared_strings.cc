// connectors/xlsx/shared_strings.cc: see shared_strings.h.
#include "connectors/xlsx/shared_strings.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "Poco/SAX/Attributes.h"
#include "Poco/SAX/DefaultHandler.h"
#include "schema/status.h"

namespace gridhub::connectors::xlsx {
namespace {

// An upper bound on the up-front reservation, whatever uniqueCount claims.
constexpr size_t kMaxReserve = 1 << 20;

class SharedStringsHandler : public Poco::XML::DefaultHandler {
 public:
  explicit SharedStringsHandler(std::vector<std::string>* out) : out_(out) {}

  void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local_name,
                    const Poco::XML::XMLString& qname,
                    const Poco::XML::Attributes& attributes) override {
    if (local_name == "sst") {
      const std::string count = AttributeValue(attributes, "uniqueCount");
      size_t n = 0;
      for (const char c : count) {
        if (c < '0' || c > '9' || n > kMaxReserve) break;
        n = n * 10 + static_cast<size_t>(c - '0');
      }
      out_->reserve(std::min(n, kMaxReserve));
    } else if (local_name == "si") {
      in_item_ = true;
      text_.clear();
    } else if (local_name == "rPh") {
      ++phonetic_depth_;
    } else if (local_name == "t") {
      in_text_ = in_item_ && phonetic_depth_ == 0;
    }
  }

  void endElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local_name,
                  const Poco::XML::XMLString& qname) override {
    if (local_name == "t") {
      in_text_ = false;
    } else if (local_name == "rPh") {
      if (phonetic_depth_ > 0) --phonetic_depth_;
    } else if (local_name == "si") {
      out_->push_back(DecodeEscapes(text_));
      in_item_ = false;
    }
  }

  void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
    if (in_text_) text_.append(ch + start, static_cast<size_t>(length));
  }

 private:
  std::vector<std::string>* out_;
  std::string text_;
  bool in_item_ = false;
  bool in_text_ = false;
  int phonetic_depth_ = 0;
};

// The value of 4 hex digits at text[pos], or -1.
int32_t HexUnit(std::string_view text, size_t pos) {
  if (pos + 4 > text.size()) return -1;
  int32_t value = 0;
  for (size_t i = pos; i < pos + 4; ++i) {
    const char c = text[i];
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

// The code unit of an escape "_xHHHH_" at text[pos], or -1.
int32_t EscapeAt(std::string_view text, size_t pos) {
  if (pos + 7 > text.size() || text[pos] != '_' || text[pos + 1] != 'x' || text[pos + 6] != '_') {
    return -1;
  }
  return HexUnit(text, pos + 2);
}

void AppendUtf8(uint32_t cp, std::string* out) {
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

}  // namespace

std::string DecodeEscapes(std::string_view text) {
  if (text.find("_x") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const int32_t unit = EscapeAt(text, i);
    if (unit < 0) {
      out.push_back(text[i++]);
      continue;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const int32_t low = EscapeAt(text, i + 7);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(0x10000 + ((static_cast<uint32_t>(unit) - 0xD800) << 10) +
                       (static_cast<uint32_t>(low) - 0xDC00),
                   &out);
        i += 14;
        continue;
      }
    }
    if (unit >= 0xD800 && unit <= 0xDFFF) {  // a lone surrogate: not a character
      out.append(text.substr(i, 7));
    } else {
      AppendUtf8(static_cast<uint32_t>(unit), &out);
    }
    i += 7;
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ReadSharedStrings(const XlsxPackage& package,
                                                           const std::string& part) {
  std::vector<std::string> strings;
  SharedStringsHandler handler(&strings);
  GRIDHUB_RETURN_IF_ERROR(package.ParseXml(part, &handler));
  return strings;
}

}  // namespace gridhub::connectors::xlsx
