#include "dondoc/service/xlsx.hpp"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dondoc/domain/date.hpp"
#include "dondoc/domain/errors.hpp"

namespace dondoc::service {

namespace {

[[noreturn]] void refuse(const std::string& what) {
  throw domain::ValidationError({{"", what, 0}});
}

// Excel's own bounds: a workbook past them was not written by a spreadsheet, and a cell reference
// such as ZZZZZZ1 must not make a row of millions of cells.
constexpr std::size_t kMaxColumns = 16384;  // XFD
constexpr int kMaxRows = 1048576;
constexpr std::size_t kMaxCellText = 32767;
// The most text a workbook may bring in (cells and shared strings): a small archive can unpack to
// gigabytes of XML. A register of 1,000,000 rows holds about 150 MiB.
constexpr std::size_t kMaxText = 256 * 1024 * 1024;

// Counts the text kept, and refuses a workbook that would keep more than kMaxText.
class TextBudget {
 public:
  void spend(std::size_t bytes) {
    kept_ += bytes;
    if (kept_ > kMaxText) {
      refuse("the workbook holds more than " + std::to_string(kMaxText / (1024 * 1024)) +
             " MiB of text; split it");
    }
  }

 private:
  std::size_t kept_ = 0;
};

// An element's or attribute's name without its namespace prefix ("x:row" is "row"): writers
// differ in the prefixes they use.
std::string_view local(const char* name) {
  std::string_view n(name);
  const auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string attribute(const char** attrs, std::string_view name) {
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    if (local(attrs[i]) == name) {
      return attrs[i + 1];
    }
  }
  return "";
}

// Callbacks for one XML part, read as a stream of start tags, end tags and text.
struct XmlHandlers {
  std::function<void(std::string_view name, const char** attrs)> start;
  std::function<void(std::string_view name)> end;
  std::function<void(std::string_view text)> text;
};

class Workbook {
 public:
  explicit Workbook(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source != nullptr) {
      archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
      if (archive_ == nullptr) {
        zip_source_free(source);
      }
    }
    const std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (archive_ == nullptr) {
      refuse("the file is not an Excel workbook (.xlsx) that can be opened: " + why);
    }
  }
  ~Workbook() { zip_discard(archive_); }
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;

  bool has(const std::string& part) const {
    return zip_name_locate(archive_, part.c_str(), 0) >= 0;
  }

  // Streams the XML part `name` through `h`, a piece at a time: a sheet of 100,000 rows is never
  // whole in memory.
  void parse(const std::string& name, const XmlHandlers& h) const {
    zip_file_t* file = zip_fopen(archive_, name.c_str(), 0);
    if (file == nullptr) {
      refuse("the workbook has no part " + name + ": it is not an .xlsx file Excel wrote");
    }
    const std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> closing(file, zip_fclose);
    const std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate("UTF-8"),
                                                                         XML_ParserFree);
    XML_SetUserData(parser.get(), const_cast<XmlHandlers*>(&h));
    XML_SetElementHandler(
        parser.get(),
        [](void* data, const XML_Char* name, const XML_Char** attrs) {
          static_cast<XmlHandlers*>(data)->start(local(name), attrs);
        },
        [](void* data, const XML_Char* name) {
          static_cast<XmlHandlers*>(data)->end(local(name));
        });
    XML_SetCharacterDataHandler(parser.get(), [](void* data, const XML_Char* s, int len) {
      static_cast<XmlHandlers*>(data)->text(std::string_view(s, static_cast<std::size_t>(len)));
    });
    std::array<char, 65536> buffer{};
    for (;;) {
      const zip_int64_t n = zip_fread(file, buffer.data(), buffer.size());
      if (n < 0) {
        refuse("the workbook's part " + name + " cannot be read: " + zip_file_strerror(file));
      }
      if (XML_Parse(parser.get(), buffer.data(), static_cast<int>(n), n == 0) == XML_STATUS_ERROR) {
        refuse("the workbook's part " + name + " is not well-formed XML (line " +
               std::to_string(XML_GetCurrentLineNumber(parser.get())) +
               "): " + XML_ErrorString(XML_GetErrorCode(parser.get())));
      }
      if (n == 0) {
        return;
      }
    }
  }

 private:
  zip_t* archive_ = nullptr;
};

