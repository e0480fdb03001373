// schema/name.cc: person-name normalization (see the header for the
// contract). Works on code points of an ICU UnicodeString after CleanText.
#include "schema/name.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <memory>
#include <unordered_map>
#include <vector>

#include "schema/id_number.h"

namespace gridhub::schema {
namespace {

constexpr UChar32 kMiddleDot = 0x00B7;

// Creates an ICU transform; nullptr when ICU lacks it (callers degrade).
std::unique_ptr<icu::Transliterator> CreateTransform(const char* id) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, status));
  if (U_FAILURE(status)) return nullptr;
  return t;
}

// Transforms are slow to create and not documented as thread-safe to use:
// one per thread.
const icu::Transliterator* HantToHans() {
  // Characters that are standard in simplified-character names although
  // Hant-Hans rewrites them: 乾 (qián, not 干), 於 (the surname, not 于),
  // 昇, 陞 (not 升), 著 (not 着), 藉 (not 借), 徵 (not 征), 瞭 (not 了),
  // 夥 (not 伙).
  thread_local const std::unique_ptr<icu::Transliterator> t = CreateTransform(
      "[^\\u4E7E\\u65BC\\u6607\\u965E\\u8457\\u85C9\\u5FB5\\u77AD\\u5925] Hant-Hans");
  return t.get();
}

const icu::Transliterator* HanToAscii() {
  thread_local const std::unique_ptr<icu::Transliterator> t =
      CreateTransform("Han-Latin; Latin-ASCII");
  return t.get();
}

// What exports write when there is no name: never a person's name.
bool IsPlaceholder(const std::string& name) {
  static constexpr std::string_view kPlaceholders[] = {
      "无", "不详", "未知", "无名", "无名氏", "空", "暂无", "待定", "待补", "测试", "姓名",
      "null", "none", "n/a", "na", "nil", "unknown", "test", "xxx", "某某"};
  std::string lower;
  for (char c : name) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  for (std::string_view p : kPlaceholders) {
    if (lower == p) return true;
  }
  return false;
}

bool IsSeparator(UChar32 c) {
  switch (c) {
    case kMiddleDot:
    case 0x2022:  // • bullet
    case 0x2027:  // ‧ hyphenation point
    case 0x30FB:  // ・ katakana middle dot (NFKC target of ･)
    case 0x2219:  // ∙ bullet operator
    case 0x22C5:  // ⋅ dot operator
    case 0x2E31:  // ⸱ word separator middle dot
    case '.':     // also NFKC of ．
    case 0x3002:  // 。 ideographic full stop (also NFKC of ｡)
    case '-':     // also NFKC of － and ﹣
    case 0x2010:  // ‐ hyphen (also NFKC of ‑)
    case 0x2012:  // ‒ figure dash
    case 0x2013:  // – en dash
    case 0x2014:  // — em dash
    case 0x2015:  // ― horizontal bar
    case 0x2212:  // − minus sign
      return true;
    default:
      return false;
  }
}

enum class Kind { kSpace, kSeparator, kHan, kLatin, kLetter, kMark, kApostrophe, kOther };

Kind Classify(UChar32 c) {
  if (c == ' ') return Kind::kSpace;
  if (IsSeparator(c)) return Kind::kSeparator;
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  if (U_SUCCESS(status) && script == USCRIPT_HAN) return Kind::kHan;
  if (u_hasBinaryProperty(c, UCHAR_ALPHABETIC)) {
    return U_SUCCESS(status) && script == USCRIPT_LATIN ? Kind::kLatin : Kind::kLetter;
  }
  if ((U_GET_GC_MASK(c) & U_GC_M_MASK) != 0) return Kind::kMark;
  if (c == '\'' || c == 0x2019) return Kind::kApostrophe;
  return Kind::kOther;  // digits, symbols, punctuation
}

struct CodePoints {
  std::vector<UChar32> cps;
  std::vector<Kind> kinds;
};

CodePoints Decode(const icu::UnicodeString& s) {
  CodePoints out;
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    out.cps.push_back(c);
    out.kinds.push_back(Classify(c));
  }
  return out;
}

