// The reports as files (issue 5): JSON for programs; CSV (UTF-8 with a byte-order mark, so that
// Excel shows Vietnamese), an Excel workbook and a printable HTML page, all in the layout the
// Office uses, with Vietnamese headings. The API and `dondocd report` give the same bytes.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dondoc/service/reports.hpp"

namespace dondoc::http {

enum class ReportFormat { json, csv, xlsx, html };

// Who issues and signs the printed report (Decree 30/2020/NĐ-CP, Appendix I): the governing and
// issuing bodies above the number, the place before the date, the signer's position.
struct Letterhead {
  std::string governing_body = "ỦY BAN NHÂN DÂN TỈNH";  // cơ quan chủ quản
  std::string issuing_body = "VĂN PHÒNG";               // cơ quan ban hành
  std::string symbol = "BC-VP";                         // Số: ..../BC-VP
  std::string place;                                    // địa danh; blank: dots to fill in
  std::string signer_title = "CHÁNH VĂN PHÒNG";
  std::vector<std::string> recipients = {"Chủ tịch, các Phó Chủ tịch UBND tỉnh",
                                         "Các sở, ban, ngành", "Lưu: VT"};
};
std::optional<ReportFormat> parse_report_format(const std::string& text);
std::string content_type(ReportFormat format);
// e.g. "bao-cao-tong-hop_2025-01-01_2025-03-31_2025-04-05.csv"
std::string summary_file_name(const service::SummaryReport& report, ReportFormat format);
std::string overdue_file_name(const service::OverdueReport& report, ReportFormat format);
std::string scorecard_file_name(const service::Scorecard& card, ReportFormat format);

nlohmann::ordered_json summary_json(const service::SummaryReport& report);
nlohmann::ordered_json overdue_json(const service::OverdueReport& report);
nlohmann::ordered_json scorecard_json(const service::Scorecard& card);
std::string render_scorecard(const service::Scorecard& card, ReportFormat format,
                             const Letterhead& letterhead);
// `appendix`: the overdue tasks as of the same date: the workbook's second sheet, the printed
// document's appendix (xlsx and html).
std::string render_summary(const service::SummaryReport& report, ReportFormat format,
                           const Letterhead& letterhead,
                           const service::OverdueReport* appendix = nullptr);
// `json_limit` keeps the JSON list to its first lines (the longest overdue); `total` still counts
// them all. The files always hold every line.
std::string render_overdue(const service::OverdueReport& report, ReportFormat format,
                           const Letterhead& letterhead,
                           std::optional<std::size_t> json_limit = std::nullopt);

}  // namespace dondoc::http
