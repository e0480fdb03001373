// schema/gender.cc: sex as GB/T 2261.1 codes (see the header).
#include "schema/gender.h"

#include <array>

#include "absl/strings/ascii.h"
#include "schema/id_number.h"

namespace gridhub::schema {
namespace {

struct Spelling {
  std::string_view text;  // lower-case, after NFKC
  std::string_view code;  // "1", "2", or "" for unknown / unstated
};

constexpr std::array<Spelling, 17> kSpellings = {{
    {"1", "1"}, {"男", "1"}, {"男性", "1"}, {"m", "1"}, {"male", "1"},
    {"2", "2"}, {"女", "2"}, {"女性", "2"}, {"f", "2"}, {"female", "2"},
    {"0", ""}, {"未知", ""}, {"未知的性别", ""},
    {"9", ""}, {"未说明", ""}, {"未說明", ""}, {"未说明的性别", ""},
}};

}  // namespace

Normalized NormalizeGender(std::string_view raw, const NormalizeOptions& /*options*/) {
  Normalized out;
  bool nfkc_changed = false;
  bool ok = true;
  out.value = CleanText(raw, &nfkc_changed, &ok);
  if (!ok) {
    out.AddFlag(kFlagInvalidUtf8);
    return out;
  }
  if (nfkc_changed) out.AddFlag(kFlagNfkc);
  if (out.value.empty()) {
    out.AddFlag(kFlagEmpty);
    return out;
  }
  const std::string lower = absl::AsciiStrToLower(out.value);
  for (const Spelling& s : kSpellings) {
    if (lower != s.text) continue;
    if (s.code.empty()) {
      out.AddFlag(kFlagUnknownGender);
    } else {
      out.value = std::string(s.code);
      out.valid = true;
    }
    return out;
  }
  out.AddFlag(kFlagUnrecognized);
  return out;
}

}  // namespace gridhub::schema