// Rewrites separator runs and spaces, lower-cases letters. Adds flags.
CodePoints Rewrite(const CodePoints& in, Normalized* out) {
  CodePoints res;
  const size_t n = in.cps.size();
  for (size_t i = 0; i < n;) {
    const Kind k = in.kinds[i];
    if (k != Kind::kSpace && k != Kind::kSeparator) {
      res.cps.push_back(u_tolower(in.cps[i]));
      res.kinds.push_back(k);
      ++i;
      continue;
    }
    size_t j = i;
    bool has_separator = false;
    while (j < n && (in.kinds[j] == Kind::kSpace || in.kinds[j] == Kind::kSeparator)) {
      has_separator = has_separator || in.kinds[j] == Kind::kSeparator;
      ++j;
    }
    const bool inside = !res.cps.empty() && j < n;
    if (has_separator) {
      if (inside) {
        res.cps.push_back(kMiddleDot);
        res.kinds.push_back(Kind::kSeparator);
      }
      if (!inside || j - i != 1 || in.cps[i] != kMiddleDot) out->AddFlag(kFlagSeparatorUnified);
    } else if (inside && res.kinds.back() == Kind::kHan && in.kinds[j] == Kind::kHan) {
      out->AddFlag(kFlagHanSpacesRemoved);
    } else if (inside) {
      res.cps.push_back(' ');
      res.kinds.push_back(Kind::kSpace);
    }
    i = j;
  }
  return res;
}

// The ASCII matching key: Han syllables split from their neighbours,
// separators as spaces, then "Han-Latin; Latin-ASCII"; keeps [a-z0-9].
// Surnames whose reading differs from the character's most common one
// (Han-Latin reads 单 as "dan", 曾 as "ceng"; as surnames they are Shan and
// Zeng). Applied to the first character of a Han name.
const icu::UnicodeString* SurnameReading(UChar32 cp) {
  static const auto* kReadings = new std::unordered_map<UChar32, icu::UnicodeString>{
      {U'卜', "bu"},  {U'区', "ou"},   {U'单', "shan"}, {U'乐', "yue"},  {U'仇', "qiu"},
      {U'朴', "piao"}, {U'曾', "zeng"}, {U'查', "zha"},  {U'盖', "ge"},   {U'缪', "miao"},
      {U'翟', "zhai"}, {U'覃', "qin"},  {U'解', "xie"},  {U'都', "du"},   {U'阚', "kan"},
      {U'薄', "bo"},   {U'尉', "yu"},   {U'员', "yun"},  {U'种', "chong"}, {U'秘', "bi"},
      {U'召', "shao"}, {U'繁', "po"},   {U'长', "chang"}, {U'相', "xiang"}, {U'曲', "qu"},
      {U'宿', "su"},   {U'燕', "yan"},  {U'冼', "xian"}, {U'洗', "xian"},
  };
  auto it = kReadings->find(cp);
  return it == kReadings->end() ? nullptr : &it->second;
}

// Pinyin of one Han character, memoized per thread (the transliterator is
// the costly part of normalizing a name, and a county's names reuse a few
// thousand characters).
const icu::UnicodeString& HanSyllable(UChar32 cp, const icu::Transliterator* to_ascii) {
  thread_local std::unordered_map<UChar32, icu::UnicodeString> cache;
  auto it = cache.find(cp);
  if (it != cache.end()) return it->second;
  icu::UnicodeString syllable(cp);
  to_ascii->transliterate(syllable);
  if (cache.size() > 100000) cache.clear();  // bounded: Han has ~100k code points
  return cache.emplace(cp, std::move(syllable)).first->second;
}

std::string PinyinKey(const CodePoints& name) {
  const icu::Transliterator* to_ascii = HanToAscii();
  if (to_ascii == nullptr) return "";
  icu::UnicodeString text;
  icu::UnicodeString other;  // a run of non-Han letters, transliterated together
  auto flush_other = [&] {
    if (other.isEmpty()) return;
    // A run of ASCII (most Latin spellings) skips the transliterator: what
    // Han-Latin; Latin-ASCII does to ASCII (a space after 'Z' or 'z' before
    // some punctuation) never changes the key built below, which keeps only
    // letters and digits (NameTest.PinyinTransformKeepsTheKeyOfAsciiText).
    bool ascii = true;
    for (int32_t i = 0; i < other.length() && ascii; ++i) ascii = other.charAt(i) < 0x80;
    if (!ascii) to_ascii->transliterate(other);
    text.append(other);
    other.remove();
  };
  for (size_t i = 0; i < name.cps.size(); ++i) {
    if (name.kinds[i] == Kind::kSeparator) {
      flush_other();
      text.append(static_cast<UChar>(' '));
    } else if (name.kinds[i] == Kind::kHan) {
      flush_other();
      const icu::UnicodeString* surname = i == 0 ? SurnameReading(name.cps[i]) : nullptr;
      text.append(static_cast<UChar>(' '))
          .append(surname != nullptr ? *surname : HanSyllable(name.cps[i], to_ascii))
          .append(static_cast<UChar>(' '));
    } else {
      other.append(name.cps[i]);
    }
  }
  flush_other();
  std::string key;
  bool pending_space = false;
  for (int32_t i = 0; i < text.length(); ++i) {
    UChar c = text.charAt(i);
    if (c >= 'A' && c <= 'Z') c = static_cast<UChar>(c - 'A' + 'a');
    if (c == '\'' || c == 0x2019) continue;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (pending_space) key.push_back(' ');
      pending_space = false;
      key.push_back(static_cast<char>(c));
    } else {
      pending_space = !key.empty();
    }
  }
  return key;
}

}  // namespace

