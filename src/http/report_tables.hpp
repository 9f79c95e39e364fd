// The reports as tables with Vietnamese headings, in the layout the Office uses: what the CSV,
// HTML and XLSX files are made of.
#pragma once

#include <string>
#include <vector>

#include "dondoc/service/reports.hpp"

namespace dondoc::http {

struct Table {
  std::string title;
  std::vector<std::string> headings;
  std::vector<std::vector<std::string>> rows;  // numbers as digits, rates with a decimal comma
  bool last_row_is_total = false;
};

std::string unit_name(const service::SummaryReport& r, domain::UnitId id);

std::vector<Table> summary_tables(const service::SummaryReport& r);
Table overdue_table(const service::OverdueReport& r);
// The overdue report's appendix: coordinating units' input not sent by its own deadline.
Table late_contributions_table(const service::OverdueReport& r);
// The overdue report's tables: the overdue tasks, and the appendix when it has lines.
std::vector<Table> overdue_tables(const service::OverdueReport& r);
// The units' yearly scorecard, ranked, with a total line.
Table scorecard_table(const service::Scorecard& card);
std::string scorecard_heading(const service::Scorecard& card);
// The line under a report's title: its period and date.
std::string summary_heading(const service::SummaryReport& r);
std::string overdue_heading(const service::OverdueReport& r);

}  // namespace dondoc::http
