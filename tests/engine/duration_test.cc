#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "engine/duration.h"

namespace casus::engine {
namespace {

using Unit = DurationSpec::Unit;

struct ValidCase {
  const char* text;
  Unit unit;
  int amount;
  const char* canonical;
};

class ParseDurationValid : public ::testing::TestWithParam<ValidCase> {};

TEST_P(ParseDurationValid, ParsesAndRoundTrips) {
  const ValidCase& c = GetParam();
  const std::optional<DurationSpec> spec = ParseDuration(c.text);
  ASSERT_TRUE(spec.has_value()) << c.text;
  EXPECT_EQ(spec->unit, c.unit) << c.text;
  EXPECT_EQ(spec->amount, c.amount) << c.text;
  EXPECT_EQ(spec->ToString(), c.canonical) << c.text;
  // The canonical form must parse back to the same spec.
  EXPECT_EQ(ParseDuration(spec->ToString()), spec) << c.text;
}

INSTANTIATE_TEST_SUITE_P(Table, ParseDurationValid,
                         ::testing::Values(ValidCase{"14d", Unit::kCalendarDays, 14, "14d"},
                                           ValidCase{"1d", Unit::kCalendarDays, 1, "1d"},
                                           ValidCase{"3650d", Unit::kCalendarDays, 3650, "3650d"},
                                           ValidCase{"10wd", Unit::kWorkingDays, 10, "10wd"},
                                           ValidCase{"1wd", Unit::kWorkingDays, 1, "1wd"},
                                           ValidCase{"3650wd", Unit::kWorkingDays, 3650, "3650wd"},
                                           ValidCase{"24h", Unit::kHours, 24, "24h"},
                                           ValidCase{"1h", Unit::kHours, 1, "1h"},
                                           ValidCase{"8760h", Unit::kHours, 8760, "8760h"},
                                           ValidCase{"4w", Unit::kCalendarDays, 28, "28d"},
                                           ValidCase{"1w", Unit::kCalendarDays, 7, "7d"},
                                           ValidCase{"10w", Unit::kCalendarDays, 70, "70d"},
                                           ValidCase{"521w", Unit::kCalendarDays, 3647, "3647d"}));

class ParseDurationInvalid : public ::testing::TestWithParam<const char*> {};

TEST_P(ParseDurationInvalid, Rejects) { EXPECT_EQ(ParseDuration(GetParam()), std::nullopt) << GetParam(); }

INSTANTIATE_TEST_SUITE_P(Table, ParseDurationInvalid,
                         ::testing::Values("", "14", "d", "wd", "h", "w", "-1d", "+1d", "1.5d", "1,5d", "14 d",
                                           " 14d", "14d ", "0d", "0wd", "0h", "0w", "00d", "014d", "014h",
                                           "14D", "14WD", "14Wd", "10wD", "24H", "4W", "3651d", "3651wd",
                                           "8761h", "522w", "9999d", "10000d", "99999999999999999999d",
                                           "14dd", "14dw", "14wdd", "14hd", "14m", "14s", "14y", "d14",
                                           "1e2d", "0x10d", "14d\n", "\t14d"));

TEST(ParseDurationTest, EmbeddedNulIsRejected) {
  // A string_view may carry a NUL that a C string would hide.
  EXPECT_EQ(ParseDuration(std::string_view("14\0d", 4)), std::nullopt);
  EXPECT_EQ(ParseDuration(std::string_view("14d\0", 4)), std::nullopt);
}

TEST(DurationSpecTest, WeeksEqualTheirDays) {
  EXPECT_EQ(ParseDuration("4w"), ParseDuration("28d"));
  EXPECT_NE(ParseDuration("4w"), ParseDuration("28wd"));
}

TEST(DurationSpecTest, ToStringForEachUnit) {
  EXPECT_EQ((DurationSpec{Unit::kCalendarDays, 14}).ToString(), "14d");
  EXPECT_EQ((DurationSpec{Unit::kWorkingDays, 10}).ToString(), "10wd");
  EXPECT_EQ((DurationSpec{Unit::kHours, 24}).ToString(), "24h");
}

TEST(DurationSpecTest, EveryValidAmountRoundTrips) {
  for (int n = 1; n <= 3650; ++n) {
    for (const char* suffix : {"d", "wd"}) {
      const std::string text = std::to_string(n) + suffix;
      const auto spec = ParseDuration(text);
      ASSERT_TRUE(spec.has_value()) << text;
      ASSERT_EQ(spec->amount, n);
      ASSERT_EQ(spec->ToString(), text);
    }
  }
  for (int n = 1; n <= 8760; ++n) {
    const std::string text = std::to_string(n) + "h";
    const auto spec = ParseDuration(text);
    ASSERT_TRUE(spec.has_value()) << text;
    ASSERT_EQ(spec->ToString(), text);
  }
}

}  // namespace
}  // namespace casus::engine
