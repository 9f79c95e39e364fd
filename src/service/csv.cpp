#include "dondoc/service/csv.hpp"

#include <algorithm>
#include <array>

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/text.hpp"

namespace dondoc::service {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The separator is the candidate that occurs most often, outside quotes, on the header line:
// Excel writes ';' where the decimal separator is ',' (as in Vietnamese), others write ',' or tabs.
char detect_separator(std::string_view text) {
  std::array<std::pair<char, int>, 3> counts{{{',', 0}, {';', 0}, {'\t', 0}}};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && (c == '\n' || c == '\r')) {
      break;
    } else if (!quoted) {
      for (auto& [sep, n] : counts) {
        n += c == sep ? 1 : 0;
      }
    }
  }
  return std::max_element(counts.begin(), counts.end(),
                          [](const auto& a, const auto& b) { return a.second < b.second; })
      ->first;
}

bool blank(const std::vector<std::string>& fields) {
  return std::all_of(fields.begin(), fields.end(), [](const std::string& f) {
    return f.find_first_not_of(" \t") == std::string::npos;
  });
}

}  // namespace

CsvTable read_csv(std::string_view text) {
  if (text.substr(0, kBom.size()) == kBom) {
    text.remove_prefix(kBom.size());
  }
  if (auto bad = domain::first_invalid_utf8(text)) {
    // Count the rows before the bad byte, so the message points at it.
    const int row = 1 + static_cast<int>(std::count(text.begin(), text.begin() + *bad, '\n'));
    throw domain::ValidationError({{"",
                                    "the file is not UTF-8 text (byte " + std::to_string(*bad) +
                                        "); save it from the spreadsheet as \"CSV UTF-8\"",
                                    row}});
  }
  CsvTable table;
  table.separator = detect_separator(text);
  std::vector<std::string> fields(1);
  bool quoted = false;
  int row = 1;
  int record_row = 1;
  auto end_record = [&] {
    if (!blank(fields)) {
      table.records.push_back({record_row, std::move(fields)});
    }
    fields.assign(1, std::string());
    ++row;
    record_row = row;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c == '\r' ? '\n' : c;
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
          ++i;  // a CRLF inside a cell is one line break
        }
      }
    } else if (c == '"' && fields.back().find_first_not_of(" \t") == std::string::npos) {
      quoted = true;
      fields.back().clear();
    } else if (c == table.separator) {
      fields.emplace_back();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      end_record();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) {
    throw domain::ValidationError(
        {{"", "a quoted cell that starts in this row is never closed (a '\"' is missing)",
          record_row}});
  }
  end_record();
  return table;
}

}  // namespace dondoc::service
