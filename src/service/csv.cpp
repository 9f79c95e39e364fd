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

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.substr(0, kBom.size()) == kBom) {
    text_.remove_prefix(kBom.size());
  }
  if (auto bad = domain::first_invalid_utf8(text_)) {
    // Count the rows before the bad byte, so the message points at it.
    const int row = 1 + static_cast<int>(std::count(text_.begin(), text_.begin() + *bad, '\n'));
    throw domain::ValidationError({{"",
                                    "the file is not UTF-8 text (byte " + std::to_string(*bad) +
                                        "); save it from the spreadsheet as \"CSV UTF-8\"",
                                    row}});
  }
  separator_ = detect_separator(text_);
}

bool CsvReader::next(CsvRecord& record) {
  while (!finished_) {
    record.row = row_;
    record.fields.assign(1, std::string());
    auto& fields = record.fields;
    bool quoted = false;
    bool ended = false;  // by a line break, rather than by the end of the text
    while (at_ < text_.size() && !ended) {
      const char c = text_[at_++];
      const bool crlf = c == '\r' && at_ < text_.size() && text_[at_] == '\n';
      if (quoted) {
        if (c == '"' && at_ < text_.size() && text_[at_] == '"') {
          fields.back() += '"';
          ++at_;
        } else if (c == '"') {
          quoted = false;
        } else {
          fields.back() += c == '\r' ? '\n' : c;
          at_ += crlf ? 1 : 0;  // a CRLF inside a cell is one line break
        }
      } else if (c == '"' && fields.back().find_first_not_of(" \t") == std::string::npos) {
        quoted = true;
        fields.back().clear();
      } else if (c == separator_) {
        fields.emplace_back();
      } else if (c == '\r' || c == '\n') {
        at_ += crlf ? 1 : 0;
        ended = true;
      } else {
        fields.back() += c;
      }
    }
    if (quoted) {
      throw domain::ValidationError(
          {{"", "a quoted cell that starts in this row is never closed (a '\"' is missing)",
            record.row}});
    }
    finished_ = !ended;
    ++row_;
    if (!blank(fields)) {
      return true;
    }
  }
  return false;
}

CsvTable read_csv(std::string_view text) {
  CsvReader reader(text);
  CsvTable table;
  table.separator = reader.separator();
  CsvRecord record;
  while (reader.next(record)) {
    table.records.push_back(std::move(record));
  }
  return table;
}

}  // namespace dondoc::service
