#include "app/csv.h"

#include <gtest/gtest.h>

#include "tests/dashboard/csv_reader.h"

namespace casus::app {
namespace {

TEST(CsvTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("woonoverlast"), "woonoverlast");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("Holz, Oost"), "\"Holz, Oost\"");
  EXPECT_EQ(CsvField("de \"Kaalheide\""), "\"de \"\"Kaalheide\"\"\"");
  EXPECT_EQ(CsvField("a\r\nb"), "\"a\r\nb\"");
  EXPECT_EQ(CsvField("a\nb"), "\"a\nb\"");
  EXPECT_EQ(CsvField("Chèvremont"), "Chèvremont");  // UTF-8 passes through
}

TEST(CsvTest, RecordsEndInCrlfAndParseBack) {
  std::vector<std::vector<std::string>> rows = {{"Holz, \"Oost\"", "3"}, {"line\nbreak", "0"}, {"", "1"}};
  std::string doc = CsvDocument({"wijk", "count"}, rows);
  EXPECT_EQ(doc.substr(0, 12), "wijk,count\r\n");
  std::vector<std::vector<std::string>> parsed;
  ASSERT_TRUE(casus::testing::ParseCsv(doc, parsed)) << doc;
  ASSERT_EQ(parsed.size(), 4u);
  EXPECT_EQ(parsed[0], (std::vector<std::string>{"wijk", "count"}));
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(parsed[i + 1], rows[i]);
}

TEST(CsvTest, ReaderRejectsMalformedInput) {
  std::vector<std::vector<std::string>> parsed;
  EXPECT_FALSE(casus::testing::ParseCsv("a,b\n", parsed));        // bare LF
  EXPECT_FALSE(casus::testing::ParseCsv("a,b", parsed));          // no final CRLF
  EXPECT_FALSE(casus::testing::ParseCsv("a\"b,c\r\n", parsed));   // quote in unquoted field
  EXPECT_FALSE(casus::testing::ParseCsv("\"ab\"c\r\n", parsed));  // text after closing quote
  EXPECT_FALSE(casus::testing::ParseCsv("\"ab\r\n", parsed));     // unterminated
}

}  // namespace
}  // namespace casus::app
