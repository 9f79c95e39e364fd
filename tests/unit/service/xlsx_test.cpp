// The XLSX reader on workbooks written by libxlsxwriter, which stores texts as shared strings as
// Excel does (openpyxl, in the integration test, writes them inline): texts, dates in a built-in
// and a custom format, numbers, booleans, a line break in a cell, an empty row, a row that skips
// cells; and files that are not workbooks.
#include "dondoc/service/xlsx.hpp"

#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>

#include "dondoc/domain/errors.hpp"
#include "temp_dir.hpp"

using dondoc::service::read_xlsx;
using dondoc::testing::read_file;

namespace {

std::string register_book(const std::string& path) {
  lxw_workbook* book = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(book, "Sổ theo dõi");
  lxw_format* builtin_date = workbook_add_format(book);
  format_set_num_format_index(builtin_date, 14);  // Excel's short date
  lxw_format* vn_date = workbook_add_format(book);
  format_set_num_format(vn_date, "dd/mm/yyyy");
  const char* header[] = {"Số ký hiệu", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Ngày giao",
                          "Thời hạn",   "Trọng tâm",         "Số lần"};
  for (lxw_col_t c = 0; c < 7; ++c) {
    worksheet_write_string(sheet, 0, c, header[c], nullptr);
  }
  worksheet_write_string(sheet, 1, 0, "45/TB-UBND", nullptr);
  worksheet_write_string(sheet, 1, 1, "Rà soát quy hoạch\ncác khu công nghiệp", nullptr);
  worksheet_write_string(sheet, 1, 2, "Sở Xây dựng", nullptr);
  lxw_datetime assigned = {2025, 1, 3, 0, 0, 0};
  worksheet_write_datetime(sheet, 1, 3, &assigned, builtin_date);
  lxw_datetime due = {2025, 3, 31, 0, 0, 0};
  worksheet_write_datetime(sheet, 1, 4, &due, vn_date);
  worksheet_write_boolean(sheet, 1, 5, 1, nullptr);
  worksheet_write_number(sheet, 1, 6, 2, nullptr);
  // Row 3 is left empty; row 4 has only its second and fifth cells, and a decimal.
  worksheet_write_string(sheet, 3, 1, "Báo cáo tiến độ", nullptr);
  worksheet_write_number(sheet, 3, 4, 2.5, nullptr);
  worksheet_write_string(sheet, 3, 2, "Sở Xây dựng", nullptr);  // the same text, shared
  EXPECT_EQ(workbook_close(book), LXW_NO_ERROR);
  return read_file(path);
}

// A workbook made by hand, its sheet's rows as given: the least an .xlsx holds (no styles, no
// shared strings), to try what no spreadsheet writes.
std::string hand_made_book(const std::string& path, const std::string& rows) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  const auto add = [&](const char* name, const std::string& text) {
    auto* copy = new std::string(text);  // libzip reads it at zip_close
    zip_file_add(archive, name, zip_source_buffer(archive, copy->data(), copy->size(), 0),
                 ZIP_FL_OVERWRITE);
    return copy;
  };
  std::unique_ptr<std::string> parts[] = {
      std::unique_ptr<std::string>(add(
          "xl/workbook.xml",
          R"(<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>)")),
      std::unique_ptr<std::string>(add(
          "xl/_rels/workbook.xml.rels",
          R"(<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>)")),
      std::unique_ptr<std::string>(
          add("xl/worksheets/sheet1.xml",
              "<worksheet><sheetData>" + rows + "</sheetData></worksheet>"))};
  EXPECT_EQ(zip_close(archive), 0);
  return read_file(path);
}

}  // namespace

TEST(Xlsx, AHandMadeBookIsReadAndOneBeyondExcelsBoundsRefused) {
  dondoc::testing::TempDir dir;
  const std::string row2 =
      R"(<row r="2"><c r="A2" t="inlineStr"><is><t>Nội dung</t></is></c><c r="B2"><v>7</v></c></row>)";
  const auto table = read_xlsx(hand_made_book(dir.file("a.xlsx"), row2));
  ASSERT_EQ(table.records.size(), 1U);
  EXPECT_EQ(table.records[0].row, 2);
  EXPECT_EQ(table.records[0].fields, (std::vector<std::string>{"Nội dung", "7"}));

  const auto refused = [](const std::string& bytes, std::size_t max_records = SIZE_MAX) {
    try {
      read_xlsx(bytes, max_records);
    } catch (const dondoc::domain::ValidationError& e) {
      return e.errors().at(0).message;
    }
    return std::string("(accepted)");
  };
  EXPECT_NE(refused(hand_made_book(dir.file("b.xlsx"),
                                   R"(<row r="1"><c r="ZZZZZZZ1"><v>1</v></c></row>)"))
                .find("past Excel's last column"),
            std::string::npos);
  EXPECT_NE(
      refused(hand_made_book(dir.file("c.xlsx"), row2 + row2 + row2), 2).find("more than 2 rows"),
      std::string::npos);
  EXPECT_NE(
      refused(hand_made_book(dir.file("e.xlsx"), R"(<row r="2147483647"><c><v>1</v></c></row>)"))
          .find("not a row Excel has"),
      std::string::npos);
  EXPECT_NE(refused(hand_made_book(dir.file("d.xlsx"), "<row><c>")).find("not well-formed XML"),
            std::string::npos);
}

TEST(Xlsx, ReadsTheFirstSheetAsTheRegisterShowsIt) {
  dondoc::testing::TempDir dir;
  const std::string bytes = register_book(dir.file("so.xlsx"));
  ASSERT_TRUE(dondoc::service::looks_like_xlsx(bytes));
  const auto table = read_xlsx(bytes);
  ASSERT_EQ(table.records.size(), 3U);
  EXPECT_EQ(table.records[0].row, 1);
  EXPECT_EQ(table.records[0].fields[1], "Nội dung nhiệm vụ");
  const auto& first = table.records[1];
  EXPECT_EQ(first.row, 2);
  EXPECT_EQ(first.fields,
            (std::vector<std::string>{"45/TB-UBND", "Rà soát quy hoạch\ncác khu công nghiệp",
                                      "Sở Xây dựng", "03/01/2025", "31/03/2025", "TRUE", "2"}));
  const auto& sparse = table.records[2];
  EXPECT_EQ(sparse.row, 4) << "Excel's row number, the empty row counted";
  EXPECT_EQ(sparse.fields,
            (std::vector<std::string>{"", "Báo cáo tiến độ", "Sở Xây dựng", "", "2.5"}));
}

TEST(Xlsx, RefusesWhatIsNotAWorkbookSayingWhy) {
  const auto message = [](const std::string& bytes) {
    try {
      read_xlsx(bytes);
    } catch (const dondoc::domain::ValidationError& e) {
      return e.errors().at(0).message;
    }
    return std::string("(accepted)");
  };
  EXPECT_NE(message(std::string("PK\x03\x04", 4) + "not really").find("not an Excel workbook"),
            std::string::npos);
  EXPECT_FALSE(dondoc::service::looks_like_xlsx("Nội dung nhiệm vụ,Đơn vị chủ trì\n"));
}
