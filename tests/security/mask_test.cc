#include "security/mask.h"

#include <gtest/gtest.h>

namespace gridhub::security {
namespace {

TEST(MaskTest, IdNumberKeepsRegionAndLastFour) {
  EXPECT_EQ(MaskValue("id_number", "330122198001010012"), "330122********0012");
}

TEST(MaskTest, MobileKeepsPrefixAndLastFour) {
  EXPECT_EQ(MaskValue("phone", "13812345678"), "138****5678");
}

TEST(MaskTest, LandlineKeepsAreaCode) {
  EXPECT_EQ(MaskValue("phone", "0571-64123456"), "0571-****3456");
}

TEST(MaskTest, NamesCountCharactersNotBytes) {
  EXPECT_EQ(MaskValue("name", "张三丰"), "张**");
  EXPECT_EQ(MaskValue("name", "张"), "*");
}

TEST(MaskTest, ShortValuesAreFullyMasked) {
  EXPECT_EQ(MaskValue("id_number", "12345"), "*****");
  EXPECT_EQ(MaskValue("phone", ""), "");
}

}  // namespace
}  // namespace gridhub::security