// The text of each shared string (<si>), its runs joined; the phonetic runs (<rPh>) left out.
std::vector<std::string> shared_strings(const Workbook& book, TextBudget& budget) {
  std::vector<std::string> strings;
  if (!book.has("xl/sharedStrings.xml")) {
    return strings;
  }
  bool in_text = false;
  int phonetic = 0;
  book.parse("xl/sharedStrings.xml", {[&](std::string_view name, const char**) {
                                        if (name == "si") {
                                          strings.emplace_back();
                                        } else if (name == "rPh") {
                                          ++phonetic;
                                        } else if (name == "t") {
                                          in_text = phonetic == 0 && !strings.empty();
                                        }
                                      },
                                      [&](std::string_view name) {
                                        if (name == "rPh") {
                                          --phonetic;
                                        } else if (name == "t") {
                                          in_text = false;
                                        }
                                      },
                                      [&](std::string_view text) {
                                        if (in_text) {
                                          budget.spend(text.size());
                                          strings.back() += text;
                                        }
                                      }});
  return strings;
}

// Whether a number format shows a date: the built-in date formats, or a format of the
// workbook's own with a day or a year in it (quoted text and [colour] sections aside).
bool is_date_format(int id, const std::map<int, std::string>& custom) {
  if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) {
    return true;
  }
  const auto it = custom.find(id);
  if (it == custom.end()) {
    return false;
  }
  bool quoted = false;
  bool bracket = false;
  for (std::size_t i = 0; i < it->second.size(); ++i) {
    const char c = it->second[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (quoted) {
      continue;
    } else if (c == '[') {
      bracket = true;
    } else if (c == ']') {
      bracket = false;
    } else if (c == '\\') {
      ++i;  // an escaped character is shown as it is
    } else if (!bracket && (c == 'd' || c == 'D' || c == 'y' || c == 'Y')) {
      return true;
    }
  }
  return false;
}

// For each cell style (<cellXfs><xf>), in order: whether it shows a date.
std::vector<bool> date_styles(const Workbook& book) {
  std::vector<bool> dated;
  if (!book.has("xl/styles.xml")) {
    return dated;
  }
  std::map<int, std::string> custom;
  std::vector<int> formats;
  bool in_cell_xfs = false;
  const auto number = [](const std::string& text) {
    int v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
  };
  book.parse("xl/styles.xml", {[&](std::string_view name, const char** attrs) {
                                 if (name == "numFmt") {
                                   custom[number(attribute(attrs, "numFmtId"))] =
                                       attribute(attrs, "formatCode");
                                 } else if (name == "cellXfs") {
                                   in_cell_xfs = true;
                                 } else if (name == "xf" && in_cell_xfs) {
                                   formats.push_back(number(attribute(attrs, "numFmtId")));
                                 }
                               },
                               [&](std::string_view name) {
                                 if (name == "cellXfs") {
                                   in_cell_xfs = false;
                                 }
                               },
                               [](std::string_view) {}});
  for (int id : formats) {
    dated.push_back(is_date_format(id, custom));
  }
  return dated;
}

// The part of the first sheet, as the workbook and its relationships name it; and whether its
// dates count from 1904 (old Mac workbooks).
std::pair<std::string, bool> first_sheet(const Workbook& book) {
  std::string id;
  bool from_1904 = false;
  book.parse("xl/workbook.xml", {[&](std::string_view name, const char** attrs) {
                                   if (name == "sheet" && id.empty()) {
                                     id = attribute(attrs, "id");
                                   } else if (name == "workbookPr") {
                                     const std::string v = attribute(attrs, "date1904");
                                     from_1904 = v == "1" || v == "true";
                                   }
                                 },
                                 [](std::string_view) {}, [](std::string_view) {}});
  if (id.empty()) {
    refuse("the workbook has no worksheet");
  }
  std::string target;
  book.parse("xl/_rels/workbook.xml.rels",
             {[&](std::string_view name, const char** attrs) {
                if (name == "Relationship" && attribute(attrs, "Id") == id) {
                  target = attribute(attrs, "Target");
                }
              },
              [](std::string_view) {}, [](std::string_view) {}});
  if (target.empty()) {
    refuse("the workbook names its first worksheet (" + id + ") but not where it is");
  }
  return {target.front() == '/' ? target.substr(1) : "xl/" + target, from_1904};
}

// "C12" → column 2 (from 0); refuses a column past Excel's last.
std::size_t cell_column(const std::string& ref) {
  std::size_t column = 0;
  for (std::size_t i = 0; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
    column = column * 26 + static_cast<std::size_t>(ref[i] - 'A' + 1);
    if (column > kMaxColumns) {
      refuse("cell " + ref.substr(0, 20) + " is past Excel's last column (XFD)");
    }
  }
  return column == 0 ? 0 : column - 1;
}

// A serial day number as the register shows a date: dd/mm/yyyy. Excel counts 1900 as a leap year,
// so from 1 March 1900 on its day 0 is 30 December 1899.
std::string date_text(double serial, bool from_1904) {
  const auto days = static_cast<int>(std::floor(serial));
  const domain::Date base = from_1904    ? *domain::Date::from_ymd(1904, 1, 1)
                            : days >= 61 ? *domain::Date::from_ymd(1899, 12, 30)
                                         : *domain::Date::from_ymd(1899, 12, 31);
  const domain::Date d = base + days;
  char text[16];
  std::snprintf(text, sizeof text, "%02u/%02u/%04d", d.day(), d.month(), d.year());
  return text;
}

