// Tests for schema/id_number.h: GB 11643 normalization. Check characters in
// the fixtures were computed independently with ISO 7064 MOD 11-2.
#include "schema/id_number.h"

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace gridhub::schema {
namespace {

std::vector<std::string> Flags(std::initializer_list<std::string_view> flags) {
  return std::vector<std::string>(flags.begin(), flags.end());
}

// A fixed "today" so the future-date check is deterministic.
IdNumberOptions On(int yyyymmdd) {
  IdNumberOptions options;
  options.today_yyyymmdd = yyyymmdd;
  return options;
}

const IdNumberOptions kToday = On(20240601);

// ---- IdCheckCharacter ----

TEST(IdCheckCharacterTest, KnownValues) {
  EXPECT_EQ(IdCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(IdCheckCharacter("33012219800101002"), '1');
  EXPECT_EQ(IdCheckCharacter("33012219800101001"), '3');
  EXPECT_EQ(IdCheckCharacter("44030419991231123"), '7');
  EXPECT_EQ(IdCheckCharacter("33012218500101001"), '0');
}

TEST(IdCheckCharacterTest, UsesOnlyFirst17) {
  EXPECT_EQ(IdCheckCharacter("11010519491231002X"), 'X');
  EXPECT_EQ(IdCheckCharacter("110105194912310029"), 'X');
}

// ---- valid numbers ----

TEST(NormalizeIdNumberTest, ValidWithXCheckCharacter) {
  IdNumber id = NormalizeIdNumber("11010519491231002X", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "11010519491231002X");
  EXPECT_EQ(id.flags, Flags({}));
  EXPECT_EQ(id.region_code, "110105");
  EXPECT_EQ(id.birth_date, "1949-12-31");
  EXPECT_EQ(id.sex, Sex::kFemale);
}

TEST(NormalizeIdNumberTest, ValidMale) {
  IdNumber id = NormalizeIdNumber("440304199912311237", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "440304199912311237");
  EXPECT_EQ(id.flags, Flags({}));
  EXPECT_EQ(id.region_code, "440304");
  EXPECT_EQ(id.birth_date, "1999-12-31");
  EXPECT_EQ(id.sex, Sex::kMale);
}

TEST(NormalizeIdNumberTest, SexFromSeventeenthDigit) {
  EXPECT_EQ(NormalizeIdNumber("110105194912310011", kToday).sex, Sex::kMale);
  EXPECT_EQ(NormalizeIdNumber("11010519491231002X", kToday).sex, Sex::kFemale);
  EXPECT_EQ(NormalizeIdNumber("330122198001010013", kToday).sex, Sex::kMale);
  EXPECT_EQ(NormalizeIdNumber("330106200002290045", kToday).sex, Sex::kFemale);
}

TEST(NormalizeIdNumberTest, LeapDayInLeapYear) {
  IdNumber id = NormalizeIdNumber("330106200002290045", kToday);  // 2000: leap
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.flags, Flags({}));
  EXPECT_EQ(id.birth_date, "2000-02-29");
}

TEST(NormalizeIdNumberTest, Year1850IsTheEarliestAccepted) {
  IdNumber id = NormalizeIdNumber("330122185001010010", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.flags, Flags({}));
  EXPECT_EQ(id.birth_date, "1850-01-01");
}

TEST(NormalizeIdNumberTest, DefaultOptionsUseSystemClock) {
  IdNumber id = NormalizeIdNumber("11010519491231002X");
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.flags, Flags({}));
  IdNumber future = NormalizeIdNumber("330122299901010011");
  EXPECT_FALSE(future.valid);
  EXPECT_EQ(future.flags, Flags({kFlagFutureBirthDate}));
}

// ---- repairs ----

TEST(NormalizeIdNumberTest, LowercaseX) {
  IdNumber id = NormalizeIdNumber("11010519491231002x", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "11010519491231002X");
  EXPECT_EQ(id.flags, Flags({kFlagLowercaseX}));
}

TEST(NormalizeIdNumberTest, LowercaseXOutsideCheckPositionIsNotRepaired) {
  IdNumber id = NormalizeIdNumber("1101051949123100x2", kToday);
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "1101051949123100x2");
  EXPECT_EQ(id.flags, Flags({kFlagBadCharacter}));
}

