#include "report_xlsx.hpp"

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "dondoc/domain/date.hpp"

namespace dondoc::http {

namespace {

// libxlsxwriter writes only to a file: a private temporary one, read back and removed.
class TempFile {
 public:
  TempFile() {
    path_ = (std::filesystem::temp_directory_path() / "dondoc-report-XXXXXX.xlsx").string();
    const int fd = ::mkstemps(path_.data(), 5);
    if (fd < 0) {
      throw std::runtime_error("cannot create a temporary file for the XLSX report");
    }
    ::close(fd);
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

bool is_count(const std::string& cell) {
  return !cell.empty() && cell.size() < 16 &&
         cell.find_first_not_of("0123456789") == std::string::npos;
}

// "85,3": a rate as the tables print it.
bool is_rate(const std::string& cell) {
  const auto comma = cell.find(',');
  return comma != std::string::npos && comma > 0 && cell.size() - comma == 2 &&
         is_count(cell.substr(0, comma)) && is_count(cell.substr(comma + 1));
}

// "05/02/2025": a date as the tables print it, written as a real date Excel can sort and compute.
std::optional<lxw_datetime> as_date(const std::string& cell) {
  if (cell.size() != 10 || cell[2] != '/' || cell[5] != '/') {
    return std::nullopt;
  }
  const auto d =
      domain::Date::parse(cell.substr(6, 4) + "-" + cell.substr(3, 2) + "-" + cell.substr(0, 2));
  if (!d) {
    return std::nullopt;
  }
  return lxw_datetime{d->year(), static_cast<int>(d->month()), static_cast<int>(d->day()), 0, 0, 0};
}

struct Formats {
  explicit Formats(lxw_workbook* wb) {
    title = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 14);
    format_set_align(title, LXW_ALIGN_CENTER);
    heading = workbook_add_format(wb);
    format_set_italic(heading);
    format_set_align(heading, LXW_ALIGN_CENTER);
    section = workbook_add_format(wb);
    format_set_bold(section);
    head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(head, 0xEEEEEE);
    text = workbook_add_format(wb);
    format_set_border(text, LXW_BORDER_THIN);
    format_set_text_wrap(text);
    format_set_align(text, LXW_ALIGN_VERTICAL_TOP);
    number = workbook_add_format(wb);
    format_set_border(number, LXW_BORDER_THIN);
    format_set_align(number, LXW_ALIGN_VERTICAL_TOP);
    rate = workbook_add_format(wb);
    format_set_border(rate, LXW_BORDER_THIN);
    format_set_num_format(rate, "0.0");
    total_text = workbook_add_format(wb);
    format_set_border(total_text, LXW_BORDER_THIN);
    format_set_bold(total_text);
    total_number = workbook_add_format(wb);
    format_set_border(total_number, LXW_BORDER_THIN);
    format_set_bold(total_number);
    total_rate = workbook_add_format(wb);
    format_set_border(total_rate, LXW_BORDER_THIN);
    format_set_bold(total_rate);
    format_set_num_format(total_rate, "0.0");
    date = workbook_add_format(wb);
    format_set_border(date, LXW_BORDER_THIN);
    format_set_align(date, LXW_ALIGN_VERTICAL_TOP);
    format_set_num_format(date, "dd/mm/yyyy");
  }
  lxw_format* title;
  lxw_format* heading;
  lxw_format* section;
  lxw_format* head;
  lxw_format* text;
  lxw_format* number;
  lxw_format* rate;
  lxw_format* total_text;
  lxw_format* total_number;
  lxw_format* total_rate;
  lxw_format* date;
};

void check(lxw_error e) {
  if (e != LXW_NO_ERROR) {
    throw std::runtime_error(std::string("writing the XLSX report: ") + lxw_strerror(e));
  }
}

void write_sheet(lxw_workbook* wb, const Formats& f, const XlsxSheet& sheet) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
  if (!ws) {
    throw std::runtime_error("cannot add the XLSX sheet '" + sheet.name + "'");
  }
  std::size_t width = 1;
  for (const auto& t : sheet.tables) {
    width = std::max(width, t.headings.size());
  }
  const auto last_col = static_cast<lxw_col_t>(width - 1);
  worksheet_set_column(ws, 0, 0, 6, nullptr);          // STT
  worksheet_set_column(ws, 1, last_col, 16, nullptr);  // figures and dates
  worksheet_set_column(ws, 1, 1, sheet.wide_column == 1 ? 40 : 30, nullptr);
  if (sheet.wide_column > 1) {
    const auto wide = static_cast<lxw_col_t>(sheet.wide_column);
    worksheet_set_column(ws, wide, wide, 50, nullptr);
  }
  // Printed on A4 turned to landscape, as wide as one page, the heading on every page.
  worksheet_set_paper(ws, 9);  // A4
  worksheet_set_landscape(ws);
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_set_margins(ws, 0.6, 0.4, 0.6, 0.6);
  lxw_row_t row = 0;
  check(worksheet_merge_range(ws, row, 0, row, last_col, sheet.title.c_str(), f.title));
  ++row;
  check(worksheet_merge_range(ws, row, 0, row, last_col, sheet.heading.c_str(), f.heading));
  row += 2;
  if (!sheet.list) {
    check(worksheet_repeat_rows(ws, 0, 1));
    worksheet_freeze_panes(ws, 2, 0);
  }
  bool first_table = true;
  for (const auto& t : sheet.tables) {
    check(worksheet_write_string(ws, row++, 0, t.title.c_str(), f.section));
    if (sheet.list && first_table) {
      check(worksheet_repeat_rows(ws, row, row));
      worksheet_freeze_panes(ws, row + 1, 0);
    }
    first_table = false;
    for (std::size_t c = 0; c < t.headings.size(); ++c) {
      check(worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), t.headings[c].c_str(),
                                   f.head));
    }
    ++row;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      const bool total = t.last_row_is_total && r + 1 == t.rows.size();
      for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
        const std::string& cell = t.rows[r][c];
        const auto col = static_cast<lxw_col_t>(c);
        // The first column (STT) and every figure are numbers Excel can add up; the rest text.
        if (is_count(cell)) {
          check(worksheet_write_number(ws, row, col, std::stod(cell),
                                       total ? f.total_number : f.number));
        } else if (const auto date = as_date(cell)) {
          lxw_datetime value = *date;
          check(worksheet_write_datetime(ws, row, col, &value, f.date));
        } else if (is_rate(cell)) {
          std::string dotted = cell;
          dotted[dotted.find(',')] = '.';
          check(worksheet_write_number(ws, row, col, std::stod(dotted),
                                       total ? f.total_rate : f.rate));
        } else {
          check(worksheet_write_string(ws, row, col, cell.c_str(), total ? f.total_text : f.text));
        }
      }
      ++row;
    }
    ++row;
  }
}

}  // namespace

std::string xlsx_workbook(const std::vector<XlsxSheet>& sheets) {
  TempFile file;
  {
    lxw_workbook* wb = workbook_new(file.path().c_str());
    if (!wb) {
      throw std::runtime_error("cannot start the XLSX report");
    }
    try {
      const Formats formats(wb);
      for (const auto& s : sheets) {
        write_sheet(wb, formats, s);
      }
    } catch (...) {
      workbook_close(wb);
      throw;
    }
    check(workbook_close(wb));
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace dondoc::http
