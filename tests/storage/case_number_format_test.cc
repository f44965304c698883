// The form of a zaaknummer (storage/case_number.h): how it is written and
// which texts a person may type to find one.
#include "storage/case_number.h"

#include <gtest/gtest.h>

namespace casus::storage {
namespace {

TEST(CaseNumberFormatTest, TypeInUpperCaseYearAndAtLeastFourDigits) {
  EXPECT_EQ(FormatCaseNumber("iaww", 2026, 42), "IAWW-2026-0042");
  EXPECT_EQ(FormatCaseNumber("wvggz", 2027, 1), "WVGGZ-2027-0001");
  EXPECT_EQ(FormatCaseNumber("tijdelijk_huisverbod", 2026, 9999), "TIJDELIJK_HUISVERBOD-2026-9999");
  EXPECT_EQ(FormatCaseNumber("jpp", 2026, 10000), "JPP-2026-10000");
  EXPECT_EQ(FormatCaseNumber("jpp", 2026, 1234567), "JPP-2026-1234567");
  EXPECT_EQ(CaseNumberPrefix("topx", 2026), "TOPX-2026-");
}

TEST(CaseNumberFormatTest, TypedNumbersAreAcceptedInAnyCaseAndMadeCanonical) {
  EXPECT_EQ(CanonicalCaseNumber("IAWW-2026-0042"), std::optional<std::string>("IAWW-2026-0042"));
  EXPECT_EQ(CanonicalCaseNumber("iaww-2026-0042"), std::optional<std::string>("IAWW-2026-0042"));
  EXPECT_EQ(CanonicalCaseNumber("Tijdelijk_Huisverbod-2026-10000"),
            std::optional<std::string>("TIJDELIJK_HUISVERBOD-2026-10000"));
}

TEST(CaseNumberFormatTest, MalformedNumbersAreRefused) {
  for (const char* bad : {"", "IAWW", "IAWW-2026", "IAWW-2026-", "-2026-0042", "IAWW--0042", "IAWW-26-0042",
                          "IAWW-20261-0042", "IAWW-2026-042", "IAWW-2026-0042 ", " IAWW-2026-0042", "IAWW-2026-00x2",
                          "IA-WW-2026-0042", "IAWW-2026-1234567890123", "IAWW 2026 0042", "case_0123456789abcdef",
                          "IAWW-2026-0042-1", "ÏAWW-2026-0042", "IAWW-２０２６-0042",
                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-2026-0042"})
    EXPECT_FALSE(CanonicalCaseNumber(bad).has_value()) << bad;
  EXPECT_TRUE(CanonicalCaseNumber("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-2026-0042").has_value());  // 32 letters
}

}  // namespace
}  // namespace casus::storage