TEST(NormalizeIdNumberTest, FullWidthDigitsAndX) {
  IdNumber id = NormalizeIdNumber("１１０１０５１９４９１２３１００２Ｘ", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "11010519491231002X");
  EXPECT_EQ(id.flags, Flags({kFlagFullWidth}));
  EXPECT_EQ(id.birth_date, "1949-12-31");
}

TEST(NormalizeIdNumberTest, FullWidthLowercaseX) {
  IdNumber id = NormalizeIdNumber("11010519491231002ｘ", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "11010519491231002X");
  EXPECT_EQ(id.flags, Flags({kFlagFullWidth, kFlagLowercaseX}));
}

TEST(NormalizeIdNumberTest, LeadingApostrophes) {
  for (std::string_view raw : {"'11010519491231002X", "\u201811010519491231002X",
                               "\u201911010519491231002X", "`11010519491231002X"}) {
    IdNumber id = NormalizeIdNumber(raw, kToday);
    EXPECT_TRUE(id.valid) << raw;
    EXPECT_EQ(id.value, "11010519491231002X") << raw;
    EXPECT_EQ(id.flags, Flags({kFlagLeadingApostrophe})) << raw;
  }
}

TEST(NormalizeIdNumberTest, ApostropheWithLowercaseX) {
  IdNumber id = NormalizeIdNumber("'11010519491231002x", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "11010519491231002X");
  EXPECT_EQ(id.flags, Flags({kFlagLeadingApostrophe, kFlagLowercaseX}));
}

TEST(NormalizeIdNumberTest, SpaceBeforeApostropheStillLeading) {
  IdNumber id = NormalizeIdNumber(" '11010519491231002X", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "11010519491231002X");
  EXPECT_EQ(id.flags, Flags({kFlagWhitespace, kFlagLeadingApostrophe}));
}

TEST(NormalizeIdNumberTest, ApostropheInsideIsBadCharacter) {
  IdNumber id = NormalizeIdNumber("110105'9491231002X", kToday);  // 18 chars
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "110105'9491231002X");
  EXPECT_EQ(id.flags, Flags({kFlagBadCharacter}));
}

TEST(NormalizeIdNumberTest, SecondApostropheIsBadCharacter) {
  IdNumber id = NormalizeIdNumber("''11010519491231002X", kToday);
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "'11010519491231002X");
  EXPECT_EQ(id.flags,
            Flags({kFlagLeadingApostrophe, kFlagBadCharacter, kFlagBadLength}));
}

TEST(NormalizeIdNumberTest, SpacesInside) {
  // ASCII space, ideographic space U+3000, tab, NBSP U+00A0, trailing CR.
  IdNumber id =
      NormalizeIdNumber(" 110105\u300019491231\t002\u00A0X\r", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "11010519491231002X");
  EXPECT_EQ(id.flags, Flags({kFlagWhitespace}));
}

TEST(NormalizeIdNumberTest, DashSeparators) {
  IdNumber id = NormalizeIdNumber("110105-19491231-002X", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "11010519491231002X");
  EXPECT_EQ(id.flags, Flags({kFlagSeparators}));
}

TEST(NormalizeIdNumberTest, SeveralRepairsInOrderFound) {
  IdNumber id = NormalizeIdNumber("'１１０１０５ 19491231-002x", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "11010519491231002X");
  EXPECT_EQ(id.flags, Flags({kFlagLeadingApostrophe, kFlagFullWidth, kFlagWhitespace,
                             kFlagSeparators, kFlagLowercaseX}));
}

// ---- 15-digit legacy numbers ----

TEST(NormalizeIdNumberTest, UpgradesFifteenDigits) {
  IdNumber id = NormalizeIdNumber("330122800101002", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "330122198001010021");
  EXPECT_EQ(id.flags, Flags({kFlagUpgraded15}));
  EXPECT_EQ(id.region_code, "330122");
  EXPECT_EQ(id.birth_date, "1980-01-01");
  EXPECT_EQ(id.sex, Sex::kFemale);
}

TEST(NormalizeIdNumberTest, UpgradesFifteenDigitsToXCheck) {
  IdNumber id = NormalizeIdNumber("110105491231002", kToday);
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "11010519491231002X");
  EXPECT_EQ(id.flags, Flags({kFlagUpgraded15}));
}

