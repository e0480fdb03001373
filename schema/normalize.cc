#include "schema/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "schema/fields.h"
#include "schema/id_number.h"

namespace gridhub::schema {
namespace {

bool IsValidUtf8(std::string_view s) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c < 0) return false;
  }
  return true;
}

}  // namespace

std::string CleanText(std::string_view raw, bool* changed, bool* ok) {
  *changed = false;
  *ok = IsValidUtf8(raw);
  if (!*ok) return "";
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())));
  icu::UnicodeString normalized = text;
  if (U_SUCCESS(status)) {
    normalized = nfkc->normalize(text, status);
    if (U_FAILURE(status)) normalized = text;
  }
  *changed = normalized != text;
  // Collapse whitespace runs (u_isUWhiteSpace covers U+3000 and NBSP) and trim.
  icu::UnicodeString out;
  bool pending_space = false;
  for (int32_t i = 0; i < normalized.length();) {
    UChar32 c = normalized.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c) || c == 0xFEFF) {
      pending_space = !out.isEmpty();
      continue;
    }
    if (pending_space) out.append(static_cast<UChar>(' '));
    pending_space = false;
    out.append(c);
  }
  std::string result;
  out.toUTF8String(result);
  return result;
}

Normalized NormalizeField(std::string_view field, std::string_view raw) {
  Normalized out;
  if (field == kIdNumber) {
    IdNumber id = NormalizeIdNumber(raw);
    out.value = std::move(id.value);
    out.valid = id.valid;
    out.flags = std::move(id.flags);
    return out;
  }
  bool changed = false;
  bool ok = true;
  out.value = CleanText(raw, &changed, &ok);
  if (!ok) {
    out.flags.emplace_back(kFlagInvalidUtf8);
    return out;
  }
  if (changed) out.flags.emplace_back(kFlagNfkc);
  if (out.value.empty()) {
    out.flags.emplace_back(kFlagEmpty);
    return out;
  }
  out.valid = true;
  return out;
}

}  // namespace gridhub::schema
