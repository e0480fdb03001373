// connectors/csv/text_decoder.cc: see text_decoder.h.
#include "connectors/csv/text_decoder.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "unicode/ucnv.h"
#include "unicode/ucnv_err.h"
#include "unicode/ustring.h"
#include "unicode/utypes.h"

namespace gridhub::connectors {
namespace {

constexpr size_t kValid = static_cast<size_t>(-1);

// Offset of the first byte that starts an ill-formed UTF-8 sequence, or
// kValid. A sequence cut off by the end of `bytes` is ill-formed unless
// `allow_truncated_tail`.
size_t FirstInvalidUtf8(std::string_view bytes, bool allow_truncated_tail) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = b[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80;  // allowed range of the second byte
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c == 0xE0) {
      len = 3, lo = 0xA0;  // no overlong forms
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      len = 3;
    } else if (c == 0xED) {
      len = 3, hi = 0x9F;  // no surrogates
    } else if (c == 0xF0) {
      len = 4, lo = 0x90;  // no overlong forms
    } else if (c >= 0xF1 && c <= 0xF3) {
      len = 4;
    } else if (c == 0xF4) {
      len = 4, hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    for (size_t k = 1; k < len; ++k) {
      if (i + k >= n) return allow_truncated_tail ? kValid : i;
      const unsigned char d = b[i + k];
      const unsigned char min = k == 1 ? lo : 0x80;
      const unsigned char max = k == 1 ? hi : 0xBF;
      if (d < min || d > max) return i;
    }
    i += len;
  }
  return kValid;
}

bool IsAscii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string HexBytes(const char* bytes, size_t n) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (i > 0) out.push_back(' ');
    out += {'0', 'x', kHex[c >> 4], kHex[c & 0xF]};
  }
  return out;
}

}  // namespace

const char* EncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kAuto:
      return "auto";
    case TextEncoding::kUtf8:
      return "utf-8";
    case TextEncoding::kGb18030:
      return "gb18030";
  }
  return "unknown";
}

bool IsValidUtf8(std::string_view bytes, bool allow_truncated_tail) {
  return FirstInvalidUtf8(bytes, allow_truncated_tail) == kValid;
}

TextEncoding DetectEncoding(std::string_view prefix, bool is_whole_file) {
  return IsValidUtf8(prefix, /*allow_truncated_tail=*/!is_whole_file) ? TextEncoding::kUtf8
                                                                      : TextEncoding::kGb18030;
}

absl::StatusOr<std::unique_ptr<TextDecoder>> TextDecoder::Create(TextEncoding encoding) {
  if (encoding == TextEncoding::kUtf8) {
    return std::unique_ptr<TextDecoder>(new TextDecoder(encoding, nullptr));
  }
  if (encoding != TextEncoding::kGb18030) {
    return absl::InvalidArgumentError("TextDecoder needs a concrete encoding, not auto");
  }
  UErrorCode error = U_ZERO_ERROR;
  UConverter* converter = ucnv_open("GB18030", &error);
  if (U_FAILURE(error)) {
    return absl::InternalError(
        absl::StrCat("ICU cannot open a GB18030 converter: ", u_errorName(error)));
  }
  // Stop at the first invalid sequence instead of substituting U+FFFD.
  ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &error);
  if (U_FAILURE(error)) {
    ucnv_close(converter);
    return absl::InternalError(
        absl::StrCat("ICU cannot set the GB18030 stop callback: ", u_errorName(error)));
  }
  return std::unique_ptr<TextDecoder>(new TextDecoder(encoding, converter));
}

TextDecoder::TextDecoder(TextEncoding encoding, UConverter* converter)
    : encoding_(encoding), converter_(converter) {}

TextDecoder::~TextDecoder() {
  if (converter_ != nullptr) ucnv_close(converter_);
}

absl::Status TextDecoder::Decode(std::string_view bytes, std::string* out) {
  // ASCII is the same in both encodings, and most cells are ASCII.
  if (IsAscii(bytes)) {
    out->assign(bytes.data(), bytes.size());
    return absl::OkStatus();
  }
  if (encoding_ == TextEncoding::kGb18030) return DecodeGb18030(bytes, out);
  const size_t bad = FirstInvalidUtf8(bytes, /*allow_truncated_tail=*/false);
  if (bad != kValid) {
    const size_t shown = std::min<size_t>(4, bytes.size() - bad);
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid utf-8 bytes ", HexBytes(bytes.data() + bad, shown), " at byte ", bad));
  }
  out->assign(bytes.data(), bytes.size());
  return absl::OkStatus();
}

absl::Status TextDecoder::DecodeGb18030(std::string_view bytes, std::string* out) {
  // Every GB18030 byte yields at most one UTF-16 unit (a 4-byte sequence
  // yields at most a surrogate pair).
  utf16_.resize(bytes.size() + 1);
  UChar* target = utf16_.data();
  const char* source = bytes.data();
  UErrorCode error = U_ZERO_ERROR;
  ucnv_reset(converter_);
  ucnv_toUnicode(converter_, &target, utf16_.data() + utf16_.size(), &source,
                 bytes.data() + bytes.size(), nullptr, /*flush=*/true, &error);
  if (U_FAILURE(error)) {
    char invalid[32];
    int8_t invalid_len = sizeof(invalid);
    UErrorCode ignored = U_ZERO_ERROR;
    ucnv_getInvalidChars(converter_, invalid, &invalid_len, &ignored);
    if (U_FAILURE(ignored)) invalid_len = 0;
    ucnv_reset(converter_);
    const size_t at = static_cast<size_t>(source - bytes.data()) - invalid_len;
    return absl::InvalidArgumentError(absl::StrCat("invalid gb18030 bytes ",
                                                   HexBytes(invalid, invalid_len), " at byte ", at,
                                                   " (", u_errorName(error), ")"));
  }
  const int32_t utf16_len = static_cast<int32_t>(target - utf16_.data());
  out->resize(static_cast<size_t>(utf16_len) * 3);  // at most 3 UTF-8 bytes per unit
  int32_t utf8_len = 0;
  error = U_ZERO_ERROR;
  u_strToUTF8(out->data(), static_cast<int32_t>(out->size()), &utf8_len, utf16_.data(), utf16_len,
              &error);
  if (U_FAILURE(error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("gb18030 text does not convert to utf-8: ", u_errorName(error)));
  }
  out->resize(static_cast<size_t>(utf8_len));
  return absl::OkStatus();
}

}  // namespace gridhub::connectors