TEST(NormalizeIdNumberTest, FifteenDigitsWithXIsBadCharacter) {
  IdNumber id = NormalizeIdNumber("33012280010100X", kToday);
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "33012280010100X");
  EXPECT_EQ(id.flags, Flags({kFlagBadCharacter}));
}

TEST(NormalizeIdNumberTest, FifteenDigitsWithBadDate) {
  IdNumber id = NormalizeIdNumber("330122800230001", kToday);  // 1980-02-30
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "330122198002300012");
  EXPECT_EQ(id.flags, Flags({kFlagUpgraded15, kFlagBadBirthDate}));
  EXPECT_EQ(id.birth_date, "");
}

// ---- invalid values ----

TEST(NormalizeIdNumberTest, BadCheckDigit) {
  IdNumber id = NormalizeIdNumber("110105194912310021", kToday);
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "110105194912310021");
  EXPECT_EQ(id.flags, Flags({kFlagBadCheckDigit}));
  EXPECT_EQ(id.region_code, "110105");
  EXPECT_EQ(id.birth_date, "1949-12-31");  // the date part itself is valid
  EXPECT_EQ(id.sex, Sex::kUnknown);        // sex only for a valid number
}

TEST(NormalizeIdNumberTest, WrongCheckCharacterXIsFlagged) {
  // The check character of 33012219800101002 is '1', not 'X'.
  IdNumber id = NormalizeIdNumber("'33012219800101002x", kToday);
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "33012219800101002X");
  EXPECT_EQ(id.flags,
            Flags({kFlagLeadingApostrophe, kFlagLowercaseX, kFlagBadCheckDigit}));
}

TEST(NormalizeIdNumberTest, ScientificNotation) {
  for (std::string_view raw : {"3.30122E+17", "3.30122e+17", "3.3012219800101E+17",
                               "3.30122E17", "33E+16"}) {
    IdNumber id = NormalizeIdNumber(raw, kToday);
    EXPECT_FALSE(id.valid) << raw;
    EXPECT_EQ(id.value, raw) << raw;
    EXPECT_EQ(id.flags, Flags({kFlagScientific})) << raw;
    EXPECT_EQ(id.region_code, "") << raw;
    EXPECT_EQ(id.birth_date, "") << raw;
    EXPECT_EQ(id.sex, Sex::kUnknown) << raw;
  }
}

TEST(NormalizeIdNumberTest, ScientificNotationWithApostropheAndSpace) {
  IdNumber id = NormalizeIdNumber("'3.30122E+17 ", kToday);
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "3.30122E+17");
  EXPECT_EQ(id.flags,
            Flags({kFlagLeadingApostrophe, kFlagWhitespace, kFlagScientific}));
}

TEST(NormalizeIdNumberTest, BadLength) {
  IdNumber id = NormalizeIdNumber("1101051949123100", kToday);  // 16 digits
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "1101051949123100");
  EXPECT_EQ(id.flags, Flags({kFlagBadLength}));
  EXPECT_EQ(id.region_code, "");

  IdNumber long_id = NormalizeIdNumber("11010519491231002X1", kToday);
  EXPECT_FALSE(long_id.valid);
  EXPECT_EQ(long_id.flags, Flags({kFlagBadCharacter, kFlagBadLength}));
}

TEST(NormalizeIdNumberTest, BadCharacterInFirst17) {
  IdNumber id = NormalizeIdNumber("11010519491231O02X", kToday);  // letter O
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "11010519491231O02X");
  EXPECT_EQ(id.flags, Flags({kFlagBadCharacter}));

  IdNumber x_inside = NormalizeIdNumber("110105X94912310021", kToday);
  EXPECT_FALSE(x_inside.valid);
  EXPECT_EQ(x_inside.flags, Flags({kFlagBadCharacter}));
}

TEST(NormalizeIdNumberTest, NonAsciiTextIsKeptAndBadCharacter) {
  IdNumber id = NormalizeIdNumber("身份证11010519491231002X", kToday);
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "身份证11010519491231002X");
  EXPECT_EQ(id.flags, Flags({kFlagBadCharacter, kFlagBadLength}));
}

