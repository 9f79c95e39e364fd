// Reading CSV as office staff produce it (RFC 4180 plus what spreadsheets write): UTF-8 with or
// without a byte order mark, fields separated by commas, semicolons (Excel in the Vietnamese
// locale) or tabs, quoted fields that may hold separators, quotes and line breaks, CRLF or LF.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dondoc::service {

struct CsvRecord {
  int row = 0;  // its row as a spreadsheet numbers it: the header is row 1
  std::vector<std::string> fields;
};

struct CsvTable {
  char separator = ',';
  std::vector<CsvRecord> records;  // the header first; blank rows left out
};

// Reads the records one at a time, so that a register of 100,000 rows is never held twice (as
// text and as a table of cells). The text must outlive the reader.
class CsvReader {
 public:
  // Throws ValidationError (with the row) for text that is not UTF-8.
  explicit CsvReader(std::string_view text);
  char separator() const { return separator_; }
  // The next record that is not blank into `record`; false at the end of the text. Throws
  // ValidationError (with the row) for a quote that is never closed.
  bool next(CsvRecord& record);

 private:
  std::string_view text_;
  std::size_t at_ = 0;
  char separator_ = ',';
  int row_ = 1;
  bool finished_ = false;
};

// The whole table; throws as CsvReader does.
CsvTable read_csv(std::string_view text);

}  // namespace dondoc::service