std::string ToSimplifiedHan(std::string_view text, bool* changed) {
  *changed = false;
  const icu::Transliterator* hant_to_hans = HantToHans();
  if (hant_to_hans == nullptr) return std::string(text);
  // Character by character: ICU's Hant-Hans also has phrase rules, which are
  // wrong for names (the surname 沈 in "沈思妤" would become 沉 as in 沉思).
  // Memoized per thread per code point.
  thread_local std::unordered_map<UChar32, icu::UnicodeString> cache;
  const icu::UnicodeString original = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString converted;
  for (int32_t i = 0; i < original.length();) {
    const UChar32 cp = original.char32At(i);
    i += U16_LENGTH(cp);
    if (cp < 0x2E80) {  // below the CJK blocks: nothing to convert
      converted.append(cp);
      continue;
    }
    auto it = cache.find(cp);
    if (it == cache.end()) {
      icu::UnicodeString one(cp);
      hant_to_hans->transliterate(one);
      if (cache.size() > 100000) cache.clear();
      it = cache.emplace(cp, std::move(one)).first;
    }
    converted.append(it->second);
  }
  *changed = converted != original;
  std::string out;
  converted.toUTF8String(out);
  return out;
}

Normalized NormalizeName(std::string_view raw, const NormalizeOptions& /*options*/) {
  Normalized out;
  bool nfkc_changed = false;
  bool ok = true;
  const std::string clean = CleanText(raw, &nfkc_changed, &ok);
  if (!ok) {
    out.AddFlag(kFlagInvalidUtf8);
    return out;
  }
  if (nfkc_changed) out.AddFlag(kFlagNfkc);
  if (clean.empty()) {
    out.AddFlag(kFlagEmpty);
    return out;
  }
  bool converted = false;
  const std::string simplified = ToSimplifiedHan(clean, &converted);
  const CodePoints decoded = Decode(icu::UnicodeString::fromUTF8(simplified));
  bool has_han = false, has_latin = false, has_other_letter = false;
  bool has_apostrophe = false, has_other = false;
  for (const Kind k : decoded.kinds) {
    has_han = has_han || k == Kind::kHan;
    has_latin = has_latin || k == Kind::kLatin;
    has_other_letter = has_other_letter || k == Kind::kLetter;
    has_apostrophe = has_apostrophe || k == Kind::kApostrophe;
    has_other = has_other || k == Kind::kOther;
  }
  if (!has_han && !has_latin && !has_other_letter) {
    out.value = clean;  // for display
    out.AddFlag(kFlagNoLetters);
    return out;
  }
  if (converted) out.AddFlag(kFlagTraditionalConverted);
  const CodePoints name = Rewrite(decoded, &out);
  if (has_han && (has_latin || has_other_letter)) out.AddFlag(kFlagMixedScript);
  if (has_latin && !has_han) out.AddFlag(kFlagLatinName);
  // An apostrophe belongs in a Latin name (O'Brien), not among Han.
  if (has_other || (has_apostrophe && (has_han || !has_latin))) {
    out.AddFlag(kFlagUnexpectedCharacters);
  }
  icu::UnicodeString value;
  for (const UChar32 c : name.cps) value.append(c);
  value.toUTF8String(out.value);
  if (IsPlaceholder(out.value)) {  // judged on the final form: "-不详-" too
    out.flags.clear();
    out.AddFlag(kFlagPlaceholder);
    return out;
  }
  const std::string key = PinyinKey(name);
  if (!key.empty()) out.parts["pinyin"] = key;
  out.valid = true;
  return out;
}

}  // namespace gridhub::schema