TEST(NormalizeIdNumberTest, InvalidUtf8) {
  const std::string kFffd = "\xEF\xBF\xBD";
  // Stray byte, truncated sequence, overlong '1', UTF-16 surrogate.
  for (std::string raw : {std::string("\xFF") + "11010519491231002X",
                          "11010519491231002X" + std::string("\xE4\xB8"),
                          "1101051949123100" + std::string("\xC0\xB1") + "X",
                          "\xED\xA0\x80" + std::string("11010519491231002X")}) {
    IdNumber id = NormalizeIdNumber(raw, kToday);
    EXPECT_FALSE(id.valid);
    EXPECT_EQ(id.flags[0], kFlagBadCharacter);
    EXPECT_NE(id.value.find(kFffd), std::string::npos);
    EXPECT_EQ(id.sex, Sex::kUnknown);
  }
  IdNumber one = NormalizeIdNumber("\xFF" "11010519491231002X", kToday);
  EXPECT_EQ(one.value, kFffd + "11010519491231002X");
  EXPECT_EQ(one.flags, Flags({kFlagBadCharacter, kFlagBadLength}));
  IdNumber overlong = NormalizeIdNumber("1101051949123100\xC0\xB1X", kToday);
  EXPECT_EQ(overlong.value, "1101051949123100" + kFffd + kFffd + "X");
}

TEST(NormalizeIdNumberTest, BadBirthDates) {
  struct Case {
    std::string_view raw;
    std::string_view why;
  };
  for (const Case& c : {Case{"330122198002300012", "Feb 30"},
                        Case{"330122202302290011", "Feb 29 in 2023"},
                        Case{"330122190002290030", "Feb 29 in 1900 (not leap)"},
                        Case{"330122198013010010", "month 13"},
                        Case{"330122198001000018", "day 00"},
                        Case{"330122000001010017", "year 0000"},
                        Case{"33012218491231001X", "year 1849"}}) {
    IdNumber id = NormalizeIdNumber(c.raw, kToday);
    EXPECT_FALSE(id.valid) << c.why;
    EXPECT_EQ(id.value, c.raw) << c.why;
    EXPECT_EQ(id.flags, Flags({kFlagBadBirthDate})) << c.why;
    EXPECT_EQ(id.birth_date, "") << c.why;
    EXPECT_EQ(id.region_code, "330122") << c.why;
    EXPECT_EQ(id.sex, Sex::kUnknown) << c.why;
  }
}

TEST(NormalizeIdNumberTest, FutureBirthDate) {
  IdNumber id = NormalizeIdNumber("330122202506150010", On(20250614));
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "330122202506150010");
  EXPECT_EQ(id.flags, Flags({kFlagFutureBirthDate}));
  EXPECT_EQ(id.birth_date, "");
  EXPECT_EQ(id.sex, Sex::kUnknown);

  IdNumber today = NormalizeIdNumber("330122202506150010", On(20250615));
  EXPECT_TRUE(today.valid);
  EXPECT_EQ(today.flags, Flags({}));
  EXPECT_EQ(today.birth_date, "2025-06-15");
  EXPECT_EQ(today.sex, Sex::kMale);
}

TEST(NormalizeIdNumberTest, Empty) {
  IdNumber id = NormalizeIdNumber("", kToday);
  EXPECT_FALSE(id.valid);
  EXPECT_EQ(id.value, "");
  EXPECT_EQ(id.flags, Flags({kFlagEmpty}));

  IdNumber blank = NormalizeIdNumber(" \u3000\t", kToday);
  EXPECT_FALSE(blank.valid);
  EXPECT_EQ(blank.value, "");
  EXPECT_EQ(blank.flags, Flags({kFlagWhitespace, kFlagEmpty}));

  IdNumber apostrophe = NormalizeIdNumber("'", kToday);
  EXPECT_FALSE(apostrophe.valid);
  EXPECT_EQ(apostrophe.flags, Flags({kFlagLeadingApostrophe, kFlagEmpty}));
}

TEST(IdNumberTest, HasFlag) {
  IdNumber id = NormalizeIdNumber("'11010519491231002x", kToday);
  EXPECT_TRUE(id.HasFlag(kFlagLeadingApostrophe));
  EXPECT_TRUE(id.HasFlag("lowercase_x"));
  EXPECT_FALSE(id.HasFlag(kFlagBadCheckDigit));
}

}  // namespace
}  // namespace gridhub::schema
