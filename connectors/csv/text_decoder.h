// connectors/csv/text_decoder.h: encoding detection and per-cell decoding of
// delimited-text files into UTF-8 (UTF-8 validation, GB18030 through ICU).
//
// Decoding is strict: a byte sequence that is not valid in the encoding is an
// error, never a substitution character, so the caller can quarantine the row.
//
// Thread-safety: a TextDecoder is used by one thread at a time (it owns an ICU
// converter). The free functions are thread-safe.
//
// Example:
//   auto decoder = TextDecoder::Create(TextEncoding::kGb18030);
//   std::string utf8;
//   absl::Status s = (*decoder)->Decode("\xD5\xC5\xC8\xFD", &utf8);  // "张三"
#ifndef GRIDHUB_CONNECTORS_CSV_TEXT_DECODER_H_
#define GRIDHUB_CONNECTORS_CSV_TEXT_DECODER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "connectors/csv/csv_connector.h"

struct UConverter;

namespace gridhub::connectors {

// "auto", "utf-8" or "gb18030" (a static string).
const char* EncodingName(TextEncoding encoding);

// True if `bytes` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF). With `allow_truncated_tail`, an incomplete but so
// far valid sequence at the very end is accepted (for a prefix of a file).
bool IsValidUtf8(std::string_view bytes, bool allow_truncated_tail = false);

// Auto-detection on the first bytes of a file (after any BOM): valid UTF-8
// means kUtf8, anything else kGb18030. `is_whole_file` is false when `prefix`
// was cut from a longer file (then a truncated final character is allowed).
TextEncoding DetectEncoding(std::string_view prefix, bool is_whole_file);

// Decodes bytes of one encoding into UTF-8.
class TextDecoder {
 public:
  // `encoding` must be kUtf8 or kGb18030: kInvalidArgument for kAuto;
  // kInternal if ICU has no GB18030 converter.
  static absl::StatusOr<std::unique_ptr<TextDecoder>> Create(TextEncoding encoding);

  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;

  TextEncoding encoding() const { return encoding_; }

  // Replaces *out with the UTF-8 form of `bytes`. kInvalidArgument, naming
  // the encoding, the offending bytes and their offset in `bytes`, when they
  // do not decode (*out is then unspecified).
  absl::Status Decode(std::string_view bytes, std::string* out);

 private:
  TextDecoder(TextEncoding encoding, UConverter* converter);

  absl::Status DecodeGb18030(std::string_view bytes, std::string* out);

  TextEncoding encoding_;
  UConverter* converter_;        // owned; null for kUtf8
  std::vector<char16_t> utf16_;  // scratch buffer for GB18030 -> UTF-16
};

}  // namespace gridhub::connectors

#endif  // GRIDHUB_CONNECTORS_CSV_TEXT_DECODER_H_
