// CleanText answers plain text (ASCII graphic characters and CJK ideographs
// with single spaces) without ICU; everything else goes through ICU. These
// tests hold the shortcut to the ICU path's answer on text on both sides of
// its boundary.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "schema/normalize.h"

namespace gridhub::schema {
namespace {

struct Cleaned {
  std::string text;
  bool changed = false;
  bool ok = false;
};

Cleaned Fast(std::string_view raw) {
  Cleaned c;
  c.text = CleanText(raw, &c.changed, &c.ok);
  return c;
}

Cleaned Icu(std::string_view raw) {
  Cleaned c;
  c.text = internal::CleanTextIcu(raw, &c.changed, &c.ok);
  return c;
}

void ExpectSame(std::string_view raw) {
  const Cleaned fast = Fast(raw);
  const Cleaned icu = Icu(raw);
  EXPECT_EQ(fast.text, icu.text) << "input: " << raw;
  EXPECT_EQ(fast.changed, icu.changed) << "input: " << raw;
  EXPECT_EQ(fast.ok, icu.ok) << "input: " << raw;
}

std::string Utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return out;
}

TEST(CleanTextTest, PlainTextComesBackAsItIs) {
  for (std::string_view raw : {"张伟", "浙江省杭州市淳安县里商乡横山村11组37号", "Zhang Wei",
                               "330127197604029941", "a-b/c (d) #7", "㐀䶿一鿿"}) {
    const Cleaned c = Fast(raw);
    EXPECT_EQ(c.text, raw);
    EXPECT_FALSE(c.changed) << raw;
    EXPECT_TRUE(c.ok) << raw;
    ExpectSame(raw);
  }
}

TEST(CleanTextTest, TextNeedingWorkIsCleanedAsIcuCleansIt) {
  const std::vector<std::string> cases = {
      "",                                // empty
      " 张伟",                           // leading space
      "张伟 ",                           // trailing space
      "张  伟",                          // two spaces
      "张\t伟",                          // tab
      "张\xE3\x80\x80伟",                // U+3000 ideographic space
      "\xEF\xBC\xA1\xEF\xBC\xA2",        // full-width Ａ Ｂ
      "\xEF\xA4\x80",                    // U+F900, a compatibility ideograph
      "\xE4\xB8\x80\xCC\x81",            // 一 + combining acute
      "e\xCC\x81",                       // e + combining acute (composes)
      "\xE4\xB7\x80",                    // U+4DC0, just past CJK extension A
      "\xE3\x8F\xBF",                    // U+33FF, just before it
      "\xEA\x80\x80",                    // U+A000, just past the unified block
      "\xE2\x84\xA1",                    // U+2121 ℡ (NFKC: TEL)
      "abc\x01",                         // a control character
      "abc\x7F",                         // DEL
      "\xEF\xBB\xBF张伟",                // byte order mark
      "\xC2\xB7",                        // middle dot
      "\xE4\xB8",                        // truncated sequence
      "\xE4\x28\xA1",                    // bad continuation byte
      "\xED\xA0\x80",                    // encoded surrogate
      "\xE0\x80\xAF",                    // overlong encoding
      "\xF0\xA0\x80\x80",                // U+20000, CJK extension B (four bytes)
  };
  for (const std::string& raw : cases) ExpectSame(raw);
  EXPECT_FALSE(Fast("\xE4\xB8").ok);
  EXPECT_EQ(Fast("张  伟").text, "张 伟");
  EXPECT_EQ(Fast("\xEF\xBC\xA1").text, "A");
}

// Random strings over an alphabet that straddles the shortcut's boundary:
// ASCII (graphic, space, control), ideographs at the edges of the two
// ranges, their neighbours, full-width forms, combining marks, U+3000.
TEST(CleanTextTest, RandomTextAgreesWithIcu) {
  const std::vector<char32_t> alphabet = {
      U'a',     U'Z',     U'0',     U'~',     U'!',     U' ',     U'\t',    U'\n',    0x7F,
      0x01,     0x33FF,   0x3400,   0x4DBF,   0x4DC0,   0x4DFF,   0x4E00,   0x5F20,   0x9FFF,
      0xA000,   0xF900,   0xFF21,   0x3000,   0x00B7,   0x0301,   0x00E9,   0x2121,   0xFEFF,
      0x20000,  0x2F800,  0x00A0,   0x3002};
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 8);
  std::uniform_int_distribution<int> plain_only(0, 1);
  for (int i = 0; i < 20000; ++i) {
    std::string raw;
    const bool plain = plain_only(rng) == 1;
    const int n = length(rng);
    for (int j = 0; j < n; ++j) {
      char32_t cp = alphabet[pick(rng)];
      if (plain) {
        // Mostly the shortcut's alphabet, so it is taken often.
        static const char32_t kPlain[] = {U'a', U'7', U' ', 0x3400, 0x4DBF, 0x4E00, 0x9FFF, 0x5F20};
        cp = kPlain[pick(rng) % std::size(kPlain)];
      }
      raw += Utf8(cp);
    }
    ExpectSame(raw);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace gridhub::schema
