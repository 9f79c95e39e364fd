// The reports as an Excel workbook through libxlsxwriter (Debian's libxlsxwriter-dev): the
// tables of report_tables.hpp, one sheet per report, figures as numbers Excel can add up.
#pragma once

#include <string>
#include <vector>

#include "report_tables.hpp"

namespace dondoc::http {

struct XlsxSheet {
  std::string name;  // at most 31 characters
  std::string title;
  std::string heading;
  std::vector<Table> tables;
  int wide_column = 1;  // the column of long texts (unit names, a task's content)
  // A list (the overdue tasks): its first table's heading row is repeated on every printed page
  // and the panes freeze below it. Otherwise the title rows are.
  bool list = false;
};

// The bytes of the .xlsx file; throws std::runtime_error if it cannot be written.
std::string xlsx_workbook(const std::vector<XlsxSheet>& sheets);

}  // namespace dondoc::http
