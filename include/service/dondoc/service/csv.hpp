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

// Throws ValidationError (with the row) for text that is not UTF-8 and for an unterminated quote.
CsvTable read_csv(std::string_view text);

}  // namespace dondoc::service