// A number as a person wrote it: 12, not 12.0.
std::string number_text(const std::string& value) {
  double v = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec == std::errc() && end == value.data() + value.size() && std::floor(v) == v &&
      std::fabs(v) < 1e15) {
    return std::to_string(static_cast<long long>(v));
  }
  return value;
}

}  // namespace

bool looks_like_xlsx(std::string_view bytes) {
  return bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4);
}

CsvTable read_xlsx(std::string_view bytes, std::size_t max_records) {
  const Workbook book(bytes);
  // Not a structured binding: clang 14 (the fuzz build's) cannot capture one in a lambda.
  const std::pair<std::string, bool> located = first_sheet(book);
  const std::string& sheet = located.first;
  const bool from_1904 = located.second;
  TextBudget budget;
  const std::vector<std::string> strings = shared_strings(book, budget);
  const std::vector<bool> dated = date_styles(book);

  CsvTable table;
  CsvRecord record;
  int next_row = 1;
  std::size_t column = 0;
  std::string type;
  std::size_t style = 0;
  std::string value;
  bool in_value = false;
  int phonetic = 0;
  const auto end_row = [&] {
    const bool blank = std::all_of(
        record.fields.begin(), record.fields.end(),
        [](const std::string& f) { return f.find_first_not_of(" \t\n") == std::string::npos; });
    if (!blank) {
      if (table.records.size() == max_records) {
        refuse("the sheet has more than " + std::to_string(max_records) +
               " rows; at most that many can be registered at once, so split it");
      }
      table.records.push_back(std::move(record));
    }
    record = CsvRecord{};
  };
  const auto cell_text = [&]() -> std::string {
    if (type == "s") {
      std::size_t index = 0;
      std::from_chars(value.data(), value.data() + value.size(), index);
      if (index >= strings.size()) {
        refuse("cell " + std::to_string(column + 1) + " of row " + std::to_string(record.row) +
               " names shared string " + value + ", which the workbook does not have");
      }
      return strings[index];
    }
    if (type == "inlineStr" || type == "str" || type == "e") {
      return value;
    }
    if (type == "b") {
      return value == "1" ? "TRUE" : "FALSE";
    }
    if (value.empty()) {
      return "";
    }
    if (style < dated.size() && dated[style]) {
      double serial = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), serial);
      if (ec == std::errc() && serial >= 1 && serial < 2958466) {  // to 31/12/9999
        return date_text(serial, from_1904);
      }
    }
    return number_text(value);
  };
  book.parse(sheet, {[&](std::string_view name, const char** attrs) {
                       if (name == "row") {
                         const std::string r = attribute(attrs, "r");
                         record.row = next_row;
                         std::from_chars(r.data(), r.data() + r.size(), record.row);
                         if (record.row < 1 || record.row > kMaxRows) {
                           refuse("row " + r.substr(0, 20) + " is not a row Excel has (1 to " +
                                  std::to_string(kMaxRows) + ")");
                         }
                         next_row = record.row + 1;
                         column = 0;
                       } else if (name == "c") {
                         const std::string ref = attribute(attrs, "r");
                         if (!ref.empty()) {
                           column = cell_column(ref);
                         } else if (column >= kMaxColumns) {
                           refuse("row " + std::to_string(record.row) +
                                  " has more cells than Excel's last column (XFD)");
                         }
                         type = attribute(attrs, "t");
                         const std::string s = attribute(attrs, "s");
                         style = 0;
                         std::from_chars(s.data(), s.data() + s.size(), style);
                         value.clear();
                       } else if (name == "rPh") {
                         ++phonetic;
                       } else if (name == "v" || (name == "t" && phonetic == 0)) {
                         in_value = true;
                       }
                     },
                     [&](std::string_view name) {
                       if (name == "v" || name == "t") {
                         in_value = false;
                       } else if (name == "rPh") {
                         --phonetic;
                       } else if (name == "c") {
                         if (record.fields.size() <= column) {
                           record.fields.resize(column + 1);
                         }
                         record.fields[column] = cell_text();
                         budget.spend(record.fields[column].size());
                         ++column;
                       } else if (name == "row") {
                         end_row();
                       }
                     },
                     [&](std::string_view text) {
                       if (in_value) {
                         value += text;
                         if (value.size() > kMaxCellText) {
                           refuse("a cell of row " + std::to_string(record.row) +
                                  " holds more than " + std::to_string(kMaxCellText) +
                                  " characters, more than Excel allows");
                         }
                       }
                     }});
  return table;
}

}  // namespace dondoc::service
