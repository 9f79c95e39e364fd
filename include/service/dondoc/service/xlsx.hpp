// Reading a register kept in Excel (issue 16): the first worksheet of an .xlsx workbook as rows of
// cell texts, so that the importer reads it as it reads CSV. Dates stored as dates (a number with
// a date format) come out as dd/mm/yyyy, as the register shows them; other numbers as written
// (12, 3.5); booleans as TRUE/FALSE. Rows keep the numbers Excel gives them.
//
// Debian has no C or C++ library that reads XLSX (libxlsxwriter only writes), so the workbook is
// opened with libzip and its XML read with expat, both well kept and in Debian.
#pragma once

#include <cstdint>
#include <string_view>

#include "dondoc/service/csv.hpp"

namespace dondoc::service {

// True when `bytes` start as a ZIP archive does (an .xlsx is one).
bool looks_like_xlsx(std::string_view bytes);

// Throws ValidationError for a file that is not a workbook dondoc can read (not a ZIP archive,
// no worksheet, XML that does not parse, past Excel's own bounds), saying what is wrong, and for
// a sheet of more than `max_records` non-empty rows (the header counted), which it stops reading.
CsvTable read_xlsx(std::string_view bytes, std::size_t max_records = SIZE_MAX);

}  // namespace dondoc::service
