// The CSV reader, on what spreadsheets actually write.
#include "dondoc/service/csv.hpp"

#include <gtest/gtest.h>

#include "dondoc/domain/errors.hpp"

using dondoc::service::read_csv;

namespace {

std::vector<std::string> row(std::initializer_list<const char*> cells) {
  return {cells.begin(), cells.end()};
}

// The row and message of the one error `text` must raise.
std::pair<int, std::string> error_of(std::string_view text) {
  try {
    read_csv(text);
  } catch (const dondoc::domain::ValidationError& e) {
    return {e.errors().at(0).row, e.errors().at(0).message};
  }
  ADD_FAILURE() << "no error";
  return {};
}

}  // namespace

TEST(Csv, ExcelUtf8WithBomAndCrlf) {
  auto t = read_csv("\xEF\xBB\xBFNội dung,Thời hạn\r\nRà soát,10 ngày làm việc\r\n");
  EXPECT_EQ(t.separator, ',');
  ASSERT_EQ(t.records.size(), 2U);
  EXPECT_EQ(t.records[0].fields, row({"Nội dung", "Thời hạn"})) << "the BOM is not in the header";
  EXPECT_EQ(t.records[1].fields, row({"Rà soát", "10 ngày làm việc"}));
  EXPECT_EQ(t.records[1].row, 2);
}

TEST(Csv, SemicolonsAsExcelWritesThemInVietnameseLocale) {
  auto t = read_csv("Chủ trì;Phối hợp\n\"Sở Văn hóa, Thể thao và Du lịch\";Sở Y tế\n");
  EXPECT_EQ(t.separator, ';');
  EXPECT_EQ(t.records[1].fields, row({"Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"}));
}

TEST(Csv, TabsToo) {
  EXPECT_EQ(read_csv("a\tb\n1\t2\n").records[1].fields, row({"1", "2"}));
}

TEST(Csv, QuotedCellsHoldQuotesSeparatorsAndLineBreaks) {
  auto t = read_csv("a,b\n\"Báo cáo \"\"nhanh\"\", gấp\",\"Sở Y tế\r\nSở Tư pháp\"\nx,y\n");
  ASSERT_EQ(t.records.size(), 3U);
  EXPECT_EQ(t.records[1].fields, row({"Báo cáo \"nhanh\", gấp", "Sở Y tế\nSở Tư pháp"}));
  EXPECT_EQ(t.records[2].row, 3) << "a line break inside a cell does not start a row";
}

TEST(Csv, BlankRowsAreSkippedButCountedAsASpreadsheetDoes) {
  auto t = read_csv("a,b\n\n,\n1,2");
  ASSERT_EQ(t.records.size(), 2U);
  EXPECT_EQ(t.records[1].row, 4);
  EXPECT_EQ(t.records[1].fields, row({"1", "2"})) << "the last row needs no line break";
}

TEST(Csv, AnUnclosedQuoteNamesTheRowItOpensIn) {
  auto [r, message] = error_of("a,b\n1,2\n\"never closed,3\n4,5\n");
  EXPECT_EQ(r, 3);
  EXPECT_NE(message.find("never closed"), std::string::npos) << message;
}

TEST(Csv, TextThatIsNotUtf8IsRefusedWithAHint) {
  // "Sở" in Windows-1258, as an old Excel "CSV" would save it.
  auto [r, message] = error_of("a,b\nS\xF5,2\n");
  EXPECT_EQ(r, 2);
  EXPECT_NE(message.find("CSV UTF-8"), std::string::npos) << message;
}
